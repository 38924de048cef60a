import { nextConnectionIds, nextNeuronIds } from '../ids.js';
import { setFixed } from '../connection.js';
import { Layer } from '../layer.js';
import { layerFunctions } from '../layer-function.js';
import { LayerConnection } from '../layer-connection.js';
import { Neuron } from '../neuron.js';
import { Block, DENSE, DIAGONAL, LIST } from '../storage/block.js';
import { NeuronStore } from '../storage/neuron-store.js';
import { connectionType, type ConnectionType } from '../types.js';
import { InvalidJSONError, SynapticError } from '../errors.js';
import type { Op } from '../ops/op.js';
import { opKinds } from '../ops/registry.js';
import { addInput, addLooseConnection, addOutput, gateSelf, gateSlot } from '../wiring.js';
import type { ParsedNetwork, ParsedOp } from './validate-json.js';

export interface BuiltLayers {
  input: Layer;
  hidden: Layer[];
  output: Layer;
}

/** A candidate block: the connections between two layers, if they form a regular pattern. */
interface Group {
  from: number;
  to: number;
  kind: typeof DENSE | typeof DIAGONAL;
  type: ConnectionType;
  block: Block | null;
}

/**
 * Rebuilds layers from parsed 1.x JSON. Connections are applied in file order, as 1.x's
 * fromJSON does, so every unit sums its inputs and outputs in the same order; connections
 * between two layers that form a complete pattern (all-to-all, all-to-else, one-to-one) and keep
 * that order are stored as one typed-array block, the rest as neuron-level lists.
 */
export function buildLayers(parsed: ParsedNetwork): BuiltLayers {
  const { units, connections, hiddenCount } = parsed;
  const layerIndex = units.map((u) => (u.layer === 'input' ? 0 : u.layer === 'output' ? hiddenCount + 1 : u.layer + 1));
  const members: number[][] = Array.from({ length: hiddenCount + 2 }, () => []);
  const local = new Int32Array(units.length);
  units.forEach((_, i) => {
    const l = layerIndex[i];
    local[i] = members[l].length;
    members[l].push(i);
  });

  // units: IDs ascending in file order (1.x visits gated units in ID order)
  const firstId = nextNeuronIds(units.length);
  const neurons = new Array<Neuron>(units.length);
  const layers = members.map((list) => {
    const layer = new Layer(0);
    const store = new NeuronStore(list.length);
    list.forEach((i, k) => {
      const u = units[i];
      const neuron = new Neuron(store, k, firstId + i, u.bias);
      store.state[k] = u.state;
      store.old[k] = u.old;
      store.activation[k] = u.activation;
      store.squash[k] = u.squash;
      if (u.biasFixed) (store.biasFixed ??= new Uint8Array(store.size))[k] = 1;
      neurons[i] = neuron;
      layer.list.push(neuron);
    });
    layer.size = list.length;
    const fn = list.length > 0 ? units[list[0]].layerFunction : null;
    if (fn !== null) {
      layer.layerFunction = layerFunctions[fn];
      const group = units[list[0]].group;
      layer.functionGroup = group === list.length ? 0 : group;
    }
    if (fn === 'LAYER_NORM') {
      const { gamma, beta } = store.ensureNorm();
      list.forEach((i, k) => {
        gamma[k] = units[i].gamma;
        beta[k] = units[i].beta;
      });
    }
    return layer;
  });

  const groupOf = findGroups(parsed, layerIndex, local, members);
  const groups = [...new Set(groupOf.filter((g): g is Group => g !== null))];
  for (const g of groups) {
    const from = layers[g.from].list;
    const to = layers[g.to].list;
    const length = g.kind === DENSE ? from.length * to.length : from.length;
    g.block = new Block(g.kind, from.slice(), to.slice(), length, nextConnectionIds(length), {
      skipDiagonal: g.from === g.to,
    });
    layers[g.from].connectedTo.push(
      new LayerConnection(
        layers[g.from],
        layers[g.to],
        g.type,
        g.block,
        [],
        g.from === g.to ? length - from.length : length,
      ),
    );
  }

  const slotOf = (c: { from: number; to: number }, g: Group) =>
    g.kind === DENSE ? local[c.to] * layers[g.from].size + local[c.from] : local[c.from];
  const placed = new Array<{ block: Block; slot: number } | null>(connections.length).fill(null);
  const rowDone = new Map<Block, Uint8Array>();
  const colDone = new Map<Block, Uint8Array>();
  const mark = (done: Map<Block, Uint8Array>, block: Block, k: number, size: number) => {
    let flags = done.get(block);
    if (!flags) done.set(block, (flags = new Uint8Array(size)));
    if (flags[k]) return false;
    flags[k] = 1;
    return true;
  };
  connections.forEach((c, i) => {
    const from = neurons[c.from];
    const to = neurons[c.to];
    if (c.from === c.to) {
      from.store.selfWeight[from.index] = c.weight;
      return;
    }
    const g = groupOf[i];
    if (g === null) {
      placed[i] = addLooseConnection(from, to, c.weight);
      return;
    }
    const block = g.block!;
    const slot = slotOf(c, g);
    block.weight[slot] = c.weight;
    placed[i] = { block, slot };
    const row = g.kind === DENSE ? local[c.to] : slot;
    const col = g.kind === DENSE ? local[c.from] : slot;
    if (mark(rowDone, block, row, block.to.length)) addInput(to, block, row);
    if (mark(colDone, block, col, block.from.length)) addOutput(from, block, col);
  });
  tieBlocks(connections, placed);
  connections.forEach((c, i) => {
    const at = placed[i];
    if (c.fixed && at !== null) setFixed(at.block, at.slot, true);
  });
  for (let k = 0; k < connections.length; k++) {
    const i = parsed.gateOrder === null ? k : parsed.gateOrder[k];
    const c = connections[i];
    if (c.gater < 0) continue;
    const gater = neurons[c.gater];
    if (c.from === c.to) gateSelf(gater, neurons[c.to]);
    else gateSlot(gater, placed[i]!.block, placed[i]!.slot);
  }

  const layerAt = (ref: ParsedNetwork['shapes'][number]['layer']) =>
    layers[ref === 'input' ? 0 : ref === 'output' ? hiddenCount + 1 : ref + 1];
  for (const { layer, shape } of parsed.shapes) layerAt(layer).shape = Object.freeze(shape);
  for (const entry of parsed.ops) buildOp(entry, layerAt);
  // attaching an op fixes its target's own biases at 0: the file's own values and flags hold
  for (const entry of parsed.ops) {
    const target = layerAt(entry.target);
    target.list.forEach((unit, k) => {
      const u = units[members[layers.indexOf(target)][k]];
      unit.store.bias[unit.index] = u.bias;
      unit.store.biasFixed![unit.index] = u.biasFixed ? 1 : 0;
    });
  }
  return { input: layers[0], hidden: layers.slice(1, hiddenCount + 1), output: layers[hiddenCount + 1] };
}

