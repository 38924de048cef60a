import { bumpStructure } from './epoch.js';
import { InvalidJSONError } from './errors.js';
import type { AnyNetworkJSON, NetworkJSON, NeuronJSON, OpJSON } from './json/format.js';
import type { Layer } from './layer.js';
import { opsOf, type Op } from './ops/op.js';
import type { Neuron } from './neuron.js';
import type { Block } from './storage/block.js';
import { OPTIONAL_STORE_FIELDS, STORE_FIELDS, type NeuronStore } from './storage/neuron-store.js';
import { forEachListedConnection } from './json/to-json.js';

/**
 * Everything that changes while a network runs and learns (unit numbers, weights, gains,
 * traces), copied out of its typed arrays. Restoring one puts the network back exactly.
 */
export interface Checkpoint {
  readonly stores: ReadonlyMap<NeuronStore, Float64Array[]>;
  readonly blocks: ReadonlyMap<Block, Float64Array[]>;
  readonly xtraces: ReadonlyMap<Neuron, Float64Array[]>;
  /** the parameter tensors of layer-level projections (ops/) */
  readonly ops: ReadonlyMap<Op, Float64Array[]>;
}

const FIELDS = STORE_FIELDS;

/** A store's arrays a checkpoint copies: STORE_FIELDS, then the optional fields it has (γ and β). */
function storeArrays(store: NeuronStore): Float64Array[] {
  const arrays: Float64Array[] = FIELDS.map((f) => store[f]);
  for (const f of OPTIONAL_STORE_FIELDS) {
    const a = store[f];
    if (a !== null) arrays.push(a);
  }
  return arrays;
}

function blocksOf(units: Neuron[]): Set<Block> {
  const blocks = new Set<Block>();
  for (const n of units) for (const seg of n.inputs) blocks.add(seg.block);
  return blocks;
}

/** Copies `source` into `target` when they have the same length (reusing a checkpoint's arrays). */
function copyInto(target: Float64Array | undefined, source: Float64Array): Float64Array {
  if (target !== undefined && target.length === source.length) {
    target.set(source);
    return target;
  }
  return source.slice();
}

/**
 * Copies everything that changes while `layers` run and learn. With `reuse` (an earlier
 * checkpoint of the same layers), its arrays are filled again instead of allocating new ones.
 */
export function takeCheckpoint(layers: Layer[], reuse?: Checkpoint): Checkpoint {
  if (reuse) return refill(layers, reuse);
  const units = layers.flatMap((l) => l.list);
  const stores = new Map<NeuronStore, Float64Array[]>();
  for (const n of units)
    if (!stores.has(n.store))
      stores.set(
        n.store,
        storeArrays(n.store).map((a) => a.slice()),
      );
  const blocks = new Map<Block, Float64Array[]>();
  for (const b of blocksOf(units))
    blocks.set(b, [b.weight.slice(), b.elig.slice(), ...(b.gain ? [b.gain.slice()] : [])]);
  const xtraces = new Map<Neuron, Float64Array[]>();
  for (const n of units)
    if (n.gatedGroups.length)
      xtraces.set(
        n,
        n.gatedGroups.map((g) => g.xtrace.slice()),
      );
  const ops = new Map<Op, Float64Array[]>();
  for (const op of opsOf(layers))
    ops.set(
      op,
      op.tensors.map((t) => t.value.slice()),
    );
  return { stores, blocks, xtraces, ops };
}

