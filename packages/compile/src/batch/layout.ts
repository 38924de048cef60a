/**
 * Where each matrix of a batched network lives in the kernels' one heap (offsets in elements).
 * Activations are kept twice, transposed (units × samples: the operand of the next layer's
 * product) and row-major (samples × units: the operand of the weight gradient), so that every
 * product reads contiguous rows. Sizes are padded (rows to 4, columns to 8) with zeros that
 * nothing writes, so the kernels need no edge cases.
 */
import type { DenseChain } from './topology.js';

export const pad4 = (x: number): number => Math.ceil(x / 4) * 4;
export const pad8 = (x: number): number => Math.ceil(x / 8) * 8;

export interface LayerSlots {
  /** units × Bp: states before the bias (forward product), errors ∂E/∂s, back-flowing errors ∂E/∂y */
  readonly statesT: number;
  readonly errorsT: number;
  readonly backT: number;
  /** units × Bp: f'(s), where a kernel of the heap squashes the layer (else the batch keeps f'(s) in JavaScript) */
  readonly derivativeT: number;
  /** pad8(m): the layer's biases in the heap's type, for such a kernel */
  readonly bias: number;
  /** pad4(m) × n + slack: the weights as the network stores them (row-major by target) */
  readonly weight: number;
  /** pad4(m) × pad8(n): this batch's weight gradient */
  readonly gradient: number;
  /**
   * The network's own weights and gradient (f64, m × n, row-major), adopted into this heap so no
   * step copies them: element offsets of f64 regions (at f64 the weights are `weight` itself).
   */
  readonly weight64: number;
  readonly gradient64: number;
}

export interface BatchLayout {
  /** samples, padded to 8: the column count of every transposed matrix */
  readonly columns: number;
  /** per layer 0..L−1: its activations transposed (units × columns) and row-major (columns × pad8(units)) */
  readonly activationsT: readonly number[];
  readonly activations: readonly number[];
  /** per layer 1..L (index l − 1) */
  readonly layers: readonly LayerSlots[];
  /** room for the largest weight gradient as f64 (element offset): parallelBatch adds other threads' rows through it */
  readonly rowScratch64: number;
  readonly rowScratchLength: number;
  readonly elements: number;
}

/** `wide`: elements per f64 (1 at f64, 2 at f32), for the regions that hold the network's own numbers. */
export function layOut(chain: DenseChain, batchSize: number, wide: 1 | 2): BatchLayout {
  const columns = pad8(batchSize);
  const sizes = [chain.inputSize, ...chain.layers.map((l) => l.size)];
  let next = 0;
  const take = (count: number): number => {
    const at = next;
    next += pad8(count);
    return at;
  };
  const activationsT: number[] = [];
  const activations: number[] = [];
  for (let l = 0; l < sizes.length - 1; l++) {
    activationsT.push(take(pad4(sizes[l]) * columns));
    activations.push(take(columns * pad8(sizes[l])));
  }
  const layers = chain.layers.map((layer) => {
    const statesT = take(pad4(layer.size) * columns);
    const errorsT = take(pad4(layer.size) * columns);
    const backT = take(pad4(layer.size) * columns);
    const derivativeT = take(pad4(layer.size) * columns);
    const bias = take(layer.size);
    // the transposed read of the back-flow runs up to 3 entries past the last row
    const weight = take(pad4(layer.size) * layer.inputs + 8);
    const gradient = take(pad4(layer.size) * pad8(layer.inputs));
    const weight64 = wide === 1 ? weight : take(wide * (layer.size * layer.inputs + 8));
    // a product straight into it (f64) writes pad4(m) rows of pad8(n) columns at a stride of n
    const gradient64 = take(wide * (pad4(layer.size) * layer.inputs + pad8(layer.inputs) + 8));
    return { statesT, errorsT, backT, derivativeT, bias, weight, gradient, weight64, gradient64 };
  });
  const largest = Math.max(...chain.layers.map((l) => l.size * l.inputs));
  const rowScratch = take(wide * (largest + 8));
  return {
    columns,
    activationsT,
    activations,
    layers,
    rowScratch64: rowScratch / wide,
    rowScratchLength: largest + 8,
    elements: next,
  };
}
