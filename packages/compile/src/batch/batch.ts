/**
 * Batched execution: B samples of a layered network forward and backward at once, as matrix
 * products (eq. 15's sums and eq. 24's gradients over the whole batch) in WebAssembly SIMD or
 * JavaScript kernels. Gradients are ADDED to the network's own `parameters()` gradient arrays,
 * as B calls of `network.backward` would add them; the network's weights are read, never written,
 * and its neuron states are left alone.
 */
import {
  type CostFunction,
  InvalidArgumentError,
  InvalidValueError,
  bumpStructure,
  type Network,
  SizeMismatchError,
} from '@synaptic/core';
import { markBatchHeap } from '../wasm/kernel-heaps.js';
import { wasmKernels } from '../wasm/runtime.js';
import { type DenseKernels, jsKernels, type Precision } from './kernels.js';
import { type BatchLayout, layOut, pad4, pad8 } from './layout.js';
import { OpBatch } from './op-batch.js';
import { hasOps } from './op-chain.js';
import { differentiableCost, outputDelta } from './output-delta.js';
import { sampleCount } from './samples.js';
import { squashLayer } from './squash-kernels.js';
import { type DenseChain, readDenseChain } from './topology.js';

export interface BatchOptions {
  /** the most samples one `forward` takes */
  readonly batchSize: number;
  /** 'f64' (default) or 'f32': the kernels' arithmetic and the heap they read */
  readonly precision?: Precision;
  /** 'auto' (default): WebAssembly SIMD where available, else JavaScript; 'wasm' insists; 'js' forces the fallback */
  readonly backend?: 'auto' | 'wasm' | 'js';
}

export interface BatchBackwardOptions {
  /** default cost.MSE; a softmax output with cost.CROSS_ENTROPY uses ∂E/∂s = y·Σt − t, as `network.backward` does */
  readonly cost?: CostFunction;
  /** true (default): the batch's gradient is added to the parameters' gradients; false: it replaces them (fixed entries left alone), which saves zeroing them first */
  readonly accumulate?: boolean;
}

interface Built {
  readonly version: number;
  readonly chain: DenseChain;
  readonly layout: BatchLayout;
  readonly kernels: DenseKernels;
  /** per layer 1..L: f'(s), units × columns */
  readonly derivatives: Float64Array[];
  /** per layer: whether the last forward left f'(s) in the heap (derivativeT, a kernel squashed it) rather than in `derivatives` */
  readonly heapDerivative: boolean[];
  readonly output: Float64Array;
  /** rows of the widest layer for the layer functions and the cost, and one sample's target and output as arrays (for the cost functions): nothing is allocated per batch */
  readonly scratch: readonly Float64Array[];
  readonly costRows: { readonly t: number[]; readonly y: number[] };
  /** per layer, the arrays this batch gave the network's block (a later batch may take them over) */
  readonly adopted: ReadonlyArray<{ readonly weight: Float64Array; readonly gradient: Float64Array } | null>;
}

function checkOptions(options: BatchOptions): Required<BatchOptions> {
  if (options === null || typeof options !== 'object')
    throw new InvalidArgumentError('compileBatch: options must be an object such as { batchSize: 32 }');
  const { batchSize, precision = 'f64', backend = 'auto' } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 65536)
    throw new InvalidArgumentError(
      `compileBatch: batchSize must be an integer from 1 to 65536, got ${String(batchSize)}`,
    );
  if (precision !== 'f64' && precision !== 'f32')
    throw new InvalidArgumentError(`compileBatch: precision must be 'f64' or 'f32', got ${String(precision)}`);
  if (backend !== 'auto' && backend !== 'wasm' && backend !== 'js')
    throw new InvalidArgumentError(`compileBatch: backend must be 'auto', 'wasm' or 'js', got ${String(backend)}`);
  return { batchSize, precision, backend };
}

