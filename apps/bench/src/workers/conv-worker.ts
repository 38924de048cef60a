/**
 * Worker of the CONV suite: seed 003's network and the LeNet-like one, every system in this ONE
 * process, interleaved in rotating chunks (as the BATCH suite does).
 *   conv-worker.ts <rounds> <chunkMs> <digits>
 * Training: SGD at 0.05 (seed 003: logistic outputs, MSE; LeNet-like: softmax, cross-entropy), by
 * compiled code one sample at a time (activate + backward, one step per 32 samples: what the
 * trainer ran before compileBatch took op layers), by compileBatch at batch 32 (wasm f64x2 and
 * f32x4), and by TensorFlow.js layers (conv2d + maxPooling2d + dense, `model.fit` at batch 32) on
 * its cpu backend: tfjs 4.22's wasm backend has no Conv2DBackpropFilter kernel, so it cannot train
 * conv2d. Inference (first, while tfjs is on wasm): compileBatch f32 forward against tfjs wasm
 * `predict`, both at batch 32. A chunk records samples, wall time and this process's CPU time.
 */
import { type Digit, loadTf, type TfCore, type TfSequential } from '../mnist-peers.js';
import { loadArchitect, loadCompile, loadCore } from '../peers.js';
import { seedMathRandom } from '../lib/prng.js';
import { requirePeer, workerMain } from '../lib/worker-main.js';

const DATA_SEED = 20_240_601;
const WEIGHT_SEED = 7;
const RATE = 0.05;
const BATCH = 32;

export type ConvNetId = 'seed003' | 'lenet';

export interface ConvChunk {
  samples: number;
  wallMs: number;
  cpuMs: number;
}

export interface ConvSystemSample {
  /** e.g. "seed003/batch32-wasm-f32", "lenet/tfjs-cpu-b32", "seed003/infer-tfjs-wasm-b32" */
  id: string;
  chunks: ConvChunk[];
  /** set when the system could not run (a peer that does not install) */
  unavailable?: string;
}

export interface ConvSample {
  rounds: number;
  chunkMs: number;
  systems: ConvSystemSample[];
  /** why tfjs trains on cpu (the wasm backend's error), or null when wasm could train */
  tfjsWasmTraining: string | null;
}

/** The nets as `@synaptic/architect` specs (the CLI's examples/seed-003.json and lenet.json). */
export const SPECS: Record<ConvNetId, unknown[]> = {
  seed003: [
    { type: 'input', fieldSize: [28, 28] },
    { type: 'convolution', squash: 'TANH', featureMap: { size: [9, 9], k: 3 }, pool: { kind: 'max', size: [2, 2] } },
    { type: 'fully-connected', squash: 'LOGISTIC', n: 10 },
  ],
  lenet: [
    { type: 'input', fieldSize: [28, 28] },
    { type: 'convolution', squash: 'RELU', featureMap: { size: [5, 5], k: 6 }, pool: { kind: 'max', size: [2, 2] } },
    { type: 'convolution', squash: 'RELU', featureMap: { size: [5, 5], k: 16 }, pool: { kind: 'max', size: [2, 2] } },
    { type: 'fully-connected', squash: 'RELU', n: 100 },
    { type: 'fully-connected', squash: 'SOFTMAX', n: 10 },
  ],
};

interface System {
  readonly id: string;
  /** trains (or infers) on the next samples; resolves to how many */
  step(): number | Promise<number>;
}

interface TfConvLayers {
  sequential(): TfSequential;
  layers: Record<string, (args: Record<string, unknown>) => unknown>;
  initializers: { glorotUniform(args: { seed?: number }): unknown };
}
interface TfConvCore extends TfCore {
  tensor4d(
    values: Float32Array,
    shape: [number, number, number, number],
  ): { dispose(): void; dataSync(): Float32Array };
}

