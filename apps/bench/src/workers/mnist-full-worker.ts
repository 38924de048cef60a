/**
 * Worker of the MNIST-FULL suite (issue 13's benchmark): full MNIST, 784-100-10 with ReLU
 * hidden units and a softmax output, cross-entropy, Adam(0.001), batches of 32, trained by this
 * project's Trainer (its `batchExecutor` = compileBatch, f64 and f32) and by TensorFlow.js layers
 * (wasm backend) in this ONE process, one epoch at a time, interleaved: epoch e of every system,
 * the order rotating from epoch to epoch, so each system's epochs see about the same load.
 *   mnist-full-worker.ts <epochs> <trainDigits> <testDigits> <systems, comma-separated> <seed>
 * `seed` (a positive integer) picks the initial weights and the shuffles of every system (see
 * `seedsOf`). Prints one JSON line.
 */
import { loadavg } from 'node:os';
import { readMnistPart } from '../lib/idx.js';
import { mulberry32, seedMathRandom } from '../lib/prng.js';
import { workerMain } from '../lib/worker-main.js';
import { HIDDEN, INPUTS, loadTf, OUTPUTS, type TfTensor } from '../mnist-peers.js';
import {
  FULL_SYSTEMS,
  seedsOf,
  type FullEpoch,
  type FullSample,
  type FullSystemId,
  type FullSystemSample,
} from '../mnist-full-sample.js';
import { loadCompile, loadCore, loadTrainer } from '../peers.js';

export const BATCH = 32;
export const RATE = 0.001;

interface FullSystem {
  readonly id: FullSystemId;
  /** one epoch of training; resolves to its mean loss */
  epoch(): number | Promise<number>;
  /** test accuracy */
  accuracy(): number;
}

/**
 * The peer's initialisation, so both train the same model from the same distribution (not the
 * same numbers): Glorot-uniform weights, U(±√(6 / (fan-in + fan-out))), and zero biases. Core lists
 * a layer's biases, then the weights into it, layer after layer.
 */
function glorotUniform(
  parameters: readonly { name: string; value: Float64Array }[],
  sizes: readonly number[],
  random: () => number,
): void {
  let layer = 0;
  for (const { name, value } of parameters) {
    if (name.endsWith('.bias')) {
      value.fill(0);
      continue;
    }
    const limit = Math.sqrt(6 / (sizes[layer] + sizes[layer + 1]));
    for (let i = 0; i < value.length; i++) value[i] = (2 * random() - 1) * limit;
    layer++;
  }
}

function argmax(values: ArrayLike<number>, from: number, count: number): number {
  let best = 0;
  for (let k = 1; k < count; k++) if (values[from + k] > values[from + best]) best = k;
  return best;
}

