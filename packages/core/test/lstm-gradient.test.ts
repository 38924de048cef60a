import { fixtures1x, lstmgGradient1x, makeSteps } from '@synaptic/test-support';
import { describe, expect, it } from 'vitest';
import { cost, forEachListedConnection, Network } from '../src/index.js';

// LSTMs with every option: backward's gradient (LSTM-g's truncated one on these recurrent graphs)
// against synaptic 1.1.4's own error responsibilities and traces, read after the same steps.
const lstms = fixtures1x.filter((f) => f.name.startsWith('lstm'));

describe('backward on LSTMs, against an independent evaluation of eq. 21-24 (synaptic 1.1.4)', () => {
  it('covers the LSTM fixtures', () => expect(lstms.length).toBeGreaterThanOrEqual(10));

  it.each(lstms.map((f) => [f.name, f] as const))('%s', (_, fixture) => {
    const json = fixture.build();
    const steps = makeSteps(json, 25, 77);
    const reference = lstmgGradient1x(json, steps);

    const net = Network.fromJSON(json);
    for (const step of steps.slice(0, -1)) {
      net.activate(step.input);
      net.propagate(1e-300, step.target); // weights held still, traces as 1.x's
    }
    const last = steps[steps.length - 1];
    net.activate(last.input);
    net.zeroGradients();
    // cross-entropy through logistic outputs gives 1.x's output error δ = t − y
    net.backward(last.target, { cost: cost.CROSS_ENTROPY });

    const units = net.neurons();
    let c = 0;
    let checked = 0;
    forEachListedConnection(units, ({ block, slot }) => {
      const expected = reference.weights[c++];
      if (block === null) return;
      expect(expected).not.toBeNull();
      const got = -(block.gradient?.[slot] ?? 0);
      expect(Math.abs(got - expected!), `connection ${c - 1}`).toBeLessThanOrEqual(
        1e-12 * Math.max(1, Math.abs(expected!)),
      );
      checked++;
    });
    expect(c).toBe(json.connections.length);
    expect(checked).toBeGreaterThan(10);
    units.forEach(({ neuron, layer }, i) => {
      if (layer === 'input') return;
      const got = -(neuron.store.biasGradient?.[neuron.index] ?? 0);
      expect(Math.abs(got - reference.biases[i]!), `bias of unit ${i}`).toBeLessThanOrEqual(1e-12);
    });
  });
});