/** The same model in tfjs-layers: conv2d (+ maxPooling2d) stages, flatten, dense layers. */
function tfModel(tf: TfConvCore, tfl: TfConvLayers, net: ConvNetId): TfSequential {
  const model = tfl.sequential();
  const init = (seed: number) => tfl.initializers.glorotUniform({ seed });
  const convs =
    net === 'seed003'
      ? [{ filters: 3, kernelSize: 9, activation: 'tanh' }]
      : [
          { filters: 6, kernelSize: 5, activation: 'relu' },
          { filters: 16, kernelSize: 5, activation: 'relu' },
        ];
  convs.forEach((c, k) => {
    model.add(
      tfl.layers.conv2d({ ...c, ...(k === 0 ? { inputShape: [28, 28, 1] } : {}), kernelInitializer: init(k + 1) }),
    );
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  });
  model.add(tfl.layers.flatten({}));
  if (net === 'lenet') model.add(tfl.layers.dense({ units: 100, activation: 'relu', kernelInitializer: init(5) }));
  model.add(
    tfl.layers.dense({ units: 10, activation: net === 'lenet' ? 'softmax' : 'sigmoid', kernelInitializer: init(6) }),
  );
  model.compile({
    optimizer: tf.train.sgd(RATE),
    loss: net === 'lenet' ? 'categoricalCrossentropy' : 'meanSquaredError',
  });
  return model;
}

