/**
 * Each optimizer's first steps on fixed gradients, against the update rules of issue 13 (PyTorch's),
 * written out here step by step, and against numbers worked by hand for the first step.
 */
import { mulberry32 } from '@synaptic/core';
import {
  Adagrad,
  Adam,
  AdamW,
  AdaptiveGains,
  InvalidOptionError,
  Momentum,
  Nesterov,
  type Optimizer,
  optimizerByName,
  type ParameterLike,
  Perceptron,
  RMSprop,
  Rprop,
  SGD,
} from '@synaptic/trainer';
import { describe, expect, it } from 'vitest';

const STEPS = 4;

/** Two tensors (3 and 2 numbers) and, for each step, fixed gradients for them. */
function fixture(seed = 7) {
  const random = mulberry32(seed);
  const start = [Float64Array.from([0.5, -0.25, 1]), Float64Array.from([2, -1])];
  const gradients = Array.from({ length: STEPS }, () => start.map((t) => t.map(() => random() * 2 - 1)));
  // a sign flip in the second step of the first number, and a zero gradient, for Rprop and the gains
  gradients[1][0][0] = -Math.abs(gradients[0][0][0]) * Math.sign(gradients[0][0][0]);
  gradients[2][1][1] = 0;
  return { start, gradients };
}

/** Runs `optimizer` through the fixture's gradients; returns the values after each step. */
function run(optimizer: Optimizer, seed = 7): number[][][] {
  const { start, gradients } = fixture(seed);
  const parameters: ParameterLike[] = start.map((value, i) => ({
    name: `p${i}`,
    value: value.slice(),
    gradient: new Float64Array(value.length),
  }));
  const out: number[][][] = [];
  for (const step of gradients) {
    parameters.forEach((p, i) => p.gradient.set(step[i]));
    optimizer.step(parameters);
    out.push(parameters.map((p) => Array.from(p.value)));
  }
  return out;
}

/** The same trajectory from a scalar rule `update(θ, g, state, t)` applied to every number on its own. */
function reference(update: (theta: number, g: number, s: Record<string, number>, t: number) => number, init = {}) {
  const { start, gradients } = fixture();
  const theta = start.map((t) => Array.from(t));
  const state = theta.map((t) => t.map(() => ({ ...init }) as Record<string, number>));
  const out: number[][][] = [];
  gradients.forEach((step, k) => {
    theta.forEach((tensor, i) => {
      tensor.forEach((value, j) => {
        tensor[j] = update(value, step[i][j], state[i][j], k + 1);
      });
    });
    out.push(theta.map((t) => t.slice()));
  });
  return out;
}

function expectClose(actual: number[][][], expected: number[][][], digits = 14): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((step, k) =>
    step.forEach((tensor, i) => tensor.forEach((v, j) => expect(v).toBeCloseTo(expected[k][i][j], digits))),
  );
}