/** A network compiled for batches of up to `batchSize` samples. Made by `compileBatch`. */
export class CompiledBatch {
  readonly batchSize: number;
  readonly precision: Precision;
  private readonly requested: 'auto' | 'wasm' | 'js';
  private built: Built;
  /** a network with convolution or pooling runs on op-batch.ts instead */
  private readonly ops: OpBatch | null;
  /** samples in the last forward; 0 before the first */
  private count = 0;

  constructor(
    readonly network: Network,
    options: BatchOptions,
  ) {
    const checked = checkOptions(options);
    this.batchSize = checked.batchSize;
    this.precision = checked.precision;
    this.requested = checked.backend;
    this.ops = hasOps(network) ? new OpBatch(network, this.batchSize, this.precision, this.requested) : null;
    this.built = this.ops === null ? this.build() : (null as unknown as Built);
  }

  /** 'wasm' or 'js': which kernels run. */
  get backend(): 'wasm' | 'js' {
    if (this.ops !== null) return this.ops.backend;
    return this.built.kernels.backend;
  }

  get inputSize(): number {
    if (this.ops !== null) return this.ops.inputSize;
    return this.built.chain.inputSize;
  }

  get outputSize(): number {
    if (this.ops !== null) return this.ops.outputSize;
    const layers = this.built.chain.layers;
    return layers[layers.length - 1].size;
  }

  private build(): Built {
    const found = readDenseChain(this.network);
    const wide = this.precision === 'f64' ? 1 : 2;
    const layout = layOut(found, this.batchSize, wide);
    let kernels: DenseKernels | null = null;
    if (this.requested !== 'js') kernels = wasmKernels(this.precision, layout.elements);
    if (kernels === null && this.requested === 'wasm')
      throw new InvalidArgumentError(
        "compileBatch: backend 'wasm' needs WebAssembly SIMD, which is not available here",
      );
    kernels ??= jsKernels(this.precision, layout.elements);
    // the network's weights and gradients move into the kernels' heap (same values; the network
    // and its parameters() then use these arrays), so that no step copies them
    const buffer = kernels.heap.buffer;
    markBatchHeap(buffer);
    // (tied blocks share their arrays with other blocks, maybe outside this network: those stay, and are copied)
    const adopted = found.layers.map((layer, l) => {
      const block = layer.block;
      if (block.tiedTo !== null || (block.ties !== null && block.ties.length > 0)) return null;
      const slots = layout.layers[l];
      const count = layer.size * layer.inputs;
      const weight = new Float64Array(buffer, (slots.weight64 * 8) / wide, count);
      const gradient = new Float64Array(buffer, (slots.gradient64 * 8) / wide, count);
      weight.set(block.weight.subarray(0, count));
      gradient.set(block.ensureGradient().subarray(0, count));
      block.weight = weight;
      block.gradient = gradient;
      return { weight, gradient };
    });
    // the network's executors and parameters() must see the new arrays
    bumpStructure(
      ...new Set(found.layers.filter((_, l) => adopted[l] !== null).map((layer) => layer.block.to[0].store)),
    );
    const chain = readDenseChain(this.network);
    const derivatives = chain.layers.map((l) => new Float64Array(l.size * layout.columns));
    const output = new Float64Array(this.batchSize * chain.layers[chain.layers.length - 1].size);
    const widest = Math.max(chain.inputSize, ...chain.layers.map((l) => l.size));
    const scratch = Array.from({ length: 3 }, () => new Float64Array(widest));
    const top = chain.layers[chain.layers.length - 1].size;
    const costRows = { t: new Array<number>(top).fill(0), y: new Array<number>(top).fill(0) };
    return {
      version: this.network.structureVersion(),
      chain,
      layout,
      kernels,
      derivatives,
      heapDerivative: chain.layers.map(() => false),
      output,
      scratch,
      costRows,
      adopted,
    };
  }

  /** The current build; rebuilt when the network's structure has changed since. */
  private current(): Built {
    if (this.network.structureVersion() !== this.built.version) {
      this.built = this.build();
      this.count = 0;
    }
    return this.built;
  }

