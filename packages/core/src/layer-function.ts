/**
 * Layer functions: activations computed over a group of units rather than unit by unit, so that
 * y_k depends on every state of its group (SOFTMAX, LAYER_NORM). A layer runs its function over
 * each group of `group` contiguous units (the whole layer by default; per position of a sequence
 * layer). Each function is defined here once, as kernels over typed arrays working on the entries
 * `at .. at + n − 1`, and every engine calls these kernels: the interpreter (layer-interpreter.ts),
 * the compiled code (through the same functions), the batched kernels, `bptt` and standalone modules (through the kernels' own text, see below).
 *
 * The LSTM-g traces of a unit in such a layer (eq. 17-18) use the diagonal ∂y_j/∂s_j as f'_j;
 * the error back-flow (eq. 21-23) uses the full Jacobian.
 */
export interface LayerFunction {
  readonly name: LayerFunctionName;
  /** true when the function has learnable per-unit parameters: a gain γ and a shift β (LAYER_NORM) */
  readonly learnable: boolean;
  /** y = f(s) for the entries at .. at+n−1, and the diagonal of ∂y/∂s for the traces. */
  forward(
    state: Float64Array,
    activation: Float64Array,
    derivative: Float64Array,
    n: number,
    at?: number,
    params?: LayerFunctionParams,
  ): void;
  /**
   * into_j = Σ_i (∂y_i/∂s_j) e_i over the entries at .. at+n−1: the error at the states from the
   * error e at the activations. LAYER_NORM needs `params` (with the states).
   */
  backward(
    activation: Float64Array,
    error: Float64Array,
    into: Float64Array,
    n: number,
    at?: number,
    params?: LayerFunctionParams,
  ): void;
  /**
   * For a learnable function: adds ∂E/∂γ_i and ∂E/∂β_i to `gainGradient` and `shiftGradient`, given
   * `dEdy` = ∂E/∂y at the entries at .. at+n−1.
   */
  parameterGradient?(
    dEdy: Float64Array,
    gainGradient: Float64Array,
    shiftGradient: Float64Array,
    n: number,
    at: number,
    params: LayerFunctionParams,
  ): void;
}

/** What a learnable layer function reads besides s and y: the states and its parameters, entry by entry. */
export interface LayerFunctionParams {
  readonly state: Float64Array;
  /** γ */
  readonly gain: Float64Array;
  /** β */
  readonly shift: Float64Array;
}

export type LayerFunctionName = 'SOFTMAX' | 'LAYER_NORM';

/** ε of LAYER_NORM: y = γ (s − μ)/√(σ² + ε) + β. */
export const LAYER_NORM_EPSILON = 1e-5;

/*
 * Each kernel is a self-contained function declaration: it reads only its parameters, its locals
 * and `Math`, so its own text (`Function.prototype.toString`) is valid module source. That is how
 * standalone modules (@synaptic/compile's bundle.ts) carry it: the same definition, never a copy;
 * `test/layer-function.test.ts` checks that the text, evaluated alone, computes the same bits.
 */

/** y_k = e^{s_k − max s} / Σ_j e^{s_j − max s}: the softmax, computed without overflow. */
function softmaxForward(
  state: Float64Array,
  activation: Float64Array,
  derivative: Float64Array,
  n: number,
  at = 0,
): void {
  const end = at + n;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = at; k < end; k++) if (state[k] > max) max = state[k];
  let sum = 0;
  for (let k = at; k < end; k++) {
    const e = Math.exp(state[k] - max);
    activation[k] = e;
    sum += e;
  }
  for (let k = at; k < end; k++) {
    const y = activation[k] / sum;
    activation[k] = y;
    // ∂y_k/∂s_k = y_k (1 − y_k)
    derivative[k] = y * (1 - y);
  }
}

/** ∂y_i/∂s_j = y_i (δ_ij − y_j), so into_j = y_j (e_j − Σ_i y_i e_i). */
function softmaxBackward(activation: Float64Array, error: Float64Array, into: Float64Array, n: number, at = 0): void {
  const end = at + n;
  let dot = 0;
  for (let i = at; i < end; i++) dot += activation[i] * error[i];
  for (let j = at; j < end; j++) into[j] = activation[j] * (error[j] - dot);
}

