/**
 * The static tables `bptt` (bptt.ts) reverses through: the schedule as a fixed order of events
 * (a unit, or a layer running a layer function, which reads all its states before it writes any
 * activation), and every unit's eq. 15 inputs as typed arrays: source, weight slot, gater, and
 * whether each read value is this step's or the previous step's.
 *
 * A unit j reads the current-step value of a unit i (activation, or gain through a gater) when i's
 * event comes before j's in the schedule, and the previous step's value otherwise; its own old
 * state through its self-connection. That is what `activate` does, so the recorded values of each
 * step determine every read.
 */
import { InvalidArgumentError } from './errors.js';
import type { LayerFunction } from './layer-function.js';
import type { Layer } from './layer.js';
import type { Neuron } from './neuron.js';
import type { Block } from './storage/block.js';
import type { Bounds } from './kinds/walk.js';

const WALK: Bounds = { first: 0, end: 0, skip: -1, base: 0, step: 0 };

/** When a read value was written: this step, the previous step, or never during the episode (a constant). */
export const CURRENT = 0;
export const PREVIOUS = 1;
export const CONSTANT = 2;

export interface FunctionLayerPlan {
  readonly units: Int32Array;
  readonly neurons: Neuron[];
  readonly fn: LayerFunction;
  readonly group: number;
}

export interface BpttPlan {
  readonly version: number;
  /** the network's units in network order (N), then the units outside it that it reads (constants) */
  readonly units: Neuron[];
  readonly size: number;
  readonly inputs: Int32Array;
  readonly outputs: Int32Array;
  /** the events in schedule order: a unit index ≥ 0, or −1 − l for function layer l */
  readonly events: Int32Array;
  readonly layers: FunctionLayerPlan[];
  /** incoming entries of unit j: inStart[j] .. inStart[j + 1] − 1 */
  readonly inStart: Int32Array;
  readonly entBlock: Int32Array;
  readonly entSlot: Int32Array;
  readonly entSource: Int32Array;
  readonly entSourceWhen: Uint8Array;
  /** the gater's unit index, or −1: the gain is the stored one (1 when nothing gates the block) */
  readonly entGater: Int32Array;
  readonly entGaterWhen: Uint8Array;
  readonly blocks: Block[];
  /** the gater of each unit's self-connection, or −1 (the stored g_jj is kept) */
  readonly selfGater: Int32Array;
  readonly selfGaterWhen: Uint8Array;
}

/** Builds the tables for `layers` (input first); refuses what it cannot differentiate. */
export function buildBpttPlan(layers: readonly Layer[], version: number): BpttPlan {
  const units: Neuron[] = [];
  const index = new Map<Neuron, number>();
  for (const layer of layers)
    for (const unit of layer.list) {
      if (index.has(unit))
        throw new InvalidArgumentError(
          `bptt: unit ${unit.ID} is in two layers of the network; the schedule is ambiguous`,
        );
      index.set(unit, units.length);
      units.push(unit);
    }
  const size = units.length;
  const event = new Int32Array(size).fill(-1);
  const events: number[] = [];
  const fLayers: FunctionLayerPlan[] = [];
  let inputCount = 0;
  layers.forEach((layer, l) => {
    // layer-level projections (convolution, pooling: ops/) carry their own kernels, not yet reversed here
    const ops = (layer as { opsIn?: ReadonlyArray<{ kind?: unknown }> }).opsIn;
    if (ops !== undefined && ops.length > 0)
      throw new InvalidArgumentError(
        `bptt: layer ${layer.label ?? l} receives a layer-level projection (${String(ops[0].kind)}), which bptt cannot differentiate yet; train it with backward`,
      );
    if (l === 0) {
      inputCount = layer.list.length;
      return;
    }
    if (layer.layerFunction !== null) {
      const e = events.length;
      const ids = Int32Array.from(layer.list, (u) => index.get(u)!);
      for (const u of ids) event[u] = e;
      fLayers.push({ units: ids, neurons: layer.list, fn: layer.layerFunction, group: layer.groupSize() });
      events.push(-fLayers.length);
      return;
    }
    for (const unit of layer.list) {
      event[index.get(unit)!] = events.length;
      events.push(index.get(unit)!);
    }
  });

  // the units outside the network it reads are constants during the episode
  const constantOf = (n: Neuron): number => {
    let k = index.get(n);
    if (k === undefined) {
      k = units.length;
      index.set(n, k);
      units.push(n);
    }
    return k;
  };
  // how unit j sees unit i: this step's value, the previous step's, or a constant
  const when = (i: number, j: number): number => {
    if (i >= size) return CONSTANT;
    return event[i] < event[j] ? CURRENT : PREVIOUS;
  };
  // a gater that never writes during the episode (an input unit, a unit outside) leaves gains as they are
  const writes = (g: number) => g < size && g >= inputCount;

  const blocks: Block[] = [];
  const blockId = new Map<Block, number>();
  const inStart = new Int32Array(size + 1);
  const entBlock: number[] = [];
  const entSlot: number[] = [];
  const entSource: number[] = [];
  const entSourceWhen: number[] = [];
  const entGater: number[] = [];
  const entGaterWhen: number[] = [];
  const selfGater = new Int32Array(size).fill(-1);
  const selfGaterWhen = new Uint8Array(size);
  for (let j = 0; j < size; j++) {
    inStart[j] = entBlock.length;
    if (j < inputCount) continue;
    const unit = units[j];
    for (const seg of unit.inputs) {
      const block = seg.block;
      let b = blockId.get(block);
      if (b === undefined) {
        b = blocks.length;
        blocks.push(block);
        blockId.set(block, b);
      }
      const add = (slot: number, from: Neuron) => {
        const src = constantOf(from);
        const gater = block.gater?.[slot] ?? null;
        const g = gater === null ? -1 : constantOf(gater);
        entBlock.push(b);
        entSlot.push(slot);
        entSource.push(src);
        entSourceWhen.push(when(src, j));
        entGater.push(g >= 0 && writes(g) ? g : -1);
        entGaterWhen.push(g >= 0 && writes(g) ? when(g, j) : CONSTANT);
      };
      const { first, end, skip, base, step } = block.inputsOf(seg, WALK);
      for (let k = first; k < end; k++) if (k !== skip) add(base + step * k, block.from[k]);
    }
    if (unit.selfGater !== null) {
      const g = constantOf(unit.selfGater);
      if (writes(g)) {
        selfGater[j] = g;
        selfGaterWhen[j] = when(g, j);
      }
    }
  }
  inStart[size] = entBlock.length;
  const last = layers[layers.length - 1].list;
  return {
    version,
    units,
    size,
    inputs: Int32Array.from({ length: inputCount }, (_, k) => k),
    outputs: Int32Array.from(last, (u) => index.get(u)!),
    events: Int32Array.from(events),
    layers: fLayers,
    inStart,
    entBlock: Int32Array.from(entBlock),
    entSlot: Int32Array.from(entSlot),
    entSource: Int32Array.from(entSource),
    entSourceWhen: Uint8Array.from(entSourceWhen),
    entGater: Int32Array.from(entGater),
    entGaterWhen: Uint8Array.from(entGaterWhen),
    blocks,
    selfGater,
    selfGaterWhen,
  };
}
