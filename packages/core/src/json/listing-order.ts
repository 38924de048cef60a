/**
 * The order in which the JSON lists connections. A loader (ours and 1.x's) replays the list: each
 * unit's inputs, in the order it sums them (eq. 15 and the traces of eq. 17-18), are its
 * connections in list order, and so are its projections (the sum of eq. 21). 1.x lists by source,
 * which rebuilds a unit's order of summation only when that order is by source too; an LSTM's
 * output layer sums its cells' outputs before the input layer's (1.x's connection IDs, i.e. the
 * order of creation), so 1.x's own round trip changes those sums in the last bits.
 *
 * The list stays 1.x's, byte for byte, so 1.x reads our files and we read its files the way 1.x
 * does. Where it does not rebuild the network, the file adds `replay` (`rebuildOrders`): the order
 * in which to apply the list, as runs [start, end) of it, which 1.x ignores. That order is the one
 * closest to the list that rebuilds every unit: a topological order of "comes before in its
 * target's inputs" and "comes before in its source's projections", taking the earliest listed
 * entry whenever there is a choice. Likewise `gating`, the order to apply the gates in.
 */
import type { Neuron } from '../neuron.js';
import type { Block } from '../storage/block.js';
import { forEachInputSlot, forEachOutputSlot } from '../wiring.js';

/**
 * The by-source list as parallel arrays: entry e joins units[from[e]] to units[to[e]] through
 * (block, slot), or is from[e]'s self-connection (block null), gated by units[gater[e]] or none.
 */
export interface Listing {
  from: number[];
  to: number[];
  gater: Array<number | null>;
  block: Array<Block | null>;
  slot: number[];
}

/**
 * 1.x's list: for each unit its projections in creation order, then its self-connection.
 * Connections to units outside `units` are left out, and a gater outside them counts as none.
 */
export function listConnections(units: Array<{ neuron: Neuron }>): Listing {
  const ids = new Map<Neuron, number>();
  units.forEach((u, i) => ids.set(u.neuron, i));
  const idOf = (n: Neuron | null | undefined) => (n ? (ids.get(n) ?? null) : null);
  const listing: Listing = { from: [], to: [], gater: [], block: [], slot: [] };
  const add = (from: number, to: number, gater: number | null, block: Block | null, slot: number) => {
    listing.from.push(from);
    listing.to.push(to);
    listing.gater.push(gater);
    listing.block.push(block);
    listing.slot.push(slot);
  };
  units.forEach(({ neuron }, i) => {
    for (const seg of neuron.outputs) {
      const block = seg.block;
      forEachOutputSlot(seg, (slot) => {
        const to = ids.get(block.targetOf(slot));
        if (to !== undefined) add(i, to, idOf(block.gater?.[slot]), block, slot);
      });
    }
    if (neuron.store.selfWeight[neuron.index] !== 0) add(i, i, idOf(neuron.selfGater), null, -1);
  });
  return listing;
}

/**
 * What a file adds to 1.x's list so that loading it rebuilds `units` exactly, as runs [start, end)
 * of the list (null: the list's own order does it):
 * - `replay`, the order to apply the connections in (each unit's inputs and projections);
 * - `gating`, the order to apply the gates in: each gater's gated connections into one unit are
 *   summed in the order they were gated (`influence`, eq. 18 and 22), self-connection included.
 */
export function rebuildOrders(
  units: Array<{ neuron: Neuron }>,
  listing = listConnections(units),
): { replay: Array<[number, number]> | null; gating: Array<[number, number]> | null } {
  const order = rebuildingOrder(units, listing);
  const gates = gatingOrder(units, listing, order);
  return { replay: order && runsOf(order), gating: gates && runsOf(gates) };
}

function runsOf(order: Int32Array): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (let k = 0; k < order.length; ) {
    const start = order[k];
    let end = start + 1;
    while (++k < order.length && order[k] === end) end++;
    runs.push([start, end]);
  }
  return runs;
}

/** Where each (block, slot) is listed. */
function entriesByBlock(listing: Listing): Map<Block, Int32Array> {
  const entryOf = new Map<Block, Int32Array>();
  for (let e = 0; e < listing.from.length; e++) {
    const block = listing.block[e];
    if (block === null) continue;
    let entries = entryOf.get(block);
    if (!entries) entryOf.set(block, (entries = new Int32Array(block.weight.length).fill(-1)));
    entries[listing.slot[e]] = e;
  }
  return entryOf;
}