/** Builds one op of the file with its kind's factory, then sets its tensors (lengths checked). */
function buildOp(entry: ParsedOp, layerAt: (ref: ParsedOp['target']) => Layer): void {
  let op: Op;
  try {
    op = opKinds[entry.kind](entry.sources.map(layerAt), layerAt(entry.target), entry.options);
  } catch (error) {
    if (error instanceof SynapticError) throw new InvalidJSONError(entry.path, error.message);
    throw error;
  }
  for (const t of op.tensors) {
    const values = entry.tensors.get(t.name);
    if (values === undefined) throw new InvalidJSONError(`${entry.path}.tensors`, `the ${t.name} is missing`);
    if (values.length !== t.value.length)
      throw new InvalidJSONError(
        `${entry.path}.tensors.${t.name}`,
        `expected ${t.value.length} numbers, got ${values.length}`,
      );
    t.value.set(values);
    const fixed = entry.fixed.get(t.name);
    if (fixed !== undefined && fixed.length > 0) {
      t.fixed = new Uint8Array(t.value.length);
      for (const i of fixed) t.fixed[i] = 1;
    }
  }
  for (const name of entry.tensors.keys())
    if (!op.tensors.some((t) => t.name === name))
      throw new InvalidJSONError(`${entry.path}.tensors.${name}`, `a ${entry.kind} has no tensor ${name}`);
}

/**
 * Finds, for each connection, the block it can live in (null: a neuron-level connection).
 * A pair of layers becomes a block when its connections are exactly a full pattern, each unit's
 * connections of the block are contiguous in the unit's input (and output) order, and they run
 * in layer order — the conditions under which a block reproduces the file's summation order.
 */
