import { squash, type SquashFunction } from '../squash.js';

/**
 * The numbers of a group of neurons (usually one layer) in one Float64Array, field by field,
 * so a layer's activations are a contiguous vector that interpreter and compiled code read
 * directly. `Neuron` objects are views onto one slot of a store.
 */
export class NeuronStore {
  readonly size: number;
  /** s_j, the unit's state (eq. 15). */
  readonly state: Float64Array;
  /** the state before the last activation; read by the gaters of this unit's self-connection. */
  readonly old: Float64Array;
  /** y_j = f(s_j) (eq. 16). */
  readonly activation: Float64Array;
  /** f'(s_j). */
  readonly derivative: Float64Array;
  readonly bias: Float64Array;
  /** w_jj: 0 means no self-connection, 1 after `project(self)`. */
  readonly selfWeight: Float64Array;
  /** g_jj: 1 unless the self-connection is gated. */
  readonly selfGain: Float64Array;
  /** δ_j (eq. 23). */
  readonly responsibility: Float64Array;
  /** δP_j (eq. 21). */
  readonly projected: Float64Array;
  /** δG_j (eq. 22). */
  readonly gated: Float64Array;
  readonly squash: SquashFunction[];

  constructor(size: number) {
    this.size = size;
    const buffer = new Float64Array(size * 10);
    const field = (k: number) => buffer.subarray(k * size, (k + 1) * size);
    this.state = field(0);
    this.old = field(1);
    this.activation = field(2);
    this.derivative = field(3);
    this.bias = field(4);
    this.selfWeight = field(5);
    this.selfGain = field(6);
    this.responsibility = field(7);
    this.projected = field(8);
    this.gated = field(9);
    this.selfGain.fill(1);
    this.squash = new Array<SquashFunction>(size).fill(squash.LOGISTIC);
  }
}
