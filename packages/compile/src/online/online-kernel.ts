/**
 * One sample at a time through a layered network in WebAssembly SIMD (f64x2): 1.x's `activate`
 * and `propagate`, with the weights living in the kernel's memory (the network's blocks adopt
 * those arrays, so nothing is copied per step and `parameters()` reads them). The products run
 * in wasm (src/wasm/online.wat); the squashes, biases and per-unit errors, one number per unit,
 * run here, and every trace a step writes (states, activations, derivatives, errors) goes
 * straight into the network's stores, as the generated JavaScript writes them.
 *
 * 1.x's online rule, in its order (eq. 10, 21, 24 for a layered network, where each trace is
 * the source activation): the output layer's δ_k = t_k − y_k (no derivative); its weights
 * w_kj += (rate·δ_k)·y_j and biases b_k += rate·δ_k; THEN a hidden unit's δ_j = f'(s_j)·Σ_k δ_k w_kj
 * over the UPDATED weights; and so on down. A step that writes a NaN or ±Infinity reports it
 * (`propagate` returns false) and `undo` puts back exactly the numbers it changed.
 */
import { bumpStructure, type Network, type NeuronStore } from '@synaptic/core';
import { squashLayer } from '../batch/squash-kernels.js';
import { type DenseChain, readDenseChain } from '../batch/topology.js';
import { inBatchHeap } from '../wasm/kernel-heaps.js';
import { type OnlineExports, type OnlineInstance, onlineWasm } from './online-module.js';

/** The instance whose memory holds a network's weights, by that memory's buffer, with its layout. */
const placed = new WeakMap<ArrayBufferLike, { readonly instance: OnlineInstance; readonly layout: string }>();

/** The run of a store holding one layer's units: views of its per-unit fields. */
interface UnitRun {
  readonly state: Float64Array;
  readonly old: Float64Array;
  readonly activation: Float64Array;
  readonly derivative: Float64Array;
  readonly bias: Float64Array;
  readonly responsibility: Float64Array;
  readonly projected: Float64Array;
  readonly gated: Float64Array;
}

interface OnlineLayer {
  readonly m: number;
  readonly n: number;
  readonly run: UnitRun;
  readonly chain: DenseChain['layers'][number];
  /** byte offsets in the kernel's memory */
  readonly weightAt: number;
  readonly undoAt: number;
  readonly dotAt: number;
  readonly deltaAt: number;
  /** Σ_k δ_k w_kj flowing back into the layer below (0: none, this is the first layer) */
  readonly backAt: number;
  /** byte offset of this layer's input activations (the layer below's, or the network input) */
  readonly inputAt: number;
  /** heap views of the same */
  readonly weight: Float64Array;
  readonly undo: Float64Array;
  readonly dot: Float64Array;
  readonly delta: Float64Array;
  /** view of the back-flow (null for the first layer) */
  readonly back: Float64Array | null;
  /** the activations this layer hands up (hidden layers only) */
  readonly up: Float64Array | null;
  /** this step's old biases */
  readonly undoBias: Float64Array;
}

function runOf(store: NeuronStore, first: number, m: number): UnitRun {
  const view = (a: Float64Array) => a.subarray(first, first + m);
  return {
    state: view(store.state),
    old: view(store.old),
    activation: view(store.activation),
    derivative: view(store.derivative),
    bias: view(store.bias),
    responsibility: view(store.responsibility),
    projected: view(store.projected),
    gated: view(store.gated),
  };
}

/**
 * Why the online kernel cannot run `network`, or null when it can: a layered network (the class
 * compileBatch runs) without layer functions, fixed parameters or tied blocks.
 */
