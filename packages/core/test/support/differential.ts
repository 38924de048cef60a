import { describe, expect, it } from 'vitest';
import { format1x, Network } from '@synaptic/core';
import { fixtureRate, fixtures1x, makeSteps, run1x } from '@synaptic/test-support';

/**
 * The numerical oracle: networks built by synaptic 1.1.4 itself (Architect's perceptrons, LSTMs
 * with every option, Liquid, Hopfield, hand-built gated networks with mixed squashes), loaded
 * here from 1.x's JSON, fed the same inputs and targets as 1.x's interpreter.
 */
/** The fixtures' differential runs over `steps` steps (`pnpm test`: 200, the slow tier: 1,000). */
export function differentialSuites(steps: number): void {
  describe.each(fixtures1x.map((f) => [f.name, f] as const))('1.x fixture %s', (_, fixture) => {
    it('matches 1.1.4 at every step and in the trained weights', () => {
      const json = fixture.build();
      const data = makeSteps(json, steps, 42);
      const rate = fixtureRate(fixture);
      const oracle = run1x(json, data, rate);
      for (const copy of [Network.fromJSON(json), Network.fromJSON(json).clone()]) {
        let worst = 0;
        data.forEach(({ input, target }, k) => {
          const out = copy.activate(input);
          out.forEach((y, i) => (worst = Math.max(worst, Math.abs(y - oracle.outputs[k][i]))));
          copy.propagate(rate, target);
        });
        expect(worst).toBeLessThanOrEqual(1e-9);
        const trained = format1x(copy.toJSON());
        expect(trained.connections.length).toBe(oracle.json.connections.length);
        trained.connections.forEach((c, i) => {
          const o = oracle.json.connections[i];
          expect([c.from, c.to, c.gater]).toEqual([o.from, o.to, o.gater]);
          expect(Math.abs(c.weight - o.weight)).toBeLessThanOrEqual(1e-9);
        });
        trained.neurons.forEach((n, i) =>
          expect(Math.abs(n.bias - oracle.json.neurons[i].bias)).toBeLessThanOrEqual(1e-9),
        );
        // stronger than the tolerance: the interpreter repeats 1.x's arithmetic in 1.x's order
        expect(JSON.stringify(trained)).toBe(JSON.stringify(oracle.json));
      }
    });
  });
}