describe('first steps on fixed gradients equal the formulas', () => {
  it('SGD: θ -= rate·g', () => {
    expectClose(
      run(new SGD({ rate: 0.1 })),
      reference((x, g) => x - 0.1 * g),
    );
  });

  it('Momentum: v = μv + g; θ -= rate·v', () => {
    expectClose(
      run(new Momentum({ rate: 0.1 })),
      reference(
        (x, g, s) => {
          s.v = 0.9 * s.v + g;
          return x - 0.1 * s.v;
        },
        { v: 0 },
      ),
    );
  });

  it('Nesterov: v = μv + g; θ -= rate·(g + μv)', () => {
    expectClose(
      run(new Nesterov({ rate: 0.1, momentum: 0.8 })),
      reference(
        (x, g, s) => {
          s.v = 0.8 * s.v + g;
          return x - 0.1 * (g + 0.8 * s.v);
        },
        { v: 0 },
      ),
    );
  });

  it('RMSprop: s = αs + (1−α)g²; θ -= rate·g/(√s + ε)', () => {
    expectClose(
      run(new RMSprop()),
      reference(
        (x, g, s) => {
          s.s = 0.99 * s.s + 0.01 * g * g;
          return x - (0.01 * g) / (Math.sqrt(s.s) + 1e-8);
        },
        { s: 0 },
      ),
    );
  });

  it('Adagrad: s += g²; θ -= rate·g/(√s + ε)', () => {
    expectClose(
      run(new Adagrad()),
      reference(
        (x, g, s) => {
          s.s += g * g;
          return x - (0.01 * g) / (Math.sqrt(s.s) + 1e-10);
        },
        { s: 0 },
      ),
    );
  });

  const adam = (decay: number) => (x: number, g: number, s: Record<string, number>, t: number) => {
    const theta = x - 0.001 * decay * x;
    s.m = 0.9 * s.m + 0.1 * g;
    s.v = 0.999 * s.v + 0.001 * g * g;
    return theta - (0.001 * (s.m / (1 - 0.9 ** t))) / (Math.sqrt(s.v / (1 - 0.999 ** t)) + 1e-8);
  };

  it('Adam: bias-corrected moments, θ -= rate·m̂/(√v̂ + ε)', () => {
    expectClose(run(new Adam()), reference(adam(0), { m: 0, v: 0 }));
  });

  it('AdamW: θ -= rate·λ·θ, then the Adam step', () => {
    expectClose(run(new AdamW()), reference(adam(0.01), { m: 0, v: 0 }));
    expectClose(run(new AdamW({ weightDecay: 0 })), run(new Adam()));
  });

  it('Rprop: steps grow by η+ on agreement, shrink by η− and skip on a flip, clamped; θ -= sign(g)·step', () => {
    expectClose(
      run(new Rprop({ steps: [0.009, 50] })),
      reference(
        (x, g, s) => {
          const agreement = g * s.prev;
          if (agreement > 0) s.step = Math.min(s.step * 1.2, 50);
          else if (agreement < 0) {
            s.step = Math.max(s.step * 0.5, 0.009);
            g = 0;
          }
          s.prev = g;
          return x - Math.sign(g) * s.step;
        },
        { step: 0.01, prev: 0 },
      ),
    );
  });

  it("Rprop: every step is clamped to `steps`, as PyTorch's (a starting rate above the maximum too)", () => {
    // PyTorch multiplies each step size by η+, η− or 1 and then clamps, so rate 0.5 with a
    // maximum of 0.2 moves by 0.2 at once
    expectClose(
      run(new Rprop({ rate: 0.5, steps: [1e-6, 0.2] })),
      reference(
        (x, g, s) => {
          const agreement = g * s.prev;
          let step = s.step * (agreement > 0 ? 1.2 : agreement < 0 ? 0.5 : 1);
          step = Math.min(Math.max(step, 1e-6), 0.2);
          if (agreement < 0) g = 0;
          s.step = step;
          s.prev = g;
          return x - Math.sign(g) * step;
        },
        { step: 0.5, prev: 0 },
      ),
    );
  });

  it('AdaptiveGains: gain += 0.05 while the sign holds, ×0.95 on a flip, clipped; the base steps on gain·g', () => {
    const base = new Momentum({ rate: 0.1, momentum: 0.5 });
    expectClose(
      run(new AdaptiveGains({ base, min: 0.96, max: 1.08 })),
      reference(
        (x, g, s) => {
          const agreement = g * s.prev;
          if (agreement > 0) s.gain = Math.min(1.08, s.gain + 0.05);
          else if (agreement < 0) s.gain = Math.max(0.96, s.gain * 0.95);
          s.prev = g;
          s.v = 0.5 * s.v + s.gain * g;
          return x - 0.1 * s.v;
        },
        { gain: 1, prev: 0, v: 0 },
      ),
    );
  });

  it('Perceptron: w += rate·(t − y)·x through outputGradient = y − t', () => {
    const rule = new Perceptron({ rate: 0.5 });
    const x = [1, -2];
    // one HLIM unit, y = [w·x + b > 0]: w = [0.2, 0.3], b = 0 gives y = 0 for target 1
    const w = { name: 'w', value: Float64Array.from([0.2, 0.3]), gradient: new Float64Array(2) };
    const b = { name: 'b', value: Float64Array.from([0]), gradient: new Float64Array(1) };
    const [delta] = rule.outputGradient([1], [0], new Float64Array(1));
    expect(delta).toBe(-1);
    w.gradient.set(x.map((xi) => delta * xi));
    b.gradient[0] = delta;
    rule.step([w, b]);
    expect(Array.from(w.value)).toEqual([0.2 + 0.5 * 1, 0.3 + 0.5 * -2]);
    expect(b.value[0]).toBe(0.5);
    // a right answer gives no error signal
    expect(Array.from(rule.outputGradient([1, 0], [1, 0], new Float64Array(2)))).toEqual([0, 0]);
  });
});