async function main(): Promise<FullSample> {
  const [epochsArg, trainArg, testArg, systemsArg, seedArg] = process.argv.slice(2);
  const epochs = Number(epochsArg);
  const trainCount = Number(trainArg);
  const testCount = Number(testArg);
  const seed = Number(seedArg);
  const wanted = (systemsArg ?? '').split(',') as FullSystemId[];
  if (![epochs, trainCount, testCount, seed].every((v) => Number.isInteger(v) && v > 0))
    throw new Error(
      `usage: mnist-full-worker.ts <epochs> <train> <test> <systems> <seed>, got ${process.argv.slice(2)}`,
    );
  const seeds = seedsOf(seed);
  if (wanted.some((id) => !FULL_SYSTEMS.includes(id))) throw new Error(`unknown systems ${systemsArg}`);

  const train = readMnistPart('train', trainCount);
  const test = readMnistPart('test', testCount);
  const core = await loadCore();
  const compile = await loadCompile();
  const trainer = await loadTrainer();

  const synaptic = (id: FullSystemId, precision: 'f64' | 'f32'): FullSystem => {
    seedMathRandom(seeds.weights);
    const input = new core.Layer(INPUTS);
    const hidden = new core.Layer(HIDDEN);
    const output = new core.Layer(OUTPUTS);
    input.project(hidden);
    hidden.project(output);
    hidden.set({ squash: core.squash.RELU });
    output.set({ squash: core.squash.SOFTMAX });
    const network = new core.Network({ input, hidden: [hidden], output });
    glorotUniform(network.parameters(), [INPUTS, HIDDEN, OUTPUTS], mulberry32(seeds.weights));
    const batch = compile.compileBatch(network, { batchSize: BATCH, precision });
    const samples = Array.from({ length: train.count }, (_, i) => {
      const target = new Float64Array(OUTPUTS);
      target[train.labels[i]] = 1;
      return { input: train.pixels.subarray(i * INPUTS, (i + 1) * INPUTS), output: target };
    });
    const optimizer = new trainer.Adam({ rate: RATE });
    const random = mulberry32(seeds.shuffle);
    const t = new trainer.Trainer(network);
    return {
      id,
      epoch() {
        // one epoch per call: the same Adam (its moments and step count go on) and the same shuffling source
        const result = t.train(samples, {
          optimizer,
          batchSize: BATCH,
          epochs: 1,
          shuffle: true,
          random,
          cost: trainer.cost.CROSS_ENTROPY,
          batchExecutor: batch,
        });
        return result.history?.[0].loss ?? Number.NaN;
      },
      accuracy() {
        let right = 0;
        for (let from = 0; from < test.count; from += BATCH) {
          const count = Math.min(BATCH, test.count - from);
          const out = batch.forward(test.pixels.subarray(from * INPUTS, (from + count) * INPUTS));
          for (let s = 0; s < count; s++) if (argmax(out, s * OUTPUTS, OUTPUTS) === test.labels[from + s]) right++;
        }
        return right / test.count;
      },
    };
  };

  const tfjs = async (): Promise<FullSystem> => {
    const { tf, tfl } = await loadTf('wasm');
    // tfjs-layers shuffles with Math.random (util.shuffle of the index array, every epoch)
    seedMathRandom(seeds.shuffle);
    const model = tfl.sequential();
    model.add(
      tfl.layers.dense({
        inputShape: [INPUTS],
        units: HIDDEN,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seeds.weights }),
      }),
    );
    model.add(
      tfl.layers.dense({
        units: OUTPUTS,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seeds.weights + 1 }),
      }),
    );
    // ε as PyTorch's and ours (tfjs's default is 1e-7)
    model.compile({ optimizer: tf.train.adam(RATE, 0.9, 0.999, 1e-8), loss: 'categoricalCrossentropy' });
    const oneHot = new Float32Array(train.count * OUTPUTS);
    for (let i = 0; i < train.count; i++) oneHot[i * OUTPUTS + train.labels[i]] = 1;
    const xs = tf.tensor2d(train.pixels, [train.count, INPUTS]);
    const ys = tf.tensor2d(oneHot, [train.count, OUTPUTS]);
    return {
      id: 'tfjs-wasm',
      async epoch() {
        const history = (await model.fit(xs, ys, { batchSize: BATCH, epochs: 1, shuffle: true, verbose: 0 })) as {
          history: { loss: number[] };
        };
        return history.history.loss[0];
      },
      accuracy() {
        const x = tf.tensor2d(test.pixels, [test.count, INPUTS]);
        const y: TfTensor = model.predict(x);
        const out = y.dataSync();
        x.dispose();
        y.dispose();
        let right = 0;
        for (let s = 0; s < test.count; s++) if (argmax(out, s * OUTPUTS, OUTPUTS) === test.labels[s]) right++;
        return right / test.count;
      },
    };
  };

  const systems: FullSystem[] = [];
  const unavailable: FullSystemSample[] = [];
  for (const id of wanted) {
    if (id === 'synaptic-f64') systems.push(synaptic(id, 'f64'));
    else if (id === 'synaptic-f32') systems.push(synaptic(id, 'f32'));
    else {
      try {
        systems.push(await tfjs());
      } catch (error) {
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        unavailable.push({ id, epochs: [], accuracy: 0, unavailable: message });
      }
    }
  }

  const loadStart = loadavg();
  const record = new Map<FullSystemId, FullEpoch[]>(systems.map((s) => [s.id, []]));
  for (let e = 0; e < epochs; e++) {
    for (let k = 0; k < systems.length; k++) {
      const system = systems[(k + e) % systems.length];
      const load = loadavg()[0];
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const loss = await system.epoch();
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      record.get(system.id)?.push({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000, loss, load });
    }
  }
  const loadEnd = loadavg();
  return {
    seed,
    epochs,
    train: train.count,
    test: test.count,
    batch: BATCH,
    loadStart,
    loadEnd,
    systems: [
      ...systems.map((s) => ({ id: s.id, epochs: record.get(s.id) ?? [], accuracy: s.accuracy() })),
      ...unavailable,
    ],
  };
}

workerMain(main);