  /**
   * Runs `inputs` (count × inputSize numbers, sample after sample, 1 ≤ count ≤ batchSize)
   * forward. Returns the outputs, count × outputSize, in an array this batch reuses on the next
   * call. Reads the network's current weights and biases. `onChecked`, if given, is called once
   * every input is known to be finite, before any layer runs (parallelBatch's workers say so).
   */
  forward(inputs: ArrayLike<number>, onChecked?: () => void): Float64Array {
    if (this.ops !== null) return this.ops.forward(inputs, onChecked);
    const built = this.current();
    const { chain, layout, kernels, derivatives } = built;
    const h = kernels.heap;
    const n0 = chain.inputSize;
    const count = sampleCount(inputs, n0, this.batchSize);
    this.count = 0;
    const cols = layout.columns;
    const width = pad8(count);
    // the input layer: activations row-major (one bulk copy when the rows need no padding), then transposed
    const xt = layout.activationsT[0];
    const x = layout.activations[0];
    const ld0 = pad8(n0);
    if (ld0 === n0 && ArrayBuffer.isView(inputs)) h.set(inputs as unknown as ArrayLike<number>, x);
    else for (let b = 0; b < count; b++) for (let i = 0; i < n0; i++) h[x + b * ld0 + i] = inputs[b * n0 + i];
    // transposed, checking each value on the way (NaN and ±Infinity, or past float32's range at f32, give v − v ≠ 0)
    const bad = kernels.transpose(xt, cols, x, ld0, n0, count);
    if (bad >= 0)
      throw new InvalidValueError(
        `batch forward input ${bad % n0} of sample ${Math.floor(bad / n0)}${this.precision === 'f32' && Number.isFinite(inputs[bad]) ? ' (as a float32)' : ''}`,
        inputs[bad],
      );
    onChecked?.();
    const last = chain.layers.length - 1;
    chain.layers.forEach((layer, l) => {
      const slots = layout.layers[l];
      const m = layer.size;
      const n = layer.inputs;
      const block = layer.block;
      if (block.weight !== built.adopted[l]?.weight) h.set(block.weight.subarray(0, m * n), slots.weight);
      else if (this.precision === 'f32') kernels.demote(slots.weight * 4, slots.weight64 * 4, m * n);
      // Sᵀ = W · Yᵀ (eq. 15 without the bias, for every sample)
      kernels.gemm(slots.statesT, cols, slots.weight, n, 1, layout.activationsT[l], cols, pad4(m), width, n, false);
      const isOutput = l === last;
      const yt = isOutput ? null : h;
      const ytAt = isOutput ? 0 : layout.activationsT[l + 1];
      const rows = isOutput ? 0 : layout.activations[l + 1];
      const ld = pad8(m);
      const d = derivatives[l];
      if (layer.layerFunction !== null) {
        const fn = layer.layerFunction;
        const [s, y, dd] = built.scratch;
        for (let b = 0; b < count; b++) {
          for (let j = 0; j < m; j++) s[j] = h[slots.statesT + j * cols + b] + layer.bias[j];
          fn.forward(s, y, dd, m);
          for (let j = 0; j < m; j++) {
            if (yt !== null) {
              h[ytAt + j * cols + b] = y[j];
              h[rows + b * ld + j] = y[j];
            } else built.output[b * m + j] = y[j];
            d[j * cols + b] = dd[j];
          }
        }
      } else if (yt !== null) {
        // a hidden layer: its activations transposed (the next product's operand), then row-major
        // (the operand of the weight gradient) by one transposition
        const fused = layer.squash === 'LOGISTIC' && kernels.logistic !== null;
        if (fused) {
          // the biases in the heap's type, then bias, squash and f'(s) in one pass (f32 wasm: 4-byte elements)
          for (let j = 0; j < m; j++) h[slots.bias + j] = layer.bias[j];
          kernels.logistic?.(slots.statesT * 4, slots.bias * 4, m, cols, count, ytAt * 4, slots.derivativeT * 4);
        } else
          squashLayer(layer.squash, layer.squashes, layer.bias, m, h, slots.statesT, cols, count, d, h, ytAt, cols, 1);
        built.heapDerivative[l] = fused;
        kernels.transpose(rows, ld, ytAt, cols, count, m);
      } else {
        const o = built.output;
        squashLayer(layer.squash, layer.squashes, layer.bias, m, h, slots.statesT, cols, count, d, o, 0, 1, m);
      }
    });
    const out = built.output.subarray(0, count * this.outputSize);
    for (let k = 0; k < out.length; k++) {
      if (!Number.isFinite(out[k]))
        throw new InvalidValueError(
          `batch forward output ${k % this.outputSize} of sample ${Math.floor(k / this.outputSize)}`,
          out[k],
        );
    }
    this.count = count;
    return out;
  }

