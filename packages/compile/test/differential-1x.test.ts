import { describe, expect, it } from 'vitest';
import { Network } from '@synaptic/core';
import { optimize, setCodeGenerationAllowed } from '@synaptic/compile';
import { fixtureRate, fixtures1x, makeSteps, run1x } from '@synaptic/test-support';

/**
 * core's differential test against synaptic 1.1.4, run through compiled code: `exact` must be
 * bit-identical to 1.x's interpreter, the default (traces folded) within 1e-9.
 */
describe.each(fixtures1x.map((f) => [f.name, f] as const))('1.x fixture %s, compiled', (_, fixture) => {
  it('matches 1.1.4 at every step and in the trained weights', () => {
    const json = fixture.build();
    const steps = makeSteps(json, 1000, 42);
    const rate = fixtureRate(fixture);
    const oracle = run1x(json, steps, rate);
    for (const exact of [true, false]) {
      const net = optimize(Network.fromJSON(json), { exact });
      let worst = 0;
      steps.forEach(({ input, target }, k) => {
        net.activate(input).forEach((y, i) => (worst = Math.max(worst, Math.abs(y - oracle.outputs[k][i]))));
        net.propagate(rate, target);
      });
      expect(net.executor()).not.toBeNull();
      expect(worst).toBeLessThanOrEqual(exact ? 0 : 1e-9);
      const trained = net.toJSON();
      if (exact) expect(JSON.stringify(trained)).toBe(JSON.stringify(oracle.json));
      trained.connections.forEach((c, i) =>
        expect(Math.abs(c.weight - oracle.json.connections[i].weight)).toBeLessThanOrEqual(1e-9),
      );
    }
  });
});

describe('where code generation is forbidden (Content-Security-Policy)', () => {
  it('falls back to the interpreter and says so once', () => {
    const json = fixtures1x[5].build();
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    setCodeGenerationAllowed(false);
    try {
      const a = optimize(Network.fromJSON(json));
      const b = optimize(Network.fromJSON(json));
      const reference = Network.fromJSON(json);
      for (const { input, target } of makeSteps(json, 20, 1)) {
        expect(a.activate(input)).toEqual(reference.activate(input));
        b.activate(input);
        a.propagate(0.1, target);
        b.propagate(0.1, target);
        reference.propagate(0.1, target);
      }
      expect(warnings).toHaveLength(1);
      expect(String((warnings[0] as unknown[])[0])).toMatch(/Content-Security-Policy/);
    } finally {
      console.warn = warn;
      setCodeGenerationAllowed(null);
    }
  });
});