function findGroups(
  parsed: ParsedNetwork,
  layerIndex: number[],
  local: Int32Array,
  members: number[][],
): Array<Group | null> {
  const { connections } = parsed;
  const byPair = new Map<string, number[]>();
  connections.forEach((c, i) => {
    if (c.from === c.to) return;
    const key = `${layerIndex[c.from]}:${layerIndex[c.to]}`;
    let list = byPair.get(key);
    if (!list) byPair.set(key, (list = []));
    list.push(i);
  });
  const groupOf = new Array<Group | null>(connections.length).fill(null);
  for (const [key, list] of byPair) {
    const [f, t] = key.split(':').map(Number);
    const nf = members[f].length;
    const nt = members[t].length;
    let kind: Group['kind'] | null = null;
    let type: ConnectionType = connectionType.ALL_TO_ALL;
    if (f === t) {
      if (list.length === nf * (nf - 1) && nf > 1) {
        kind = DENSE;
        type = connectionType.ALL_TO_ELSE;
      }
    } else if (list.length === nf * nt) kind = DENSE;
    else if (
      nf === nt &&
      list.length === nf &&
      list.every((i) => local[connections[i].from] === local[connections[i].to])
    ) {
      kind = DIAGONAL;
      type = connectionType.ONE_TO_ONE;
    }
    if (kind === null) continue;
    const seen = new Uint8Array(kind === DENSE ? nf * nt : nf);
    const distinct = list.every((i) => {
      const c = connections[i];
      const k = kind === DENSE ? local[c.to] * nf + local[c.from] : local[c.from];
      if (seen[k]) return false;
      seen[k] = 1;
      return true;
    });
    if (!distinct) continue;
    const group: Group = { from: f, to: t, kind, type, block: null };
    for (const i of list) groupOf[i] = group;
  }

  // demote the groups whose order a block cannot reproduce. Whether a group breaks the order
  // depends on its own connections alone (a run of it is ended by any other connection, in a
  // group or not), so one pass finds them all; the second pass only confirms it. (Demoting one
  // per pass was O(groups × connections): 58 s for a crafted 8.8 MB file.)
  for (;;) {
    const bad = orderViolations(parsed, groupOf, local);
    if (bad.size === 0) return groupOf;
    for (let i = 0; i < groupOf.length; i++) if (groupOf[i] !== null && bad.has(groupOf[i]!)) groupOf[i] = null;
  }
}

/** The groups whose connections a block cannot visit in the file's order, found in one pass per side. */
function orderViolations(parsed: ParsedNetwork, groupOf: Array<Group | null>, local: Int32Array): Set<Group> {
  const n = parsed.units.length;
  const bad = new Set<Group>();
  const check = (side: 'to' | 'from') => {
    const run = new Array<Group | null>(n).fill(null);
    const last = new Int32Array(n);
    const finished = new Array<Set<Group> | null>(n).fill(null);
    const other = side === 'to' ? 'from' : 'to';
    for (let i = 0; i < parsed.connections.length; i++) {
      const c = parsed.connections[i];
      if (c.from === c.to) continue;
      const unit = c[side];
      const g = groupOf[i];
      const position = local[c[other]];
      if (g === null) {
        if (run[unit]) (finished[unit] ??= new Set()).add(run[unit]!);
        run[unit] = null;
        continue;
      }
      if (run[unit] === g) {
        if (position <= last[unit]) bad.add(g);
      } else {
        if (finished[unit]?.has(g)) bad.add(g);
        if (run[unit]) (finished[unit] ??= new Set()).add(run[unit]!);
        run[unit] = g;
      }
      last[unit] = position;
    }
  };
  check('to');
  check('from');
  return bad;
}

/**
 * Restores tied projections: every connection of a block names (`tie`) the connection at the same
 * slot of one other block of the same layout. Anything else is refused: ties are per projection.
 */
function tieBlocks(
  connections: ParsedNetwork['connections'],
  placed: Array<{ block: Block; slot: number } | null>,
): void {
  const owners = new Map<Block, Block | null>();
  connections.forEach((c, i) => {
    if (c.tie < 0) return;
    const at = placed[i];
    const target = placed[c.tie];
    const path = `$.connections[${c.listed}].tie`;
    if (at === null || target === null || at.block.kind === LIST || target.block.kind === LIST)
      throw new InvalidJSONError(path, 'only connections of layer projections can be tied');
    if (target.slot !== at.slot || target.block === at.block || connections[c.tie].tie >= 0)
      throw new InvalidJSONError(path, 'a tie names the same connection of another, untied projection');
    const owner = owners.get(at.block);
    if (owner !== undefined && owner !== target.block)
      throw new InvalidJSONError(path, "a projection's connections are all tied to one other projection");
    owners.set(at.block, target.block);
  });
  // one pass: how many connections each block holds, and how many of them are tied
  const all = new Map<Block, number>();
  const tiedCount = new Map<Block, number>();
  placed.forEach((p, i) => {
    if (p === null) return;
    all.set(p.block, (all.get(p.block) ?? 0) + 1);
    if (connections[i].tie >= 0) tiedCount.set(p.block, (tiedCount.get(p.block) ?? 0) + 1);
  });
  for (const [block, owner] of owners) {
    if (owner === null) continue;
    if (
      tiedCount.get(block) !== all.get(block) ||
      block.length !== owner.length ||
      block.kind !== owner.kind ||
      block.from.length !== owner.from.length
    )
      throw new InvalidJSONError(
        '$.connections',
        'a tied projection must be tied whole, to one of the same kind and size',
      );
    // the file holds each connection's weight; the owner's are the ones read from now on
    block.tieTo(owner);
  }
}
