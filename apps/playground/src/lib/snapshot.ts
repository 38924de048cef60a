import type { ConnectionJSON, Network, UnitJSONV2 } from '@synaptic/core';

/** One layer of a snapshot: its name and the indices of its units in the JSON's `neurons`. */
export interface SnapshotLayer {
  name: string;
  units: number[];
}

/** A weight block between two layers: `weights[row * from.length + col]`, row = target unit. */
export interface WeightBlock {
  from: SnapshotLayer;
  to: SnapshotLayer;
  weights: Float64Array;
}

/** The units and connections of a network's JSON, in either format `toJSON` writes. */
export interface SnapshotJSON {
  neurons: readonly UnitJSONV2[];
  connections: readonly ConnectionJSON[];
}

/** A network read once through its JSON: layers, activations, weights. */
export interface NetworkSnapshot {
  json: SnapshotJSON;
  layers: SnapshotLayer[];
  activation: Float64Array;
  blocks: WeightBlock[];
}

function layerName(layer: 'input' | 'output' | number): string {
  return typeof layer === 'number' ? `hidden ${layer}` : layer;
}

export function snapshot(network: Network): NetworkSnapshot {
  // 1.x's format, or the versioned one (a softmax output): both list the units one by one, with their layers
  const written = network.toJSON();
  const json: SnapshotJSON =
    'neurons' in written ? written : { neurons: written.units, connections: written.connections };
  const layers: SnapshotLayer[] = [];
  const byName = new Map<string, SnapshotLayer>();
  const layerOf = new Int32Array(json.neurons.length);
  json.neurons.forEach((neuron, index) => {
    const name = layerName(neuron.layer as 'input' | 'output' | number);
    let layer = byName.get(name);
    if (!layer) {
      layer = { name, units: [] };
      byName.set(name, layer);
      layers.push(layer);
    }
    layerOf[index] = layers.indexOf(layer);
    layer.units.push(index);
  });
  const position = new Int32Array(json.neurons.length);
  for (const layer of layers) layer.units.forEach((unit, i) => (position[unit] = i));
  const activation = Float64Array.from(json.neurons, (n) => n.activation);

  const blocks = new Map<string, WeightBlock>();
  for (const c of json.connections) {
    const from = layers[layerOf[c.from]];
    const to = layers[layerOf[c.to]];
    const key = `${from.name}>${to.name}`;
    let block = blocks.get(key);
    if (!block) {
      block = { from, to, weights: new Float64Array(from.units.length * to.units.length) };
      blocks.set(key, block);
    }
    block.weights[position[c.to] * from.units.length + position[c.from]] = c.weight;
  }
  return { json, layers, activation, blocks: [...blocks.values()] };
}
