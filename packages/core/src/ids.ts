/** Global id counters, as in 1.x: every neuron and every connection gets a unique `ID`. */
let neurons = 0;
let connections = 0;
let layerConnections = 0;

export function nextNeuronIds(count: number): number {
  const first = neurons;
  neurons += count;
  return first;
}

export function nextConnectionIds(count: number): number {
  const first = connections;
  connections += count;
  return first;
}

export function nextLayerConnectionId(): number {
  return layerConnections++;
}

export function neuronQuantity(): { neurons: number; connections: number } {
  return { neurons, connections };
}
