import { NonFiniteError } from '../errors.js';
import { opsOf } from '../ops/op.js';
import type { Layer } from '../layer.js';
import type { Neuron } from '../neuron.js';
import type { Block } from '../storage/block.js';
import { layerFunctionMarker, squashName } from '../squash.js';
import { listConnections, rebuildOrders } from './listing-order.js';
import {
  FORMAT_NAME,
  FORMAT_VERSION,
  type ConnectionJSON,
  type ConnectionJSONV2,
  type LayerRefJSON,
  type LayerShapeJSON,
  type OpJSON,
  type NetworkJSON,
  type NetworkJSONV2,
  type NeuronJSON,
  type UnitJSONV2,
} from './format.js';

/** A connection as 1.x's JSON lists it, with where it lives (block null: `from`'s self-connection). */
export interface ListedConnection {
  from: number;
  to: number;
  gater: number | null;
  block: Block | null;
  slot: number;
}

/**
 * The connections of `units` in the order 1.x's JSON lists them: for each unit its projections in
 * creation order, then its self-connection. Connections to units outside the list are left out,
 * and a gater outside the list counts as none. (A loader applies them in `rebuildOrders`' order.)
 */
export function forEachListedConnection(units: Array<{ neuron: Neuron }>, visit: (c: ListedConnection) => void): void {
  const listing = listConnections(units);
  for (let e = 0; e < listing.from.length; e++) {
    visit({
      from: listing.from[e],
      to: listing.to[e],
      gater: listing.gater[e],
      block: listing.block[e],
      slot: listing.slot[e],
    });
  }
}

/** Whether 1.x's format can express these units: no layer function, nothing fixed. */
export function fitsFormat1x(units: Array<{ neuron: Neuron }>): boolean {
  for (const { neuron } of units) {
    const st = neuron.store;
    if (layerFunctionMarker(st.squash[neuron.index]) !== null || st.biasFixed?.[neuron.index]) return false;
    for (const seg of neuron.inputs) if (seg.block.fixed?.includes(1) || seg.block.tiedTo !== null) return false;
  }
  return true;
}

/**
 * The versioned superset: 1.x's fields plus layer functions (as squash, with their group size from
 * `groupOf` and LAYER_NORM's γ and β) and fixed flags.
 */
export function unitsToJSONV2(
  units: Array<{ neuron: Neuron; layer: 'input' | 'output' | number }>,
  groupOf: ReadonlyMap<Neuron, number> = new Map(),
): NetworkJSONV2 {
  const base = unitsToJSON(units);
  const out: NetworkJSONV2 = {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    units: base.neurons.map((n, i) => {
      const { neuron } = units[i];
      const unit: UnitJSONV2 = { ...n };
      const st = neuron.store;
      const marker = layerFunctionMarker(st.squash[neuron.index]);
      if (marker !== null) {
        unit.squash = marker;
        const group = groupOf.get(neuron);
        if (group !== undefined) unit.group = group;
      }
      if (marker === 'LAYER_NORM') {
        const gamma = st.gamma?.[neuron.index] ?? 1;
        const beta = st.beta?.[neuron.index] ?? 0;
        if (!Number.isFinite(gamma)) throw notFinite(`unit ${i}'s gamma`, gamma, i);
        if (!Number.isFinite(beta)) throw notFinite(`unit ${i}'s beta`, beta, i);
        unit.gamma = gamma;
        unit.beta = beta;
      }
      if (neuron.biasFixed) unit.biasFixed = true;
      return unit;
    }),
    connections: [],
  };
  // where each (block, slot) is listed, so a tied connection can name the one whose weight it reads
  const listed = new Map<Block, Map<number, number>>();
  let n = 0;
  forEachListedConnection(units, ({ block, slot }) => {
    if (block !== null) {
      let slots = listed.get(block);
      if (!slots) listed.set(block, (slots = new Map()));
      slots.set(slot, n);
    }
    n++;
  });
  let c = 0;
  forEachListedConnection(units, ({ block, slot }) => {
    const entry: ConnectionJSONV2 = { ...base.connections[c++] };
    if (block?.fixed?.[slot]) entry.fixed = true;
    const tie = block?.tiedTo ? listed.get(block.tiedTo)?.get(slot) : undefined;
    if (tie !== undefined) entry.tie = tie;
    out.connections.push(entry);
  });
  if (base.replay) out.replay = base.replay;
  if (base.gating) out.gating = base.gating;
  return out;
}

