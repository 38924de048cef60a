import type { GradientNetwork, ParameterLike } from '@synaptic/trainer';

/**
 * A stand-in for core's Engine 2 network in tests of the training loop alone: logistic regression
 * y_k = σ(W_k·x + b_k) with Engine 2's API (parameters, backward adding ∂E/∂θ, zeroGradients).
 * `backward` uses the cost's `gradient` when it has one, else MSE's, 2(y − t)/n.
 */
export class Logistic implements GradientNetwork {
  readonly weights: ParameterLike;
  readonly bias: ParameterLike;
  backwardCalls = 0;
  private x: Float64Array;
  private y: Float64Array;

  constructor(
    private readonly n: number,
    private readonly m: number,
    init = 0.1,
  ) {
    this.weights = { name: 'w', value: new Float64Array(n * m), gradient: new Float64Array(n * m) };
    this.bias = { name: 'b', value: new Float64Array(m), gradient: new Float64Array(m) };
    for (let i = 0; i < n * m; i++) this.weights.value[i] = init * Math.sin(i + 1);
    this.x = new Float64Array(n);
    this.y = new Float64Array(m);
  }

  inputs() {
    return this.n;
  }
  outputs() {
    return this.m;
  }

  activate(input: ArrayLike<number>): number[] {
    this.x.set(input);
    const out: number[] = [];
    for (let k = 0; k < this.m; k++) {
      let s = this.bias.value[k];
      for (let i = 0; i < this.n; i++) s += this.weights.value[k * this.n + i] * input[i];
      this.y[k] = 1 / (1 + Math.exp(-s));
      out.push(this.y[k]);
    }
    return out;
  }

  propagate(): void {
    throw new Error('the gradient path must not call propagate');
  }

  parameters() {
    return [this.weights, this.bias];
  }

  zeroGradients() {
    this.weights.gradient.fill(0);
    this.bias.gradient.fill(0);
  }

  backward(
    target: ArrayLike<number> | null,
    options: {
      cost?: ((t: number[], y: number[]) => number) & {
        gradient?: (t: ArrayLike<number>, y: ArrayLike<number>, into: Float64Array) => void;
      };
      outputGradient?: ArrayLike<number>;
    } = {},
  ): number | undefined {
    this.backwardCalls++;
    const dEdy = new Float64Array(this.m);
    let error: number | undefined;
    if (options.outputGradient) dEdy.set(options.outputGradient);
    else {
      const t = Array.from(target as ArrayLike<number>);
      const y = Array.from(this.y);
      if (options.cost?.gradient) options.cost.gradient(t, y, dEdy);
      else for (let k = 0; k < this.m; k++) dEdy[k] = (2 * (y[k] - t[k])) / this.m;
      error = options.cost ? options.cost(t, y) : undefined;
    }
    for (let k = 0; k < this.m; k++) {
      const delta = dEdy[k] * this.y[k] * (1 - this.y[k]);
      this.bias.gradient[k] += delta;
      for (let i = 0; i < this.n; i++) this.weights.gradient[k * this.n + i] += delta * this.x[i];
    }
    return error;
  }
}

/** A seeded linearly separable 2-class problem in `n` dimensions (one output). */
export function separable(count: number, n: number, random: () => number) {
  const w = Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1) * (0.5 + i / n));
  return Array.from({ length: count }, () => {
    const input = Array.from({ length: n }, () => random() * 2 - 1);
    const s = input.reduce((a, x, i) => a + x * w[i], 0);
    return { input, output: [s > 0 ? 1 : 0] };
  });
}
