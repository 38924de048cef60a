import { describe, expect, it } from 'vitest';
import { Neuron, SQUASH_NAMES, squash, squashName } from '@synaptic/core';

describe('squash functions', () => {
  it("compute f and f' as 1.x does", () => {
    const { LOGISTIC, TANH, IDENTITY, HLIM, RELU } = Neuron.squash;
    expect(LOGISTIC(0)).toBe(0.5);
    expect(LOGISTIC(2, true)).toBeCloseTo(LOGISTIC(2) * (1 - LOGISTIC(2)), 15);
    expect(TANH(0.5)).toBe(Math.tanh(0.5));
    expect(TANH(0.5, true)).toBe(1 - Math.tanh(0.5) ** 2);
    expect([IDENTITY(3), IDENTITY(3, true)]).toEqual([3, 1]);
    expect([HLIM(0.1), HLIM(0), HLIM(-1), HLIM(5, true)]).toEqual([1, 0, 0, 1]);
    expect([RELU(2), RELU(-2), RELU(2, true), RELU(-2, true), RELU(0, true)]).toEqual([2, 0, 1, 0, 0]);
  });

  it('are named for JSON, with null for custom functions', () => {
    for (const name of SQUASH_NAMES) expect(squashName(squash[name])).toBe(name);
    expect(squashName((x) => x)).toBeNull();
  });

  it('take custom functions on a neuron', () => {
    const a = new Neuron();
    const b = new Neuron();
    a.project(b, 1);
    b.bias = 0;
    b.squash = (x, d) => (d ? 2 : 2 * x);
    a.activate(3);
    expect(b.activate()).toBe(6);
    expect(b.derivative).toBe(2);
  });
});

describe('SQUASH_SOURCE', () => {
  it('computes exactly what each squash function computes (compiled code runs this text)', async () => {
    const { SQUASH_SOURCE, SQUASH_NAMES, squash: fns } = await import('../src/index.js');
    for (const name of SQUASH_NAMES) {
      const run = new Function('sum', `let y, d; ${SQUASH_SOURCE[name]} return [y, d];`) as (s: number) => number[];
      for (const s of [-30, -2.5, -1e-9, 0, 1e-9, 0.3, 1, 4, 50]) {
        expect(run(s), `${name}(${s})`).toEqual([fns[name](s), fns[name](s, true)]);
      }
    }
  });
});
