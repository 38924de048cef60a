/**
 * LBFGS and Rprop reach the minimum of a convex quadratic and of Rosenbrock's function within a
 * stated budget of evaluations (LBFGS) or steps (Rprop). LBFGS's line search must evaluate cost
 * and gradient afresh at every trial point: the last check catches an `evaluate` that is not.
 */
import { mulberry32 } from '@synaptic/core';
import { LBFGS, type ParameterLike, Rprop } from '@synaptic/trainer';
import { describe, expect, it } from 'vitest';

interface Problem {
  size: number;
  start: number[];
  minimum: number[];
  /** cost at x, gradient written into g */
  f(x: Float64Array, g: Float64Array): number;
}

/** ½xᵀAx − bᵀx with A = MᵀM + I (SPD, seeded), minimum A⁻¹b found by Gaussian elimination. */
function quadratic(size: number): Problem {
  const random = mulberry32(3);
  const m = Array.from({ length: size }, () => Array.from({ length: size }, () => random() * 2 - 1));
  const a = m.map((_, i) => m.map((__, j) => m.reduce((s, row) => s + row[i] * row[j], 0) + (i === j ? 1 : 0)));
  const b = Array.from({ length: size }, () => random() * 4 - 2);
  return {
    size,
    start: new Array(size).fill(0),
    minimum: solve(a, b),
    f(x, g) {
      let cost = 0;
      for (let i = 0; i < size; i++) {
        let ax = 0;
        for (let j = 0; j < size; j++) ax += a[i][j] * x[j];
        g[i] = ax - b[i];
        cost += 0.5 * x[i] * ax - b[i] * x[i];
      }
      return cost;
    },
  };
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const k = m[r][c] / m[c][c];
      for (let j = c; j <= n; j++) m[r][j] -= k * m[c][j];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/** Rosenbrock's (1 − x)² + 100(y − x²)², from the classic (−1.2, 1); minimum (1, 1). */
const rosenbrock: Problem = {
  size: 2,
  start: [-1.2, 1],
  minimum: [1, 1],
  f(x, g) {
    const [u, v] = x;
    g[0] = -2 * (1 - u) - 400 * u * (v - u * u);
    g[1] = 200 * (v - u * u);
    return (1 - u) ** 2 + 100 * (v - u * u) ** 2;
  },
};

/** The problem as two parameter tensors (the first number, the rest), to check the flattening too. */
function setUp(problem: Problem) {
  const x = Float64Array.from(problem.start);
  const g = new Float64Array(problem.size);
  const parameters: ParameterLike[] = [
    { name: 'a', value: new Float64Array(1), gradient: new Float64Array(1) },
    { name: 'b', value: new Float64Array(problem.size - 1), gradient: new Float64Array(problem.size - 1) },
  ];
  const write = () => {
    parameters[0].value[0] = x[0];
    parameters[1].value.set(x.subarray(1));
  };
  write();
  let calls = 0;
  const evaluate = () => {
    calls++;
    x[0] = parameters[0].value[0];
    x.set(parameters[1].value, 1);
    const cost = problem.f(x, g);
    parameters[0].gradient[0] = g[0];
    parameters[1].gradient.set(g.subarray(1));
    return cost;
  };
  const position = () => [parameters[0].value[0], ...parameters[1].value];
  return { parameters, evaluate, position, calls: () => calls };
}

function distance(a: number[], b: number[]): number {
  return Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0));
}

