import { InvalidArgumentError } from '@synaptic/core';
import { integerAtLeast, nonNegativeNumber } from '../checkers.js';
import { type Optimizer, positiveNumber, readOptimizerOptions } from './optimizer.js';
import { checkParameters, type Evaluate, type ParameterLike } from './parameter.js';

export interface LBFGSOptions {
  /** The first trial step of each line search (scaled down on the very first iteration, as PyTorch), default 1 */
  rate?: number;
  /** How many curvature pairs (s, y) to keep, default 10 */
  history?: number;
  /** Iterations per `step`, default 20 */
  maxIterations?: number;
  /** Trial points per line search, default 25 */
  maxTrials?: number;
  /** Stop when the largest |gradient| is at most this, default 1e-7 */
  gradientTolerance?: number;
  /** Stop when the cost or the largest |change| moves less than this, default 1e-9 */
  changeTolerance?: number;
}

/** Armijo's sufficient decrease constant c1 (Nocedal & Wright, eq. 3.4). */
const C1 = 1e-4;

/**
 * Limited-memory BFGS (Nocedal & Wright, algorithm 7.4 with the two-loop recursion 7.5), on the
 * whole set. `step(parameters, evaluate)` runs up to `maxIterations` iterations; each searches
 * along the quasi-Newton direction by backtracking until the Armijo condition holds
 * (algorithm 3.1), and every trial point is evaluated afresh: the values are written, `evaluate()`
 * recomputes the cost and the gradient there. A pair whose yᵀs is not positive is dropped, so the
 * inverse-Hessian estimate stays positive definite.
 */
export class LBFGS implements Optimizer {
  readonly name = 'lbfgs';
  readonly fullBatch = true;
  rate: number;
  readonly history: number;
  readonly maxIterations: number;
  readonly maxTrials: number;
  readonly gradientTolerance: number;
  readonly changeTolerance: number;
  /** Calls of `evaluate` so far (every trial point counts). */
  evaluations = 0;
  /** Iterations so far. */
  iterations = 0;
  private s: Float64Array[] = [];
  private y: Float64Array[] = [];
  private rho: number[] = [];

  constructor(options: LBFGSOptions = {}) {
    const o = readOptimizerOptions(options, 'LBFGS', {
      rate: positiveNumber,
      history: integerAtLeast(1),
      maxIterations: integerAtLeast(1),
      maxTrials: integerAtLeast(1),
      gradientTolerance: nonNegativeNumber,
      changeTolerance: nonNegativeNumber,
    });
    this.rate = o.rate ?? 1;
    this.history = o.history ?? 10;
    this.maxIterations = o.maxIterations ?? 20;
    this.maxTrials = o.maxTrials ?? 25;
    this.gradientTolerance = o.gradientTolerance ?? 1e-7;
    this.changeTolerance = o.changeTolerance ?? 1e-9;
  }