const SOFTMAX: LayerFunction = Object.freeze({
  name: 'SOFTMAX',
  learnable: false,
  forward: softmaxForward,
  backward: softmaxBackward,
});

/** μ and 1/√(σ² + ε) of the states at .. at+n−1 (σ² the biased variance, as LayerNorm uses). */
function moments(state: Float64Array, n: number, at: number): { mean: number; inv: number } {
  let mean = 0;
  for (let k = at; k < at + n; k++) mean += state[k];
  mean /= n;
  let variance = 0;
  for (let k = at; k < at + n; k++) variance += (state[k] - mean) * (state[k] - mean);
  variance /= n;
  return { mean, inv: 1 / Math.sqrt(variance + LAYER_NORM_EPSILON) };
}

function needParams(params: LayerFunctionParams | undefined): LayerFunctionParams {
  if (params === undefined) throw new TypeError('LAYER_NORM needs its states, gains and shifts (params)');
  return params;
}

/**
 * Layer normalization (Ba, Kiros & Hinton 2016): x̂_k = (s_k − μ)/√(σ² + ε), y_k = γ_k x̂_k + β_k,
 * with μ and σ² the mean and (biased) variance of the group's states. Its kernels share `moments`,
 * so they are not self-contained: standalone modules do not write LAYER_NORM yet (they refuse it).
 */
const LAYER_NORM: LayerFunction = Object.freeze({
  name: 'LAYER_NORM',
  learnable: true,
  forward(state, activation, derivative, n, at = 0, params) {
    const { gain, shift } = needParams(params);
    const { mean, inv } = moments(state, n, at);
    for (let k = at; k < at + n; k++) {
      const x = (state[k] - mean) * inv;
      activation[k] = gain[k] * x + shift[k];
      // ∂y_k/∂s_k = γ_k (1 − 1/n − x̂_k²/n) / √(σ² + ε)
      derivative[k] = gain[k] * inv * (1 - 1 / n - (x * x) / n);
    }
  },
  // ∂y_i/∂s_j = γ_i (δ_ij − 1/n − x̂_i x̂_j/n)/√(σ² + ε); with g_i = γ_i e_i:
  // into_j = (g_j − mean(g) − x̂_j mean(g x̂)) / √(σ² + ε)
  backward(_activation, error, into, n, at = 0, params) {
    const { state, gain } = needParams(params);
    const { mean, inv } = moments(state, n, at);
    let sumG = 0;
    let sumGX = 0;
    for (let i = at; i < at + n; i++) {
      const g = gain[i] * error[i];
      sumG += g;
      sumGX += g * (state[i] - mean) * inv;
    }
    sumG /= n;
    sumGX /= n;
    for (let j = at; j < at + n; j++) {
      const x = (state[j] - mean) * inv;
      into[j] = (gain[j] * error[j] - sumG - x * sumGX) * inv;
    }
  },
  // ∂E/∂γ_k = ∂E/∂y_k x̂_k, ∂E/∂β_k = ∂E/∂y_k
  parameterGradient(dEdy, gainGradient, shiftGradient, n, at, params) {
    const { mean, inv } = moments(params.state, n, at);
    for (let k = at; k < at + n; k++) {
      gainGradient[k] += dEdy[k] * (params.state[k] - mean) * inv;
      shiftGradient[k] += dEdy[k];
    }
  },
} satisfies LayerFunction);

export const layerFunctions: Readonly<Record<LayerFunctionName, LayerFunction>> = Object.freeze({
  SOFTMAX,
  LAYER_NORM,
});

/** Runs `fn.forward` over each group of `group` entries of 0 .. n−1. */
export function forwardGroups(
  fn: LayerFunction,
  state: Float64Array,
  activation: Float64Array,
  derivative: Float64Array,
  n: number,
  group: number,
  params?: LayerFunctionParams,
): void {
  for (let at = 0; at < n; at += group) fn.forward(state, activation, derivative, group, at, params);
}

/** Runs `fn.backward` over each group of `group` entries of 0 .. n−1. */
export function backwardGroups(
  fn: LayerFunction,
  activation: Float64Array,
  error: Float64Array,
  into: Float64Array,
  n: number,
  group: number,
  params?: LayerFunctionParams,
): void {
  for (let at = 0; at < n; at += group) fn.backward(activation, error, into, group, at, params);
}