describe('LBFGS', () => {
  it('reaches the minimum of a 20-dimensional convex quadratic within 100 evaluations', () => {
    const problem = quadratic(20);
    const { parameters, evaluate, position, calls } = setUp(problem);
    // no change tolerance, so it stops on the gradient alone (max |g| <= 1e-7), not on a small change of cost
    const lbfgs = new LBFGS({ maxIterations: 100, changeTolerance: 0 });
    lbfgs.step(parameters, evaluate);
    expect(distance(position(), problem.minimum)).toBeLessThan(1e-6);
    expect(calls()).toBeLessThanOrEqual(100);
  });

  it("reaches Rosenbrock's minimum from (−1.2, 1) within 200 evaluations", () => {
    const { parameters, evaluate, position, calls } = setUp(rosenbrock);
    const lbfgs = new LBFGS({ maxIterations: 20 });
    for (let k = 0; k < 10 && distance(position(), [1, 1]) > 1e-6; k++) lbfgs.step(parameters, evaluate);
    expect(distance(position(), [1, 1])).toBeLessThan(1e-6);
    expect(calls()).toBeLessThanOrEqual(200);
    expect(lbfgs.evaluations).toBe(calls());
  });

  it('returns the cost at the point it leaves, with that point’s gradient in the parameters', () => {
    const { parameters, evaluate, position } = setUp(rosenbrock);
    const cost = new LBFGS({ maxIterations: 3 }).step(parameters, evaluate);
    const g = new Float64Array(2);
    expect(cost).toBe(rosenbrock.f(Float64Array.from(position()), g));
    expect([parameters[0].gradient[0], parameters[1].gradient[0]]).toEqual(Array.from(g));
    expect(cost).toBeLessThan(rosenbrock.f(Float64Array.from([-1.2, 1]), g));
  });

  it("does not get anywhere with seed 003's bug, an evaluate that keeps returning the start's values", () => {
    // a closure that returns the starting cost and gradient whatever the values: every trial
    // point looks no better, so no step is accepted and LBFGS stays where it started
    const { parameters } = setUp(rosenbrock);
    const g0 = new Float64Array(2);
    const f0 = rosenbrock.f(Float64Array.from([-1.2, 1]), g0);
    const stale = () => {
      parameters[0].gradient[0] = g0[0];
      parameters[1].gradient[0] = g0[1];
      return f0;
    };
    new LBFGS().step(parameters, stale);
    expect([parameters[0].value[0], parameters[1].value[0]]).toEqual([-1.2, 1]);
  });

  it('needs evaluate', () => {
    const { parameters } = setUp(rosenbrock);
    expect(() => new LBFGS().step(parameters)).toThrow(/LBFGS.step needs `evaluate`/);
  });
});

describe('Rprop', () => {
  it('reaches the minimum of a 20-dimensional convex quadratic within 300 steps', () => {
    const problem = quadratic(20);
    const { parameters, evaluate, position } = setUp(problem);
    const rprop = new Rprop();
    for (let k = 0; k < 300; k++) {
      evaluate();
      rprop.step(parameters);
    }
    expect(distance(position(), problem.minimum)).toBeLessThan(1e-4);
  });

  /** `count` Rprop steps on Rosenbrock from (−1.2, 1); returns the position after each of `at`. */
  const rosenbrockRun = (rprop: Rprop, count: number, at: readonly number[]) => {
    const { parameters, evaluate, position } = setUp(rosenbrock);
    const seen: number[][] = [];
    for (let k = 1; k <= count; k++) {
      evaluate();
      rprop.step(parameters);
      if (at.includes(k)) seen.push(position());
    }
    return { seen, cost: evaluate() };
  };

  it("reaches Rosenbrock's minimum from (−1.2, 1) to f < 1e-6 within 5000 steps, then cycles at steps[0]", () => {
    // Once both step sizes are down to steps[0] = 1e-6 they stop shrinking. A step of 1e-6 across
    // the valley changes y − x² by ~2e-6, and 400·x·(y − x²) then outweighs the gradient along the
    // valley, −2(1 − x), once 1 − x is below ~1e-3: the signs flip every step and the iterates go
    // round a cycle of 4 points 1.2e-3 from (1, 1). PyTorch's Rprop does the same with these defaults.
    const { seen, cost } = rosenbrockRun(new Rprop(), 20000, [5000, 20000]);
    expect(cost).toBeLessThan(1e-6);
    expect(distance(seen[0], [1, 1])).toBeLessThan(2e-3);
    // the cycle: 15,000 more steps get no closer
    expect(Math.abs(distance(seen[1], [1, 1]) - distance(seen[0], [1, 1]))).toBeLessThan(1e-5);
  });

  it("reaches Rosenbrock's minimum to 1e-6 within 10000 steps with a smaller minimum step, steps [1e-12, 50]", () => {
    // the cycle's distance scales with steps[0] (~1e3·steps[0] here): with 1e-12 the steps keep
    // shrinking along the valley's floor (3.6e-8 from (1, 1) and f ≈ 2.6e-16 after 10000 steps)
    const { seen, cost } = rosenbrockRun(new Rprop({ steps: [1e-12, 50] }), 10000, [10000]);
    expect(distance(seen[0], [1, 1])).toBeLessThan(1e-6);
    expect(cost).toBeLessThan(1e-12);
  });
});