function refill(layers: Layer[], reuse: Checkpoint): Checkpoint {
  const units = layers.flatMap((l) => l.list);
  const stores = new Map<NeuronStore, Float64Array[]>();
  for (const n of units) {
    if (stores.has(n.store)) continue;
    const old = reuse.stores.get(n.store);
    stores.set(
      n.store,
      storeArrays(n.store).map((a, k) => copyInto(old?.[k], a)),
    );
  }
  const blocks = new Map<Block, Float64Array[]>();
  for (const b of blocksOf(units)) {
    const old = reuse.blocks.get(b);
    const arrays = [copyInto(old?.[0], b.weight), copyInto(old?.[1], b.elig)];
    if (b.gain) arrays.push(copyInto(old?.[2], b.gain));
    blocks.set(b, arrays);
  }
  const xtraces = new Map<Neuron, Float64Array[]>();
  for (const n of units) {
    if (!n.gatedGroups.length) continue;
    const old = reuse.xtraces.get(n);
    xtraces.set(
      n,
      n.gatedGroups.map((g, q) => copyInto(old?.[q], g.xtrace)),
    );
  }
  const ops = new Map<Op, Float64Array[]>();
  for (const op of opsOf(layers)) {
    const old = reuse.ops?.get(op);
    ops.set(
      op,
      op.tensors.map((t, k) => copyInto(old?.[k], t.value)),
    );
  }
  return { stores, blocks, xtraces, ops };
}

/** Whether `value` has a checkpoint's shape: three maps of typed arrays. */
export function isCheckpoint(value: unknown): value is Checkpoint {
  if (value === null || typeof value !== 'object') return false;
  const { stores, blocks, xtraces, ops } = value as Record<string, unknown>;
  if (!(stores instanceof Map) || !(blocks instanceof Map) || !(xtraces instanceof Map) || !(ops instanceof Map))
    return false;
  for (const map of [stores, blocks, xtraces, ops] as Map<unknown, unknown>[])
    for (const arrays of map.values())
      if (!Array.isArray(arrays) || !arrays.every((a) => a instanceof Float64Array)) return false;
  return true;
}

export function restoreCheckpoint(checkpoint: Checkpoint): void {
  // self-connection weights may go back to or from 0, which is structure for executors
  bumpStructure(...checkpoint.stores.keys());
  for (const [store, values] of checkpoint.stores) {
    FIELDS.forEach((f, k) => store[f].set(values[k]));
    // γ and β, when the store had them then (they are allocated together, never dropped)
    if (values.length === FIELDS.length + OPTIONAL_STORE_FIELDS.length) {
      store.ensureNorm();
      OPTIONAL_STORE_FIELDS.forEach((f, k) => store[f]!.set(values[FIELDS.length + k]));
    }
  }
  for (const [block, [weight, elig, gain]] of checkpoint.blocks) {
    // a LIST block may have grown since: restore the slots it had
    block.weight.set(weight.subarray(0, Math.min(weight.length, block.weight.length)));
    block.elig.set(elig.subarray(0, Math.min(elig.length, block.elig.length)));
    if (gain && block.gain) block.gain.set(gain.subarray(0, Math.min(gain.length, block.gain.length)));
  }
  for (const [op, values] of checkpoint.ops) op.tensors.forEach((t, k) => t.value.set(values[k]));
  for (const [neuron, traces] of checkpoint.xtraces) {
    neuron.gatedGroups.forEach((g, q) => {
      if (traces[q]) g.xtrace.set(traces[q].subarray(0, Math.min(traces[q].length, g.xtrace.length)));
    });
  }
}

/**
 * Copies weights, biases and unit states from a JSON of the same network (e.g. one trained in a
 * worker from this network's own `toJSON()`), into this network's storage. Everything is checked
 * first: a JSON of another shape changes nothing.
 */