  /**
   * gradient[k] += row[k] for every k, where `gradient` is a parameter's gradient of this batch's
   * network (parallelBatch adds another thread's chunk with it): through the kernels when the
   * gradient lives in their heap (the adopted weight gradients), else in JavaScript. Same sums,
   * same order, either way.
   */
  addToGradient(gradient: Float64Array, row: Float64Array): void {
    const { kernels, layout } = this.built;
    const buffer = kernels.heap.buffer;
    const length = gradient.length;
    if (gradient.buffer === buffer && gradient.byteOffset % 16 === 0 && length + 1 <= layout.rowScratchLength) {
      const scratch = new Float64Array(buffer, layout.rowScratch64 * 8, length + 1);
      // the odd entry of an odd length adds scratch's spare to the entry after the gradient: 0 to its slack
      scratch.set(row);
      scratch[length] = 0;
      kernels.add64(gradient.byteOffset, layout.rowScratch64 * 8, length);
    } else for (let k = 0; k < length; k++) gradient[k] += row[k];
  }

  /**
   * After `forward(inputs)`: adds ∂E/∂θ summed over its samples to every parameter's gradient
   * (the arrays of `network.parameters()`), fixed entries left alone. `targets` holds count ×
   * outputSize numbers. Returns E summed over the samples.
   */
  backward(targets: ArrayLike<number>, options: BatchBackwardOptions = {}): number {
    if (options === null || typeof options !== 'object')
      throw new InvalidArgumentError('batch backward: options must be an object such as { cost: cost.MSE }');
    const add = options.accumulate ?? true;
    if (typeof add !== 'boolean')
      throw new InvalidArgumentError(`batch backward: accumulate must be true or false, got ${String(add)}`);
    if (this.ops !== null) return this.ops.backward(targets, options);
    const count = this.count;
    if (count === 0 || this.network.structureVersion() !== this.built.version)
      throw new InvalidArgumentError('batch backward: call forward(inputs) first (and after any change of structure)');
    const costFn = differentiableCost(options.cost);
    const { chain, layout, kernels, derivatives, output, scratch } = this.built;
    const h = kernels.heap;
    const cols = layout.columns;
    const L = chain.layers.length;
    const top = chain.layers[L - 1];
    const m = top.size;
    if (targets === null || typeof targets !== 'object' || targets.length !== count * m)
      throw new SizeMismatchError(`batch backward targets (${count} samples of ${m})`, count * m, targets?.length);
    // the output layer's ∂E/∂s, sample by sample
    // views of exactly m numbers (the cost functions read their arguments' lengths; they take arrays)
    const [dEdy, yv, into] = scratch.map((row) => row.subarray(0, m));
    const rows = { ...this.built.costRows, dEdy, yv, into };
    const dTop = derivatives[L - 1];
    const eTop = layout.layers[L - 1].errorsT;
    let error = 0;
    for (let b = 0; b < count; b++) {
      error += outputDelta(targets, output, b, m, costFn, top.layerFunction, dTop, cols, rows);
      for (let k = 0; k < m; k++) h[eTop + k * cols + b] = into[k];
    }
    const width = pad8(count);
    for (let l = L - 1; l >= 0; l--) {
      const layer = chain.layers[l];
      const slots = layout.layers[l];
      const rows = layer.size;
      const n = layer.inputs;
      const ldIn = pad8(n);
      // G = Δᵀ · Y_{l−1}: ∂E/∂w_ji = Σ_b δ_j(b) y_i(b) (eq. 24 summed over the batch)
      const block = layer.block;
      const owned = block.gradient === this.built.adopted[l]?.gradient && block.fixed === null;
      if (owned && this.precision === 'f64') {
        // straight into the network's gradient (stride n; the columns past n add zeros, which is
        // why replacing it means zeroing it first rather than a product that does not accumulate)
        if (!add) block.ensureGradient().fill(0, 0, rows * n);
        kernels.gemm(
          slots.gradient64,
          n,
          slots.errorsT,
          cols,
          1,
          layout.activations[l],
          ldIn,
          pad4(rows),
          ldIn,
          count,
          true,
        );
      } else {
        kernels.gemm(
          slots.gradient,
          ldIn,
          slots.errorsT,
          cols,
          1,
          layout.activations[l],
          ldIn,
          pad4(rows),
          ldIn,
          count,
          false,
        );
        if (owned) kernels.promoteAdd(slots.gradient64 * 4, slots.gradient * 4, rows, n, ldIn, add);
        else addGradient(h, slots.gradient, ldIn, rows, n, block.ensureGradient(), block.fixed, add);
      }
      const biasGradient = layer.biasGradient;
      for (let j = 0; j < rows; j++) {
        if (layer.biasFixed !== null && layer.biasFixed[j] === 1) continue;
        let sum = 0;
        for (let b = 0, at = slots.errorsT + j * cols; b < count; b++) sum += h[at + b];
        biasGradient[j] = (add ? biasGradient[j] : 0) + sum;
      }
      if (l === 0) break;
      // the error reaching the layer below: Wᵀ · Δ (eq. 21), then through its squash or layer function
      const below = chain.layers[l - 1];
      const back = layout.layers[l - 1];
      kernels.gemm(back.backT, cols, slots.weight, 1, n, slots.errorsT, cols, pad4(n), width, rows, false);
      const d = derivatives[l - 1];
      if (below.layerFunction !== null) {
        const [e, act, res] = scratch;
        const yt = layout.activationsT[l];
        for (let b = 0; b < count; b++) {
          for (let i = 0; i < n; i++) {
            e[i] = h[back.backT + i * cols + b];
            act[i] = h[yt + i * cols + b];
          }
          below.layerFunction.backward(act, e, res, n);
          for (let i = 0; i < n; i++) h[back.errorsT + i * cols + b] = res[i];
        }
      } else if (this.built.heapDerivative[l - 1]) {
        // f'(s) ⊙ ∂E/∂y over whole rows (the padded columns too, which nothing reads)
        const size = h.BYTES_PER_ELEMENT;
        kernels.multiply(back.errorsT * size, back.derivativeT * size, back.backT * size, n * cols);
      } else {
        for (let i = 0; i < n; i++) {
          const at = i * cols;
          for (let b = 0; b < count; b++) h[back.errorsT + at + b] = d[at + b] * h[back.backT + at + b];
        }
      }
    }
    return error;
  }
}

/** gradient[j·n + i] += G[j·ld + i] (add false: = 0 + G[j·ld + i]), except where fixed. */
function addGradient(
  h: Float64Array | Float32Array,
  at: number,
  ld: number,
  rows: number,
  n: number,
  gradient: Float64Array,
  fixed: Uint8Array | null,
  add: boolean,
): void {
  for (let j = 0; j < rows; j++) {
    const from = at + j * ld;
    const to = j * n;
    for (let i = 0; i < n; i++)
      if (fixed === null || fixed[to + i] === 0) gradient[to + i] = (add ? gradient[to + i] : 0) + h[from + i];
  }
}

/**
 * Compiles `network` for batches of up to `options.batchSize` samples. The network must be
 * layered (see `BatchUnsupportedError`); its weights may change between calls (they are read at
 * every forward), and a change of structure rebuilds the batch.
 */
export function compileBatch(network: Network, options: BatchOptions): CompiledBatch {
  return new CompiledBatch(network, options);
}
