import { describe, expect, it } from 'vitest';
import { Network } from '@synaptic/core';
import { optimize } from '@synaptic/compile';
import { fixtureRate, fixtures1x, makeSteps, run1x } from '@synaptic/test-support';

/**
 * core's differential test against synaptic 1.1.4, run through compiled code: `exact` must be
 * bit-identical to 1.x's interpreter, the default (traces folded) within 1e-9.
 */
/** The fixtures' differential runs over `steps` steps (`pnpm test`: 200, the slow tier: 1,000). */
export function differentialSuites(steps: number): void {
  describe.each(fixtures1x.map((f) => [f.name, f] as const))('1.x fixture %s, compiled', (_, fixture) => {
    it('matches 1.1.4 at every step and in the trained weights', () => {
      const json = fixture.build();
      const data = makeSteps(json, steps, 42);
      const rate = fixtureRate(fixture);
      const oracle = run1x(json, data, rate);
      for (const exact of [true, false]) {
        const net = optimize(Network.fromJSON(json), { exact });
        let worst = 0;
        data.forEach(({ input, target }, k) => {
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
}