export function loadParameters(
  units: Array<{ neuron: Neuron }>,
  file: AnyNetworkJSON,
  layers: readonly Layer[] = [],
): void {
  if (file === null || typeof file !== 'object')
    throw new InvalidJSONError('$', 'expected { neurons, connections } or { format, version, units, connections }');
  const json = as1x(file);
  if (!json || !Array.isArray(json.neurons) || !Array.isArray(json.connections))
    throw new InvalidJSONError('$', 'expected { neurons, connections } or { format, version, units, connections }');
  if (json.neurons.length !== units.length)
    throw new InvalidJSONError('$.neurons', `expected ${units.length} units, got ${json.neurons.length}`);
  const writes: Array<() => void> = [];
  units.forEach(({ neuron }, i) => {
    const n = json.neurons[i];
    for (const key of ['bias', 'state', 'old', 'activation'] as const) {
      if (typeof n?.[key] !== 'number' || !Number.isFinite(n[key]))
        throw new InvalidJSONError(`$.neurons[${i}].${key}`, 'expected a finite number');
    }
    const { store, index } = neuron;
    // LAYER_NORM's γ and β travel in the versioned format
    const norm = n as { gamma?: unknown; beta?: unknown };
    const gamma = norm.gamma;
    const beta = norm.beta;
    for (const [key, value] of [
      ['gamma', gamma],
      ['beta', beta],
    ] as const) {
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value)))
        throw new InvalidJSONError(`$.units[${i}].${key}`, 'expected a finite number');
      if (value !== undefined && store.gamma === null)
        throw new InvalidJSONError(`$.units[${i}].${key}`, 'this unit is not in a LAYER_NORM layer');
    }
    writes.push(() => {
      if (typeof gamma === 'number') store.gamma![index] = gamma;
      if (typeof beta === 'number') store.beta![index] = beta;
      store.bias[index] = n.bias;
      store.state[index] = n.state;
      store.old[index] = n.old;
      store.activation[index] = n.activation;
    });
  });
  let c = 0;
  forEachListedConnection(units, ({ from, to, block, slot }) => {
    const entry = json.connections[c];
    const path = `$.connections[${c++}]`;
    if (!entry || entry.from !== from || entry.to !== to)
      throw new InvalidJSONError(path, `expected the connection ${from} -> ${to} of this network`);
    const w = entry.weight;
    if (typeof w !== 'number' || !Number.isFinite(w))
      throw new InvalidJSONError(`${path}.weight`, 'expected a finite number');
    const unit = units[from].neuron;
    writes.push(block ? () => (block.weight[slot] = w) : () => (unit.store.selfWeight[unit.index] = w));
  });
  if (c !== json.connections.length)
    throw new InvalidJSONError('$.connections', `expected ${c} connections, got ${json.connections.length}`);
  loadOpTensors(opsOf(layers), 'ops' in file ? file.ops : undefined, writes);
  for (const write of writes) write();
}

/** Queues the writes of the ops' tensors from a versioned file's `ops`, checking kinds and lengths first. */
function loadOpTensors(ops: readonly Op[], entries: unknown, writes: Array<() => void>): void {
  const list = Array.isArray(entries) ? (entries as OpJSON[]) : [];
  if (list.length !== ops.length)
    throw new InvalidJSONError('$.ops', `expected ${ops.length} layer-level projections, got ${list.length}`);
  ops.forEach((op, o) => {
    const entry = list[o];
    if (entry?.kind !== op.kind) throw new InvalidJSONError(`$.ops[${o}].kind`, `expected ${op.kind}`);
    for (const t of op.tensors) {
      const values = entry.tensors?.[t.name];
      const path = `$.ops[${o}].tensors.${t.name}`;
      if (!Array.isArray(values) || values.length !== t.value.length)
        throw new InvalidJSONError(path, `expected ${t.value.length} numbers`);
      values.forEach((v, i) => {
        if (typeof v !== 'number' || !Number.isFinite(v))
          throw new InvalidJSONError(`${path}[${i}]`, 'expected a finite number');
      });
      writes.push(() => t.value.set(values));
    }
  });
}

/** The unit and connection lists of either format, in 1.x's field names. */
function as1x(file: AnyNetworkJSON): NetworkJSON {
  if (file && 'units' in file && Array.isArray(file.units))
    return { neurons: file.units as unknown as NeuronJSON[], connections: file.connections };
  return file as NetworkJSON;
}