/**
 * The order to apply gates in (a permutation of the list), or null when gating in `order` (the
 * replay order, null: the list's) builds every gated group in its order: `order` with each group's
 * entries put, in the group's order, in the places the group takes in it.
 */
function gatingOrder(units: Array<{ neuron: Neuron }>, listing: Listing, order: Int32Array | null): Int32Array | null {
  if (!units.some(({ neuron }) => neuron.gatedGroups.length > 0)) return null;
  const n = listing.from.length;
  const ids = new Map<Neuron, number>();
  units.forEach((u, i) => ids.set(u.neuron, i));
  const selfEntry = new Int32Array(units.length).fill(-1);
  for (let e = 0; e < n; e++) if (listing.block[e] === null) selfEntry[listing.from[e]] = e;
  const entryOf = entriesByBlock(listing);
  const position = new Int32Array(n);
  for (let k = 0; k < n; k++) position[order === null ? k : order[k]] = k;
  const groups: number[][] = [];
  let inOrder = true;
  for (const { neuron } of units) {
    for (const group of neuron.gatedGroups) {
      const entries: number[] = [];
      const k = ids.get(group.neuron);
      group.blocks.forEach((block, r) => {
        const e = block === null ? (k === undefined ? -1 : selfEntry[k]) : (entryOf.get(block)?.[group.slots[r]] ?? -1);
        if (e < 0) return;
        if (entries.length > 0 && position[e] < position[entries[entries.length - 1]]) inOrder = false;
        entries.push(e);
      });
      groups.push(entries);
    }
  }
  if (inOrder) return null;
  const gates = order === null ? Int32Array.from({ length: n }, (_, k) => k) : order.slice();
  for (const entries of groups) {
    const places = entries.map((e) => position[e]).sort((a, b) => a - b);
    places.forEach((place, r) => (gates[place] = entries[r]));
  }
  return gates;
}

/**
 * The order to write `listing` in (a permutation of its entries), or null when the by-source order
 * already rebuilds every unit's inputs. Null too in the case no list can rebuild (it cannot happen
 * for networks built by adding connections, whose order of creation always does).
 */
function rebuildingOrder(units: Array<{ neuron: Neuron }>, listing: Listing): Int32Array | null {
  const n = listing.from.length;
  const entryOf = entriesByBlock(listing);
  // each entry's successor in its target's inputs, and how many entries must come before it
  const nextIn = new Int32Array(n).fill(-1);
  const before = new Int32Array(n);
  let byTarget = true;
  for (const { neuron } of units) {
    let previous = -1;
    for (const seg of neuron.inputs) {
      const entries = entryOf.get(seg.block);
      if (!entries) continue;
      forEachInputSlot(seg, (slot) => {
        const e = entries[slot];
        if (e < 0 || listing.from[e] === listing.to[e]) return;
        if (previous >= 0) {
          if (e < previous) byTarget = false;
          nextIn[previous] = e;
          before[e]++;
        }
        previous = e;
      });
    }
  }
  if (byTarget) return null;
  // a source's projections are consecutive entries of the by-source list
  for (let e = 1; e < n; e++) if (listing.from[e] === listing.from[e - 1]) before[e]++;

  const order = new Int32Array(n);
  const heap = new MinHeap(n);
  for (let e = 0; e < n; e++) if (before[e] === 0) heap.push(e);
  let written = 0;
  const release = (e: number) => {
    if (--before[e] === 0) heap.push(e);
  };
  while (heap.size > 0) {
    const e = heap.pop();
    order[written++] = e;
    if (nextIn[e] >= 0) release(nextIn[e]);
    if (e + 1 < n && listing.from[e + 1] === listing.from[e]) release(e + 1);
  }
  return written === n ? order : null;
}

/** A binary min-heap of entry indices. */
class MinHeap {
  private items: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.items = new Int32Array(Math.max(1, capacity));
  }
  push(value: number): void {
    const a = this.items;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent] <= value) break;
      a[i] = a[parent];
      i = parent;
    }
    a[i] = value;
  }
  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a[--this.size];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && a[child + 1] < a[child]) child++;
      if (a[child] >= last) break;
      a[i] = a[child];
      i = child;
    }
    a[i] = last;
    return top;
  }
}