async function main(): Promise<ConvSample> {
  const [roundsArg, chunkArg, digitsArg] = process.argv.slice(2);
  const rounds = Number(roundsArg);
  const chunkMs = Number(chunkArg);
  const digitCount = Number(digitsArg);
  if (![rounds, chunkMs, digitCount].every((v) => Number.isInteger(v) && v > 0))
    throw new Error(`usage: conv-worker.ts <rounds> <chunkMs> <digits>, got ${JSON.stringify(process.argv.slice(2))}`);
  const mnist = requirePeer<{ set(training: number, test: number): { training: Digit[] } }>('mnist');
  seedMathRandom(DATA_SEED);
  const digits = mnist.set(digitCount, 0).training;
  const core = await loadCore();
  const compile = await loadCompile();
  const { Convolutional } = await loadArchitect();
  const build = (net: ConvNetId) => new Convolutional(SPECS[net] as never, { seed: WEIGHT_SEED });
  const costOf = (net: ConvNetId) => (net === 'lenet' ? core.cost.CROSS_ENTROPY : core.cost.MSE);

  const cursor = () => {
    let at = 0;
    return () => {
      const d = digits[at];
      at = (at + 1) % digits.length;
      return d;
    };
  };
  const packer = () => {
    const next = cursor();
    const x = new Float64Array(BATCH * 784);
    const t = new Float64Array(BATCH * 10);
    return () => {
      for (let b = 0; b < BATCH; b++) {
        const d = next();
        x.set(d.input, b * 784);
        t.set(d.output, b * 10);
      }
      return { x, t };
    };
  };
  const sgd = (net: InstanceType<typeof core.Network>, scale: number) => {
    for (const p of net.parameters()) {
      const v = p.value;
      const g = p.gradient;
      for (let k = 0; k < v.length; k++) {
        v[k] -= RATE * scale * g[k];
        g[k] = 0;
      }
    }
  };
  /** compiled code, sample by sample: activate + backward, the mean gradient's SGD step per 32 */
  const perSample = (net: ConvNetId): System => {
    const network = compile.optimize(build(net));
    const next = cursor();
    const cost = costOf(net);
    return {
      id: `${net}/compiled-per-sample`,
      step() {
        for (let k = 0; k < BATCH; k++) {
          const d = next();
          network.activate(d.input);
          network.backward(d.output, { cost });
        }
        sgd(network, 1 / BATCH);
        return BATCH;
      },
    };
  };
  const batched = (net: ConvNetId, precision: 'f64' | 'f32'): System => {
    const network = build(net);
    const batch = compile.compileBatch(network, { batchSize: BATCH, precision, backend: 'wasm' });
    const pack = packer();
    const cost = costOf(net);
    return {
      id: `${net}/batch32-wasm-${precision}`,
      step() {
        const { x, t } = pack();
        batch.forward(x);
        batch.backward(t, { cost });
        sgd(network, 1 / BATCH);
        return BATCH;
      },
    };
  };
  const inferBatched = (net: ConvNetId): System => {
    const batch = compile.compileBatch(build(net), { batchSize: BATCH, precision: 'f32', backend: 'wasm' });
    const pack = packer();
    return {
      id: `${net}/infer-batch32-wasm-f32`,
      step() {
        batch.forward(pack().x);
        return BATCH;
      },
    };
  };
  const tfSystem = (tf: TfConvCore, model: TfSequential, id: string, train: boolean, samples: number): System => {
    const next = cursor();
    return {
      id,
      async step() {
        const x = new Float32Array(samples * 784);
        const y = new Float32Array(samples * 10);
        for (let k = 0; k < samples; k++) {
          const d = next();
          x.set(d.input, k * 784);
          y.set(d.output, k * 10);
        }
        const xs = tf.tensor4d(x, [samples, 28, 28, 1]);
        try {
          if (train) {
            const ys = tf.tensor2d(y, [samples, 10]);
            try {
              await model.fit(xs as never, ys, { batchSize: BATCH, epochs: 1, shuffle: false, verbose: 0 });
            } finally {
              ys.dispose();
            }
          } else {
            const out = model.predict(xs as never);
            out.dataSync();
            out.dispose();
          }
        } finally {
          xs.dispose();
        }
        return samples;
      },
    };
  };

  const nets: ConvNetId[] = ['seed003', 'lenet'];
  const chunks = new Map<string, ConvChunk[]>();
  const unavailable: ConvSystemSample[] = [];
  /** rounds of one chunk per system, the order rotating; one warm-up step each first */
  const measure = async (systems: System[]) => {
    for (const s of systems) {
      chunks.set(s.id, []);
      for (let k = 0; k < 2; k++) await s.step();
    }
    for (let round = 0; round < rounds; round++)
      for (let k = 0; k < systems.length; k++) {
        const system = systems[(k + round) % systems.length];
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        let samples = 0;
        do samples += await system.step();
        while (performance.now() - t0 < chunkMs);
        const wallMs = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        chunks.get(system.id)?.push({ samples, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 });
      }
  };
  const tfjs = async (backend: 'cpu' | 'wasm') => {
    const { tf, tfl } = await loadTf(backend);
    return { tf: tf as TfConvCore, tfl: tfl as unknown as TfConvLayers };
  };

  // inference, tfjs on wasm
  const inference: System[] = nets.map(inferBatched);
  let tfWasm: { tf: TfConvCore; tfl: TfConvLayers } | null = null;
  try {
    tfWasm = await tfjs('wasm');
  } catch (error) {
    for (const net of nets)
      unavailable.push({ id: `${net}/infer-tfjs-wasm-b32`, chunks: [], unavailable: firstLine(error) });
  }
  let tfjsWasmTraining: string | null = null;
  if (tfWasm) {
    const { tf, tfl } = tfWasm;
    for (const net of nets) {
      seedMathRandom(WEIGHT_SEED);
      inference.push(tfSystem(tf, tfModel(tf, tfl, net), `${net}/infer-tfjs-wasm-b32`, false, BATCH));
    }
    // can tfjs wasm train conv2d here? (4.22 cannot: no Conv2DBackpropFilter)
    try {
      await tfSystem(tf, tfModel(tf, tfl, 'seed003'), 'probe', true, BATCH).step();
    } catch (error) {
      tfjsWasmTraining = firstLine(error);
    }
  }
  await measure(inference);

  // training, tfjs on cpu (or wasm where it can train)
  const training: System[] = [];
  for (const net of nets) training.push(perSample(net), batched(net, 'f64'), batched(net, 'f32'));
  try {
    const backend = tfWasm !== null && tfjsWasmTraining === null ? 'wasm' : 'cpu';
    const { tf, tfl } = await tfjs(backend);
    for (const net of nets) {
      seedMathRandom(WEIGHT_SEED);
      training.push(tfSystem(tf, tfModel(tf, tfl, net), `${net}/tfjs-${backend}-b32`, true, BATCH));
    }
  } catch (error) {
    for (const net of nets) unavailable.push({ id: `${net}/tfjs-cpu-b32`, chunks: [], unavailable: firstLine(error) });
  }
  await measure(training);
  return {
    rounds,
    chunkMs,
    tfjsWasmTraining,
    systems: [...[...chunks].map(([id, c]) => ({ id, chunks: c })), ...unavailable],
  };
}

function firstLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

workerMain(main);
