/**
 * Layer functions: activations computed over a whole layer rather than unit by unit, so that
 * y_k depends on every state of the layer (softmax now; LayerNorm later). Each one is defined
 * here once, as kernels over typed arrays, and every engine calls these kernels: the
 * interpreter (layer-interpreter.ts), the compiled code (through the same functions) and
 * standalone modules (through the kernels' own text, see below).
 *
 * The LSTM-g traces of a unit in such a layer (eq. 17-18) use the diagonal ∂y_j/∂s_j as f'_j;
 * the error back-flow (eq. 21-23) uses the full Jacobian.
 */
export interface LayerFunction {
  readonly name: LayerFunctionName;
  /** y = f(s) for the layer, and the diagonal of ∂y/∂s for the traces. */
  forward(state: Float64Array, activation: Float64Array, derivative: Float64Array, n: number): void;
  /** into_j = Σ_i (∂y_i/∂s_j) e_i: the error at the states from the error e at the activations. */
  backward(activation: Float64Array, error: Float64Array, into: Float64Array, n: number): void;
}

export type LayerFunctionName = 'SOFTMAX';

/*
 * Each kernel is a self-contained function declaration: it reads only its parameters, its locals
 * and `Math`, so its own text (`Function.prototype.toString`) is valid module source. That is how
 * standalone modules (@synaptic/compile's bundle.ts) carry it: the same definition, never a copy;
 * `test/layer-function.test.ts` checks that the text, evaluated alone, computes the same bits.
 */

/** y_k = e^{s_k − max s} / Σ_j e^{s_j − max s}: the softmax, computed without overflow. */
function softmaxForward(state: Float64Array, activation: Float64Array, derivative: Float64Array, n: number): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < n; k++) if (state[k] > max) max = state[k];
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const e = Math.exp(state[k] - max);
    activation[k] = e;
    sum += e;
  }
  for (let k = 0; k < n; k++) {
    const y = activation[k] / sum;
    activation[k] = y;
    // ∂y_k/∂s_k = y_k (1 − y_k)
    derivative[k] = y * (1 - y);
  }
}

/** ∂y_i/∂s_j = y_i (δ_ij − y_j), so into_j = y_j (e_j − Σ_i y_i e_i). */
function softmaxBackward(activation: Float64Array, error: Float64Array, into: Float64Array, n: number): void {
  let dot = 0;
  for (let i = 0; i < n; i++) dot += activation[i] * error[i];
  for (let j = 0; j < n; j++) into[j] = activation[j] * (error[j] - dot);
}

const SOFTMAX: LayerFunction = Object.freeze({ name: 'SOFTMAX', forward: softmaxForward, backward: softmaxBackward });

export const layerFunctions: Readonly<Record<LayerFunctionName, LayerFunction>> = Object.freeze({ SOFTMAX });
