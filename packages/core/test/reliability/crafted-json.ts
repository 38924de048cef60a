/**
 * A 1.x JSON of `layers` layers of `size` units, each projecting to every later layer, with each
 * unit's inputs listed interleaved (unit k of every earlier layer, then unit k+1 of every one):
 * no pair of layers can be one block, and every pair is found out of order.
 */
export function interleavedJSON(layers: number, size: number) {
  const neurons = [];
  for (let l = 0; l < layers; l++) {
    for (let k = 0; k < size; k++) {
      const layer = l === 0 ? 'input' : l === layers - 1 ? 'output' : l - 1;
      neurons.push({
        trace: { elegibility: {}, extended: {} },
        state: 0,
        old: 0,
        activation: 0,
        bias: 0.1,
        layer,
        squash: 'LOGISTIC',
      });
    }
  }
  const connections = [];
  for (let t = 1; t < layers; t++) {
    for (let j = 0; j < size; j++) {
      for (let k = 0; k < size; k++) {
        for (let f = 0; f < t; f++) {
          connections.push({ from: f * size + k, to: t * size + j, weight: 0.01 * ((f + k + j) % 7), gater: null });
        }
      }
    }
  }
  return { neurons, connections };
}