export function onlineUnsupported(network: Network): string | null {
  let chain: DenseChain;
  try {
    chain = readDenseChain(network);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  for (const layer of chain.layers) {
    if (layer.layerFunction !== null) return `a layer runs ${layer.layerFunction.name}`;
    if (layer.weightFixed !== null || layer.biasFixed !== null) return 'a weight or bias is fixed';
    const block = layer.block;
    if (block.tiedTo !== null || (block.ties !== null && block.ties.length > 0)) return 'a block is tied';
    if (inBatchHeap(layer.weight)) return "the weights live in a compileBatch's memory";
  }
  const input = network.layers.input?.list ?? [];
  if (input.some((u, k) => u.store !== input[0].store || u.index !== input[0].index + k))
    return "the input layer's units are not stored together";
  return null;
}

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** The kernel of one structure of `network` (checked by `onlineUnsupported`); null without WebAssembly SIMD. */
export class OnlineKernel {
  private readonly wasm: OnlineExports;
  private readonly layers: readonly OnlineLayer[];
  private readonly input: Float64Array;
  private readonly inputRun: UnitRun;
  private readonly outputs: number;

  static build(network: Network): OnlineKernel | null {
    const chain = readDenseChain(network);
    const sizes = [chain.inputSize, ...chain.layers.map((l) => l.size)];
    // layout: input activations, then per layer its weights, undo log, dot products, δ, back-flow, activations
    let bytes = align(sizes[0] * 8);
    const plan = chain.layers.map((layer, l) => {
      const take = (count: number) => {
        const at = bytes;
        bytes += align(count * 8);
        return at;
      };
      const weightAt = take(layer.size * layer.inputs);
      const undoAt = take(layer.size * layer.inputs);
      const dotAt = take(layer.size);
      const deltaAt = take(layer.size);
      const backAt = l > 0 ? take(layer.inputs) : 0;
      const upAt = l < chain.layers.length - 1 ? take(layer.size) : -1;
      return { weightAt, undoAt, dotAt, deltaAt, backAt, upAt };
    });
    // a rebuild (setOptimize, a change elsewhere in the network) finds the weights where the last
    // build put them, in the same layout: they stay, so parameters() read before remain the live arrays
    const layout = `${sizes.join(',')}|${plan.map((p) => p.weightAt).join(',')}`;
    const home = placed.get(chain.layers[0].weight.buffer);
    const stays =
      home !== undefined &&
      home.layout === layout &&
      chain.layers.every(
        (layer, l) =>
          layer.weight.buffer === home.instance.memory.buffer &&
          layer.block.weight.byteOffset === plan[l].weightAt &&
          layer.block.weight.length === layer.size * layer.inputs,
      );
    const made = stays ? home.instance : onlineWasm(bytes);
    if (made === null) return null;
    const buffer = made.memory.buffer;
    const f64 = (at: number, count: number) => new Float64Array(buffer, at, count);
    if (!stays) {
      // the network's weights move into the kernel's memory (same values): its blocks and
      // parameters() use these arrays from now on, so no step copies them
      chain.layers.forEach((layer, l) => {
        const count = layer.size * layer.inputs;
        const weight = f64(plan[l].weightAt, count);
        weight.set(layer.block.weight.subarray(0, count));
        layer.block.weight = weight;
      });
      placed.set(buffer, { instance: made, layout });
      bumpStructure(...new Set(chain.layers.map((layer) => layer.block.to[0].store)));
    }
    const moved = readDenseChain(network);
    const layers = moved.layers.map((layer, l): OnlineLayer => {
      const unit = layer.block.to[0];
      const m = layer.size;
      const n = layer.inputs;
      const at = plan[l];
      return {
        m,
        n,
        run: runOf(unit.store, unit.index, m),
        chain: layer,
        weightAt: at.weightAt,
        undoAt: at.undoAt,
        dotAt: at.dotAt,
        deltaAt: at.deltaAt,
        backAt: at.backAt,
        inputAt: l === 0 ? 0 : plan[l - 1].upAt,
        weight: layer.weight,
        undo: f64(at.undoAt, m * n),
        dot: f64(at.dotAt, m),
        delta: f64(at.deltaAt, m),
        back: l > 0 ? f64(at.backAt, n) : null,
        up: at.upAt >= 0 ? f64(at.upAt, m) : null,
        undoBias: new Float64Array(m),
      };
    });
    const first = network.layers.input?.list[0];
    if (first === undefined) return null;
    return new OnlineKernel(made.exports, layers, f64(0, sizes[0]), runOf(first.store, first.index, sizes[0]));
  }

  private constructor(wasm: OnlineExports, layers: readonly OnlineLayer[], input: Float64Array, inputRun: UnitRun) {
    this.wasm = wasm;
    this.layers = layers;
    this.input = input;
    this.inputRun = inputRun;
    this.outputs = layers[layers.length - 1].m;
  }

  /** The weight arrays the kernel reads (the network's blocks hold the same). */
  weights(): Float64Array[] {
    return this.layers.map((l) => l.weight);
  }

  /** Eq. 15-16 layer by layer; the output layer's activations into `output`. */
  activate(input: ArrayLike<number>, output: number[]): number[] {
    const x = this.input;
    x.set(input);
    // 1.x's input units: activation = the input, derivative 0, bias 0
    const ir = this.inputRun;
    ir.activation.set(x);
    ir.derivative.fill(0);
    ir.bias.fill(0);
    const wasm = this.wasm;
    for (const layer of this.layers) {
      const { m, n, run, dot } = layer;
      // s_j − b_j = Σ_i w_ji y_i (eq. 15; no self-connection in a layered network)
      wasm.rows_dot(layer.weightAt, layer.inputAt, layer.dotAt, m, n);
      const { state, old, bias } = run;
      for (let j = 0; j < m; j++) {
        old[j] = state[j];
        state[j] = dot[j] + bias[j];
      }
      // eq. 16: y = f(s) and f'(s), the activations to the next layer's input (and to the store)
      const c = layer.chain;
      if (layer.up !== null) {
        squashLayer(c.squash, c.squashes, bias, m, dot, 0, 1, 1, run.derivative, layer.up, 0, 1, 1);
        run.activation.set(layer.up);
      } else squashLayer(c.squash, c.squashes, bias, m, dot, 0, 1, 1, run.derivative, run.activation, 0, 1, 1);
    }
    const y = this.layers[this.layers.length - 1].run.activation;
    for (let k = 0; k < this.outputs; k++) output[k] = y[k];
    return output;
  }

  /** 1.x's online step (see the file's comment); false when a weight or bias it wrote is not finite. */
  propagate(rate: number, target: ArrayLike<number>): boolean {
    const wasm = this.wasm;
    const layers = this.layers;
    let bad = 0;
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l];
      const { m, n, run, delta } = layer;
      const { projected, responsibility } = run;
      if (l === layers.length - 1) {
        // eq. 10: δ = t − y, without the squash derivative (as 1.x)
        const y = run.activation;
        for (let j = 0; j < m; j++) {
          const d = target[j] - y[j];
          projected[j] = d;
          responsibility[j] = d;
          delta[j] = d;
        }
      } else {
        // eq. 21: δ_j = f'(s_j) · Σ_k δ_k w_kj, the sum over the weights just updated
        const sum = layers[l + 1].back as Float64Array;
        const { derivative, gated } = run;
        for (let j = 0; j < m; j++) {
          const derivativeJ = derivative[j];
          const d = derivativeJ * sum[j];
          projected[j] = d;
          gated[j] = derivativeJ * 0;
          responsibility[j] = d + gated[j];
          delta[j] = responsibility[j];
        }
      }
      layer.back?.fill(0);
      // eq. 24: w_ji += rate · δ_j y_i (the old ones into the undo log), and the back-flow
      const update = layer.back === null ? wasm.update : wasm.update_back;
      bad |= update(layer.weightAt, layer.undoAt, layer.inputAt, layer.deltaAt, layer.backAt, m, n, rate);
      const { bias } = run;
      const undoBias = layer.undoBias;
      let fin = 0;
      for (let j = 0; j < m; j++) {
        const old = bias[j];
        undoBias[j] = old;
        const b = old + rate * responsibility[j];
        bias[j] = b;
        fin += b - b;
      }
      if (fin !== 0) bad = 1;
    }
    return bad === 0;
  }

  /** Puts back the weights and biases the last `propagate` wrote. */
  undo(): void {
    for (const layer of this.layers) {
      layer.weight.set(layer.undo);
      layer.run.bias.set(layer.undoBias);
    }
  }
}
