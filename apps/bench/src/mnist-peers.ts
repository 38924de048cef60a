/**
 * The systems of the MNIST suite, loaded inside a worker process and adapted to one interface:
 * a 784-100-10 logistic network trained online at rate 0.1. The peers are untyped (or, for
 * TensorFlow.js, typed through packages that may fail to install): the small interfaces below
 * describe the part used.
 */
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { HandWrittenMlp } from './nets/hand-written.js';
import { mulberry32 } from './lib/prng.js';
import { requirePeer } from './lib/worker-main.js';
import { loadCompile, loadCore } from './peers.js';
import type { MnistSystemId } from './systems.js';

const require = createRequire(import.meta.url);

export const RATE = 0.1;
export const INPUTS = 784;
export const HIDDEN = 100;
export const OUTPUTS = 10;

export interface Digit {
  /** 784 grey levels in [0, 1] */
  input: number[];
  /** one-hot, 10 */
  output: number[];
}

export interface MnistModel {
  /** Samples per training step and per inference call (1, or 32 for the batch-32 row). */
  readonly batch: number;
  /** One pass of training over `digits`, in order (the timed part). */
  trainPass(digits: readonly Digit[]): void | Promise<void>;
  /** Runs inference over every input, `batch` at a time (the timed part); returns nothing. */
  inferAll(inputs: readonly number[][]): void | Promise<void>;
  /** The outputs for one input (accuracy check, untimed). */
  predict(input: number[]): ArrayLike<number>;
}

/** Builds a fresh, seeded 784-100-10 network of one system. */
export type MnistFactory = (seed: number) => MnistModel | Promise<MnistModel>;

/** A model trained and run one sample at a time through activate/propagate. */
function onlineModel(net: { activate(x: number[]): ArrayLike<number>; propagate(target: number[]): void }): MnistModel {
  return {
    batch: 1,
    trainPass(digits) {
      for (const d of digits) {
        net.activate(d.input);
        net.propagate(d.output);
      }
    },
    inferAll(inputs) {
      for (const x of inputs) net.activate(x);
    },
    predict: (x) => net.activate(x),
  };
}

/** synaptic 1.x: `new Architect.Perceptron(784, 100, 10)` in its default (optimized) mode. */
interface Synaptic1Module {
  Architect: {
    Perceptron: new (
      ...layers: number[]
    ) => { activate(x: number[]): number[]; propagate(rate: number, y: number[]): void };
  };
}

/** neataptic: propagate(rate, momentum, update, target). */
interface NeatapticModule {
  architect: {
    Perceptron: new (
      ...layers: number[]
    ) => {
      activate(x: number[]): number[];
      propagate(rate: number, momentum: number, update: boolean, y: number[]): void;
    };
  };
}

/** brain.js 1.x's NeuralNetwork. */
interface BrainModule {
  NeuralNetwork: new (options: {
    hiddenLayers: number[];
    activation: string;
    learningRate: number;
  }) => {
    train(
      data: readonly Digit[],
      options: { iterations: number; learningRate: number },
    ): { error: number; iterations: number };
    run(input: number[]): ArrayLike<number>;
  };
}

/** The part of TensorFlow.js (tfjs-core + tfjs-layers) used here. */
export interface TfTensor {
  dataSync(): Float32Array;
  dispose(): void;
}
export interface TfCore {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  tensor2d(values: readonly number[][] | Float32Array, shape?: [number, number]): TfTensor;
  tidy<T extends TfTensor>(fn: () => T): T;
  train: {
    sgd(learningRate: number): unknown;
    adam(learningRate: number, beta1?: number, beta2?: number, epsilon?: number): unknown;
  };
  argMax(x: TfTensor, axis: number): TfTensor;
}
export interface TfSequential {
  add(layer: unknown): void;
  compile(args: { optimizer: unknown; loss: string }): void;
  fit(
    x: TfTensor,
    y: TfTensor,
    args: { batchSize: number; epochs: number; shuffle: boolean; verbose: number },
  ): Promise<unknown>;
  predict(x: TfTensor): TfTensor;
}
export interface TfLayers {
  sequential(): TfSequential;
  layers: {
    dense(args: { units: number; activation: string; inputShape?: number[]; kernelInitializer?: unknown }): unknown;
  };
  initializers: { glorotUniform(args: { seed?: number }): unknown };
}
interface TfWasm {
  setWasmPaths(prefix: string): void;
}

let tfBackend: string | null = null;

