/**
 * A two-layer logistic perceptron written by hand over Float64Arrays: the ceiling of plain
 * JavaScript for the MNIST suite, against which the compiled synaptic 2 network is compared.
 *
 * It computes what synaptic (1.x and 2) computes for input -> hidden -> output layers, online
 * (batch 1):
 *
 *   forward   h = σ(W1 x + b1),  y = σ(W2 h + b2),  σ(z) = 1 / (1 + e^-z)
 *   output    δo = t − y
 *             No σ'(z) factor at the output: synaptic's output units take the plain error as
 *             their responsibility (its cross-entropy-like rule for logistic units), so this does too.
 *   hidden    δh = h (1 − h) · (W2ᵀ δo)
 *             W2ᵀ δo is read from W2 AFTER W2 was updated by this step: synaptic propagates the
 *             output layer first (changing its incoming weights), then the hidden layer reads the
 *             weights of its outgoing connections, which are already the new ones. Matching that
 *             keeps the arithmetic identical, and lets one loop both update W2 and accumulate W2ᵀ δo.
 *   updates   W2 += rate δo ⊗ h,  b2 += rate δo,  W1 += rate δh ⊗ x,  b1 += rate δh
 *
 * Weights are stored row-major, one row per receiving unit (W1 is hidden × input), so both the
 * forward dot products and the rank-1 updates walk memory contiguously.
 */
export class HandWrittenMlp {
  readonly inputs: number;
  readonly hidden: number;
  readonly outputs: number;
  /** hidden × inputs, row-major */
  readonly w1: Float64Array;
  readonly b1: Float64Array;
  /** outputs × hidden, row-major */
  readonly w2: Float64Array;
  readonly b2: Float64Array;
  /** activations of the last `activate` */
  readonly h: Float64Array;
  readonly y: Float64Array;
  /** the last input (a reference, not a copy) */
  private x: ArrayLike<number>;
  private readonly backSum: Float64Array;

  /**
   * Weights and biases uniform in [-0.1, 0.1) drawn from `random` in synaptic's order (a bias per
   * unit, input units included, layer by layer; then the weights source unit by source unit), so
   * that under the same seed this is the same network as synaptic's Perceptron(inputs, hidden, outputs).
   */
  constructor(inputs: number, hidden: number, outputs: number, random: () => number = Math.random) {
    this.inputs = inputs;
    this.hidden = hidden;
    this.outputs = outputs;
    const draw = (): number => random() * 0.2 - 0.1;
    for (let i = 0; i < inputs; i++) draw(); // the input units' biases, never used
    this.b1 = Float64Array.from({ length: hidden }, draw);
    this.b2 = Float64Array.from({ length: outputs }, draw);
    this.w1 = new Float64Array(hidden * inputs);
    for (let i = 0; i < inputs; i++) for (let j = 0; j < hidden; j++) this.w1[j * inputs + i] = draw();
    this.w2 = new Float64Array(outputs * hidden);
    for (let j = 0; j < hidden; j++) for (let o = 0; o < outputs; o++) this.w2[o * hidden + j] = draw();
    this.h = new Float64Array(hidden);
    this.y = new Float64Array(outputs);
    this.x = new Float64Array(inputs);
    this.backSum = new Float64Array(hidden);
  }

  /** Forward pass; returns the output activations (the network's own array, overwritten by the next call). */
  activate(x: ArrayLike<number>): Float64Array {
    const { inputs: n, hidden: m, outputs: k, w1, b1, w2, b2, h, y } = this;
    this.x = x;
    for (let j = 0; j < m; j++) {
      let z = b1[j];
      const row = j * n;
      for (let i = 0; i < n; i++) z += w1[row + i] * x[i];
      h[j] = 1 / (1 + Math.exp(-z));
    }
    for (let o = 0; o < k; o++) {
      let z = b2[o];
      const row = o * m;
      for (let j = 0; j < m; j++) z += w2[row + j] * h[j];
      y[o] = 1 / (1 + Math.exp(-z));
    }
    return y;
  }

  /** Backward pass for the last `activate`, learning at `rate` towards `target`. */
  propagate(rate: number, target: ArrayLike<number>): void {
    const { inputs: n, hidden: m, outputs: k, w1, b1, w2, b2, h, y, backSum } = this;
    const x = this.x;

    // output layer: δo = t − y; update W2 and b2, and accumulate W2ᵀ δo with the updated weights
    backSum.fill(0);
    for (let o = 0; o < k; o++) {
      const d = target[o] - y[o];
      const step = rate * d;
      const row = o * m;
      for (let j = 0; j < m; j++) {
        const w = w2[row + j] + step * h[j];
        w2[row + j] = w;
        backSum[j] += w * d;
      }
      b2[o] += step;
    }

    // hidden layer: δh = h (1 − h) · W2ᵀ δo; update W1 and b1
    for (let j = 0; j < m; j++) {
      const hj = h[j];
      const step = rate * hj * (1 - hj) * backSum[j];
      const row = j * n;
      for (let i = 0; i < n; i++) w1[row + i] += step * x[i];
      b1[j] += step;
    }
  }
}
