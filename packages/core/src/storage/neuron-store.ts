import { squash, type SquashFunction } from '../squash.js';

/**
 * The per-unit number fields of a store, once: what checkpoints, clones and standalone modules
 * copy, in this order.
 */
export const STORE_FIELDS = [
  'state',
  'old',
  'activation',
  'derivative',
  'bias',
  'selfWeight',
  'selfGain',
  'responsibility',
  'projected',
  'gated',
] as const;
export type StoreField = (typeof STORE_FIELDS)[number];

/**
 * Per-unit fields that exist only for some layers: LAYER_NORM's gain γ and shift β (null until a
 * layer of the store is made a LAYER_NORM). Checkpoints and clones copy them where they exist.
 */
export const OPTIONAL_STORE_FIELDS = ['gamma', 'beta'] as const;
export type OptionalStoreField = (typeof OPTIONAL_STORE_FIELDS)[number];

/**
 * The numbers of a group of neurons (usually one layer), one Float64Array per field, so a
 * layer's activations are a contiguous vector that interpreter and compiled code read directly.
 * (Each field has its own buffer: V8 runs loops over a view at an offset into a shared buffer
 * about 30% slower.) `Neuron` objects are views onto one slot of a store.
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
  /** ∂E/∂b_j summed by `backward`; allocated on first use */
  biasGradient: Float64Array | null = null;
  /** 1 where a unit's bias is fixed (not trained); null while none is */
  biasFixed: Uint8Array | null = null;
  /** true when these units are the target of a layer-level projection (ops/): they stay feed-forward */
  opTarget = false;
  /** γ_j of a LAYER_NORM layer (init 1); null while no unit of the store is in one */
  gamma: Float64Array | null = null;
  /** β_j of a LAYER_NORM layer (init 0) */
  beta: Float64Array | null = null;
  /** ∂E/∂γ and ∂E/∂β summed by `backward` and `bptt`; allocated with γ and β */
  gammaGradient: Float64Array | null = null;
  betaGradient: Float64Array | null = null;
  /** bumped by every structural change of these units (see epoch.ts) */
  version = 0;

  constructor(size: number) {
    this.size = size;
    this.state = new Float64Array(size);
    this.old = new Float64Array(size);
    this.activation = new Float64Array(size);
    this.derivative = new Float64Array(size);
    this.bias = new Float64Array(size);
    this.selfWeight = new Float64Array(size);
    this.selfGain = new Float64Array(size);
    this.responsibility = new Float64Array(size);
    this.projected = new Float64Array(size);
    this.gated = new Float64Array(size);
    this.selfGain.fill(1);
    this.squash = new Array<SquashFunction>(size).fill(squash.LOGISTIC);
  }

  /** Allocates γ (1), β (0) and their gradients the first time a unit joins a LAYER_NORM. */
  ensureNorm(): { gamma: Float64Array; beta: Float64Array } {
    if (this.gamma === null || this.beta === null) {
      this.gamma = new Float64Array(this.size).fill(1);
      this.beta = new Float64Array(this.size);
      this.gammaGradient = new Float64Array(this.size);
      this.betaGradient = new Float64Array(this.size);
    }
    return { gamma: this.gamma, beta: this.beta };
  }
}
