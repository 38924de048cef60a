import type { Neuron } from './neuron.js';
import type { Layer } from './layer.js';
import { opsOf } from './ops/op.js';
import { forEachOutputSlot } from './wiring.js';

/**
 * DOT for Graphviz: one node per layer (0 is the input layer, the last the output layer), one
 * edge per pair of connected layers labelled with the number of connections, and a blue edge from
 * every layer whose units gate some of them. With `edgeConnection`, gated edges pass through a
 * point node so the gating edge can end on the connection (as 1.x's workaround did).
 */
export function layersToDot(layers: Layer[], edgeConnection: boolean): string {
  const layerOf = new Map<Neuron, number>();
  layers.forEach((layer, l) => layer.list.forEach((n) => layerOf.set(n, l)));
  const edges = new Map<string, { from: number; to: number; size: number; gaters: Set<number> }>();
  const edge = (from: number, to: number) => {
    const key = `${from}:${to}`;
    let e = edges.get(key);
    if (!e) edges.set(key, (e = { from, to, size: 0, gaters: new Set() }));
    return e;
  };
  layers.forEach((layer, l) => {
    for (const neuron of layer.list) {
      for (const seg of neuron.outputs) {
        const block = seg.block;
        forEachOutputSlot(seg, (slot) => {
          const to = layerOf.get(block.targetOf(slot));
          if (to === undefined) return;
          const e = edge(l, to);
          e.size++;
          const gater = block.gater?.[slot];
          const g = gater ? layerOf.get(gater) : undefined;
          if (g !== undefined) e.gaters.add(g);
        });
      }
      if (neuron.selfconnected()) {
        const e = edge(l, l);
        e.size++;
        const g = neuron.selfGater ? layerOf.get(neuron.selfGater) : undefined;
        if (g !== undefined) e.gaters.add(g);
      }
    }
  });
  const name = (l: number) => (l === 0 ? 'input' : l === layers.length - 1 ? 'output' : `hidden ${l - 1}`);
  // a shaped layer that an op reads or writes is drawn as one node per map (channel) in a cluster
  const mapped = layers.map((layer) => layer.shape !== null && (layer.opsIn.length > 0 || layer.opsOut.length > 0));
  let code = `digraph nn {\n    rankdir = BT\n${mapped.includes(true) ? '    compound = true\n' : ''}`;
  layers.forEach((layer, l) => {
    if (!mapped[l]) {
      code += `    ${l} [label = "${name(l)} (${layer.size})"]\n`;
      return;
    }
    const [w, h, c] = layer.shape!;
    code += `    subgraph cluster_${l} {\n        label = "${name(l)} (${w}×${h}×${c})"\n`;
    for (let m = 0; m < c; m++) code += `        ${l}_${m} [label = "map ${m} (${w}×${h})"]\n`;
    code += '    }\n';
  });
  // edges of ordinary connections end on a map node, clipped at its cluster
  const node = (l: number) => (mapped[l] ? `${l}_0` : `${l}`);
  const clip = (from: number, to: number) => {
    const parts = [mapped[from] ? `ltail = cluster_${from}` : '', mapped[to] ? `lhead = cluster_${to}` : ''].filter(
      Boolean,
    );
    return parts.length > 0 ? `, ${parts.join(', ')}` : '';
  };
  for (const op of opsOf(layers)) {
    const t = layers.indexOf(op.target);
    if (t < 0) continue;
    for (const edge of op.dotEdges()) {
      const s = layers.indexOf(op.sources[edge.source]);
      if (s < 0) continue;
      code += `    ${s}_${edge.sourceMap} -> ${t}_${edge.targetMap} [label = "${op.label()}", color = darkgreen]\n`;
    }
  }
  for (const e of edges.values()) {
    if (mapped[e.from] || mapped[e.to]) {
      code += `    ${node(e.from)} -> ${node(e.to)} [label = ${e.size}${clip(e.from, e.to)}]\n`;
      for (const g of e.gaters) code += `    ${node(g)} -> ${node(e.to)} [color = blue]\n`;
      continue;
    }
    if (edgeConnection && e.gaters.size > 0) {
      const fake = `fake${e.from}_${e.to}`;
      code += `    ${fake} [label = "", shape = point, width = 0.01, height = 0.01]\n`;
      code += `    ${e.from} -> ${fake} [label = ${e.size}, arrowhead = none]\n`;
      code += `    ${fake} -> ${e.to}\n`;
      for (const g of e.gaters) code += `    ${g} -> ${fake} [color = blue]\n`;
    } else {
      code += `    ${e.from} -> ${e.to} [label = ${e.size}]\n`;
      for (const g of e.gaters) code += `    ${g} -> ${e.to} [color = blue]\n`;
    }
  }
  return `${code}}\n`;
}
