import type { Neuron } from '../neuron.js';
import { squashName } from '../squash.js';
import { forEachOutputSlot } from '../wiring.js';
import type { ConnectionJSON, NetworkJSON, NeuronJSON } from './format.js';

/**
 * Writes 1.x's format, key for key: units in network order; for each unit its projections in
 * creation order, then its self-connection. Connections to units outside the list are left out.
 */
export function unitsToJSON(units: Array<{ neuron: Neuron; layer: 'input' | 'output' | number }>): NetworkJSON {
  const ids = new Map<Neuron, number>();
  units.forEach((u, i) => ids.set(u.neuron, i));
  const neurons: NeuronJSON[] = units.map(({ neuron, layer }) => ({
    trace: { elegibility: {}, extended: {} },
    state: neuron.store.state[neuron.index],
    old: neuron.store.old[neuron.index],
    activation: neuron.store.activation[neuron.index],
    bias: neuron.store.bias[neuron.index],
    layer,
    squash: squashName(neuron.store.squash[neuron.index]),
  }));
  const connections: ConnectionJSON[] = [];
  units.forEach(({ neuron }, i) => {
    for (const seg of neuron.outputs) {
      const block = seg.block;
      forEachOutputSlot(seg, (slot) => {
        const to = ids.get(block.targetOf(slot));
        if (to === undefined) return;
        const gater = block.gater?.[slot];
        connections.push({ from: i, to, weight: block.weight[slot], gater: gater ? (ids.get(gater) ?? null) : null });
      });
    }
    if (neuron.store.selfWeight[neuron.index] !== 0) {
      const gater = neuron.selfGater;
      connections.push({ from: i, to: i, weight: neuron.store.selfWeight[neuron.index], gater: gater ? (ids.get(gater) ?? null) : null });
    }
  });
  return { neurons, connections };
}