describe('first steps worked by hand', () => {
  const one = (optimizer: Optimizer, g: number, steps = 1) => {
    const p = { name: 'w', value: Float64Array.from([1]), gradient: Float64Array.from([g]) };
    for (let i = 0; i < steps; i++) optimizer.step([p]);
    return p.value[0];
  };

  it("Adam's first step is rate·sign(g), whatever |g| (m̂ = g, v̂ = g²)", () => {
    expect(one(new Adam({ rate: 0.01 }), 4)).toBeCloseTo(0.99, 9);
    expect(one(new Adam({ rate: 0.01 }), -0.001)).toBeCloseTo(1.01, 6);
  });

  it("RMSprop's first step is rate·g/(√(0.01)·|g|) = 10·rate·sign(g); Adagrad's is rate·sign(g)", () => {
    expect(one(new RMSprop({ rate: 0.01 }), 3)).toBeCloseTo(0.9, 7); // ε = 1e-8 moves it by 3e-9
    expect(one(new Adagrad({ rate: 0.01 }), -3)).toBeCloseTo(1.01, 9);
  });

  it('Momentum with a constant g: θ after 2 steps = 1 − rate·(g + (0.9g + g))', () => {
    expect(one(new Momentum({ rate: 0.1 }), 1, 2)).toBeCloseTo(1 - 0.1 * (1 + 1.9), 12);
    expect(one(new Nesterov({ rate: 0.1 }), 1, 1)).toBeCloseTo(1 - 0.1 * (1 + 0.9), 12);
  });

  it('Rprop: with a constant g the step grows 0.01, 0.012, 0.0144', () => {
    expect(one(new Rprop(), 5, 3)).toBeCloseTo(1 - 0.01 - 0.012 - 0.0144, 12);
  });
});

describe('options and state', () => {
  it('optimizer names give the defaults, with the given rate', () => {
    expect(optimizerByName('adam')).toBeInstanceOf(Adam);
    expect(optimizerByName('adam').rate).toBe(0.001);
    expect(optimizerByName('Adam', 0.01).rate).toBe(0.01);
    expect(optimizerByName('sgd').rate).toBe(0.2);
    expect(optimizerByName('adaptive_gains', 0.3).rate).toBe(0.3);
    expect(() => optimizerByName('adamax')).toThrow(InvalidOptionError);
    expect(() => optimizerByName('adamax')).toThrow(/one of sgd, momentum/);
  });

  it('bad options throw InvalidOptionError naming them', () => {
    expect(() => new SGD({} as { rate: number })).toThrow(/SGD.rate.*required/);
    expect(() => new Adam({ beta1: 1 })).toThrow(/Adam.beta1/);
    expect(() => new Adam({ rate: -1 })).toThrow(InvalidOptionError);
    expect(() => new Adam({ lr: 0.1 } as never)).toThrow(/`lr` is not an option of new Adam/);
    expect(() => new Rprop({ etas: [1.2, 0.5] })).toThrow(/Rprop.etas/);
    expect(() => new AdaptiveGains({ base: {} as SGD })).toThrow(/AdaptiveGains.base/);
  });

  it('step refuses parameters that are not Float64Array pairs of one length', () => {
    const bad = [{ name: 'w', value: Float64Array.from([1, 2]), gradient: new Float64Array(1) }];
    expect(() => new Adam().step(bad)).toThrow(/parameters\[0\] \(w\).gradient/);
  });

  it('state is kept per tensor and reset() forgets it', () => {
    const adam = new Adam();
    const a = run(adam);
    expect(adam.t).toBe(STEPS);
    adam.reset();
    expect(run(adam)).toEqual(a);
  });
});

describe('fixed entries', () => {
  it('no optimizer moves an entry marked fixed, even AdamW with its decay', () => {
    const makers: Array<() => Optimizer> = [
      () => new SGD({ rate: 0.1 }),
      () => new Momentum({ rate: 0.1 }),
      () => new Nesterov({ rate: 0.1 }),
      () => new RMSprop(),
      () => new Adagrad(),
      () => new Adam(),
      () => new AdamW({ weightDecay: 0.5 }),
      () => new Rprop(),
      () => new AdaptiveGains({ base: new SGD({ rate: 0.1 }) }),
      () => new Perceptron(),
    ];
    for (const make of makers) {
      const optimizer = make();
      const p = {
        name: 'w',
        value: Float64Array.from([1, 2, 3]),
        gradient: new Float64Array(3),
        fixed: Uint8Array.from([0, 1, 0]),
      };
      for (let k = 0; k < 3; k++) {
        p.gradient.set([0.5, 0.7, -0.2]);
        optimizer.step([p]);
      }
      expect(p.value[1], optimizer.name).toBe(2);
      expect(p.value[0], optimizer.name).not.toBe(1);
    }
  });
});