  /** Returns the cost at the values it leaves (whose gradients are left filled in). */
  step(parameters: readonly ParameterLike[], evaluate?: Evaluate): number {
    checkParameters(parameters, 'LBFGS.step');
    if (typeof evaluate !== 'function') {
      throw new InvalidArgumentError(
        'LBFGS.step needs `evaluate`, a function that recomputes the cost and the gradients at the current values',
      );
    }
    const n = parameters.reduce((sum, p) => sum + p.value.length, 0);
    const x = new Float64Array(n);
    const g = new Float64Array(n);
    const d = new Float64Array(n);
    const x0 = new Float64Array(n);
    const g0 = new Float64Array(n);
    let f = this.evaluate(evaluate, parameters, g);
    gather(parameters, x);
    for (let k = 0; k < this.maxIterations; k++) {
      if (maxAbs(g) <= this.gradientTolerance) break;
      this.direction(g, d);
      let slope = dot(g, d);
      if (!(slope < 0)) {
        // not a descent direction (the estimate went bad): start over from steepest descent
        this.forget();
        this.direction(g, d);
        slope = dot(g, d);
      }
      x0.set(x);
      g0.set(g);
      const f0 = f;
      // PyTorch's first step: min(1, 1/|g|₁)·rate, so the first trial does not leap
      let t = this.iterations === 0 ? Math.min(1, 1 / sumAbs(g)) * this.rate : this.rate;
      let accepted = false;
      for (let trial = 0; trial < this.maxTrials; trial++) {
        for (let i = 0; i < n; i++) x[i] = x0[i] + t * d[i];
        scatter(x, parameters);
        f = this.evaluate(evaluate, parameters, g);
        if (Number.isFinite(f) && f <= f0 + C1 * t * slope) {
          accepted = true;
          break;
        }
        t *= 0.5;
      }
      this.iterations++;
      if (!accepted) {
        // no decrease along d: go back to the best point known and stop
        x.set(x0);
        scatter(x, parameters);
        f = this.evaluate(evaluate, parameters, g);
        this.forget();
        break;
      }
      this.remember(x, x0, g, g0);
      if (Math.abs(f - f0) < this.changeTolerance || t * maxAbs(d) < this.changeTolerance) break;
    }
    return f;
  }

  reset(): void {
    this.forget();
    this.iterations = 0;
    this.evaluations = 0;
  }

  private evaluate(evaluate: Evaluate, parameters: readonly ParameterLike[], g: Float64Array): number {
    this.evaluations++;
    const f = evaluate();
    if (typeof f !== 'number')
      throw new InvalidArgumentError(`LBFGS: evaluate() must return the cost, got ${typeof f}`);
    gather(parameters, g, true);
    return f;
  }

  /** d = −H·g by the two-loop recursion (Nocedal & Wright, algorithm 7.4), H₀ = γI with γ = sᵀy / yᵀy. */
  private direction(g: Float64Array, d: Float64Array): void {
    const { s, y, rho } = this;
    const m = s.length;
    for (let i = 0; i < d.length; i++) d[i] = -g[i];
    const alpha = new Array<number>(m);
    for (let j = m - 1; j >= 0; j--) {
      alpha[j] = rho[j] * dot(s[j], d);
      axpy(-alpha[j], y[j], d);
    }
    if (m > 0) {
      const gamma = dot(s[m - 1], y[m - 1]) / dot(y[m - 1], y[m - 1]);
      for (let i = 0; i < d.length; i++) d[i] *= gamma;
    }
    for (let j = 0; j < m; j++) {
      const beta = rho[j] * dot(y[j], d);
      axpy(alpha[j] - beta, s[j], d);
    }
  }

  private remember(x: Float64Array, x0: Float64Array, g: Float64Array, g0: Float64Array): void {
    const s = new Float64Array(x.length);
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      s[i] = x[i] - x0[i];
      y[i] = g[i] - g0[i];
    }
    const ys = dot(y, s);
    if (!(ys > 1e-10)) return; // the curvature condition fails: keep H positive definite
    if (this.s.length === this.history) {
      this.s.shift();
      this.y.shift();
      this.rho.shift();
    }
    this.s.push(s);
    this.y.push(y);
    this.rho.push(1 / ys);
  }

  private forget(): void {
    this.s = [];
    this.y = [];
    this.rho = [];
  }
}

/** Copies the parameters' values (or gradients) into one flat vector. */
function gather(parameters: readonly ParameterLike[], out: Float64Array, gradients = false): void {
  let offset = 0;
  for (const p of parameters) {
    out.set(gradients ? p.gradient : p.value, offset);
    offset += p.value.length;
  }
}

function scatter(x: Float64Array, parameters: readonly ParameterLike[]): void {
  let offset = 0;
  for (const p of parameters) {
    p.value.set(x.subarray(offset, offset + p.value.length));
    offset += p.value.length;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}

function maxAbs(a: Float64Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]));
  return max;
}

function sumAbs(a: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]);
  return sum;
}