/** The `layer` field of the units of layer `l` of `count` (input first). */
export function layerRef(l: number, count: number): LayerRefJSON {
  return l === 0 ? 'input' : l === count - 1 ? 'output' : l - 1;
}

/** Whether layers carry what only the versioned format holds: a shape or a layer-level projection. */
export function hasShapesOrOps(layers: readonly Layer[]): boolean {
  return layers.some((layer) => layer.shape !== null || layer.opsIn.length > 0);
}

/** Adds the layers' shapes and ops (in creation order) to a versioned file. */
export function addShapesAndOps(json: NetworkJSONV2, layers: readonly Layer[]): NetworkJSONV2 {
  const ref = (layer: Layer) => layerRef(layers.indexOf(layer), layers.length);
  const shapes: LayerShapeJSON[] = [];
  layers.forEach((layer, l) => {
    if (layer.shape !== null && layer.size > 0)
      shapes.push({ layer: layerRef(l, layers.length), shape: [layer.shape[0], layer.shape[1], layer.shape[2]] });
  });
  if (shapes.length > 0) json.shapes = shapes;
  const ops: OpJSON[] = [];
  for (const op of opsOf(layers)) {
    if (!layers.includes(op.target) || !op.sources.every((s) => layers.includes(s))) continue;
    const options: Record<string, number | number[]> = {};
    for (const [key, value] of Object.entries(op.options()))
      options[key] = typeof value === 'number' ? value : [...value];
    const tensors: Record<string, number[]> = {};
    const fixed: Record<string, number[]> = {};
    op.tensors.forEach((t, k) => {
      t.value.forEach((v, i) => {
        if (!Number.isFinite(v))
          throw new NonFiniteError(
            `toJSON: entry ${i} of the ${t.name} of op ${k} (${op.kind}) is ${Number.isNaN(v) ? 'NaN' : String(v)}, which JSON cannot hold: the network diverged (roll back to a checkpoint or reset it)`,
          );
      });
      tensors[t.name] = Array.from(t.value);
      if (t.fixed?.includes(1)) fixed[t.name] = Array.from(t.fixed.keys()).filter((i) => t.fixed![i] === 1);
    });
    const entry: OpJSON = { kind: op.kind, sources: op.sources.map(ref), target: ref(op.target), options, tensors };
    if (Object.keys(fixed).length > 0) entry.fixed = fixed;
    ops.push(entry);
  }
  if (ops.length > 0) json.ops = ops;
  return json;
}

/**
 * Writes 1.x's format, key for key: units in network order, then connections as listed above; and
 * `replay` and `gating` when that list's order would not rebuild every unit's sums (`rebuildOrders`).
 */
export function unitsToJSON(units: Array<{ neuron: Neuron; layer: 'input' | 'output' | number }>): NetworkJSON {
  units.forEach(({ neuron }, i) => {
    const st = neuron.store;
    const k = neuron.index;
    for (const [field, value] of [
      ['state', st.state[k]],
      ['old', st.old[k]],
      ['activation', st.activation[k]],
      ['bias', st.bias[k]],
    ] as const) {
      if (!Number.isFinite(value)) throw notFinite(`unit ${i}'s ${field}`, value, i);
    }
  });
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
  const listing = listConnections(units);
  for (let e = 0; e < listing.from.length; e++) {
    const from = listing.from[e];
    const to = listing.to[e];
    const block = listing.block[e];
    const unit = units[from].neuron;
    const weight = block ? block.weight[listing.slot[e]] : unit.store.selfWeight[unit.index];
    if (!Number.isFinite(weight)) throw notFinite(`the weight of the connection ${from} -> ${to}`, weight, to);
    connections.push({ from, to, weight, gater: listing.gater[e] });
  }
  const { replay, gating } = rebuildOrders(units, listing);
  const json: NetworkJSON = { neurons, connections };
  if (replay) json.replay = replay;
  if (gating) json.gating = gating;
  return json;
}

/** JSON has no NaN or Infinity (JSON.stringify would write null, which no reader accepts back). */
function notFinite(what: string, value: number, unit: number): NonFiniteError {
  return new NonFiniteError(
    `toJSON: ${what} is ${Number.isNaN(value) ? 'NaN' : String(value)}, which JSON cannot hold: the network diverged (roll back to a checkpoint or reset it)`,
    unit,
  );
}