/** TensorFlow.js with `backend` ('cpu' or 'wasm') selected. */
export async function loadTf(backend: 'cpu' | 'wasm'): Promise<{ tf: TfCore; tfl: TfLayers }> {
  const tf = requirePeer<TfCore>('@tensorflow/tfjs-core');
  const tfl = requirePeer<TfLayers>('@tensorflow/tfjs-layers');
  requirePeer<unknown>('@tensorflow/tfjs-backend-cpu');
  if (backend === 'wasm') {
    const wasm = requirePeer<TfWasm>('@tensorflow/tfjs-backend-wasm');
    // the .wasm binaries ship in the package's dist/; in Node a file path prefix works
    wasm.setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/')}`);
  }
  if (tfBackend !== backend) {
    if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js could not initialise its ${backend} backend`);
    await tf.ready();
    tfBackend = tf.getBackend();
  }
  return { tf, tfl };
}

/**
 * Sequential dense(100, sigmoid) -> dense(10, sigmoid), SGD(0.1), mean squared error, trained
 * with `model.fit` at `batch` samples per step (one epoch, no shuffle), run with `model.predict`.
 */
async function tfModel(backend: 'cpu' | 'wasm', batch: number, seed: number): Promise<MnistModel> {
  const { tf, tfl } = await loadTf(backend);
  const model = tfl.sequential();
  model.add(
    tfl.layers.dense({
      inputShape: [INPUTS],
      units: HIDDEN,
      activation: 'sigmoid',
      kernelInitializer: tfl.initializers.glorotUniform({ seed }),
    }),
  );
  model.add(
    tfl.layers.dense({
      units: OUTPUTS,
      activation: 'sigmoid',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
    }),
  );
  model.compile({ optimizer: tf.train.sgd(RATE), loss: 'meanSquaredError' });
  return {
    batch,
    async trainPass(digits) {
      // the pass's tensors are made from the JS arrays here, timed, as the other systems read JS arrays too
      const xs = tf.tensor2d(digits.map((d) => d.input));
      const ys = tf.tensor2d(digits.map((d) => d.output));
      try {
        await model.fit(xs, ys, { batchSize: batch, epochs: 1, shuffle: false, verbose: 0 });
      } finally {
        xs.dispose();
        ys.dispose();
      }
    },
    inferAll(inputs) {
      for (let i = 0; i < inputs.length; i += batch) {
        const chunk = inputs.slice(i, i + batch);
        const y = tf.tidy(() => model.predict(tf.tensor2d(chunk)));
        y.dataSync();
        y.dispose();
      }
    },
    predict(input) {
      const y = tf.tidy(() => model.predict(tf.tensor2d([input])));
      const out = y.dataSync();
      y.dispose();
      return out;
    },
  };
}

/**
 * The factory of one system. Peers that draw their initial weights from `Math.random` are seeded
 * by the worker (it replaces `Math.random` with a seeded generator before each build).
 */
export async function loadMnistSystem(id: MnistSystemId): Promise<MnistFactory> {
  switch (id) {
    case 'hand-written':
      return (seed) => {
        const net = new HandWrittenMlp(INPUTS, HIDDEN, OUTPUTS, mulberry32(seed));
        return onlineModel({ activate: (x) => net.activate(x), propagate: (y) => net.propagate(RATE, y) });
      };
    case 'compiled':
    case 'interpreted': {
      const { Layer, Network } = await loadCore();
      const optimize = id === 'compiled' ? (await loadCompile()).optimize : null;
      return () => {
        const input = new Layer(INPUTS);
        const hidden = new Layer(HIDDEN);
        const output = new Layer(OUTPUTS);
        input.project(hidden);
        hidden.project(output);
        const net = new Network({ input, hidden: [hidden], output });
        if (optimize) optimize(net);
        return onlineModel({ activate: (x) => net.activate(x), propagate: (y) => net.propagate(RATE, y) });
      };
    }
    case 'synaptic1': {
      const synaptic = requirePeer<Synaptic1Module>('synaptic');
      return () => {
        // default mode: optimized (1.x generates the network's code on the first activate)
        const net = new synaptic.Architect.Perceptron(INPUTS, HIDDEN, OUTPUTS);
        return onlineModel({ activate: (x) => net.activate(x), propagate: (y) => net.propagate(RATE, y) });
      };
    }
    case 'neataptic': {
      const neataptic = requirePeer<NeatapticModule>('neataptic');
      return () => {
        const net = new neataptic.architect.Perceptron(INPUTS, HIDDEN, OUTPUTS);
        return onlineModel({ activate: (x) => net.activate(x), propagate: (y) => net.propagate(RATE, 0, true, y) });
      };
    }
    case 'brain': {
      const brain = requirePeer<BrainModule>('brain.js');
      return () => {
        const net = new brain.NeuralNetwork({ hiddenLayers: [HIDDEN], activation: 'sigmoid', learningRate: RATE });
        return {
          batch: 1,
          trainPass(digits) {
            // brain.js sizes and initialises the network on its first train() call (the warm-up)
            net.train(digits, { iterations: 1, learningRate: RATE });
          },
          inferAll(inputs) {
            for (const x of inputs) net.run(x);
          },
          predict: (x) => net.run(x),
        };
      };
    }
    case 'tfjs-cpu':
      await loadTf('cpu');
      return (seed) => tfModel('cpu', 1, seed);
    case 'tfjs-wasm':
      await loadTf('wasm');
      return (seed) => tfModel('wasm', 1, seed);
    case 'tfjs-wasm-b32':
      await loadTf('wasm');
      return (seed) => tfModel('wasm', 32, seed);
  }
}
