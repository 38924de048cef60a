/**
 * Structural edits shared by Neuron, Layer and the JSON loader: adding connections (as block
 * segments) and gates, keeping every unit's input order and extended traces consistent.
 */
import { bumpStructure } from './epoch.js';
import { nextConnectionIds } from './ids.js';
import { opTargetEdit } from './ops/attach.js';
import { Block, Segment, type GatedGroup } from './storage/block.js';
import type { Neuron } from './neuron.js';

/** Number of connections a segment holds. */
export function segmentSize(seg: Segment): number {
  return seg.block.inputCount(seg);
}

/** Registers row/slot `a` of a DENSE or DIAGONAL block as the next input of `target`. */
export function addInput(target: Neuron, block: Block, a: number): void {
  const seg = new Segment(block, a, a + 1);
  target.inputs.push(seg);
  target.inputCount += segmentSize(seg);
  growExtendedTraces(target);
}

export function addOutput(source: Neuron, block: Block, a: number): void {
  source.outputs.push(new Segment(block, a, a + 1));
}

/** A neuron-level connection: appended to the target's own LIST block. */
export function addLooseConnection(from: Neuron, to: Neuron, weight: number): { block: Block; slot: number } {
  if (to.store.opTarget && from.store === to.store) throw opTargetEdit('connecting units of one layer');
  let block = to.looseIn;
  if (block === null) block = to.looseIn = Block.list();
  const slot = block.push(from, to, weight, nextConnectionIds(1));
  const last = to.inputs[to.inputs.length - 1];
  if (last !== undefined && last.block === block && last.b === slot) last.b = slot + 1;
  else to.inputs.push(new Segment(block, slot, slot + 1));
  to.inputCount++;
  growExtendedTraces(to);
  from.outputs.push(new Segment(block, slot, slot + 1));
  (from.looseOut ??= new Map()).set(to, { block, slot });
  bumpStructure(from.store, to.store);
  return { block, slot };
}

/** Each extended trace of a gater has one entry per input of the gater: grow them with its inputs. */
function growExtendedTraces(gater: Neuron): void {
  for (const group of gater.gatedGroups) {
    if (group.xtrace.length < gater.inputCount) {
      const grown = new Float64Array(Math.max(gater.inputCount, group.xtrace.length * 2));
      grown.set(group.xtrace);
      group.xtrace = grown;
    }
  }
}

function groupFor(gater: Neuron, k: Neuron): GatedGroup {
  const groups = gater.gatedGroups;
  for (const group of groups) if (group.neuron === k) return group;
  // 1.x keys extended traces by unit ID, so they are visited in ascending ID order
  const group: GatedGroup = {
    neuron: k,
    blocks: [],
    slots: [],
    xtrace: new Float64Array(Math.max(1, gater.inputCount)),
    influence: 0,
    decay: 0,
    delta: 0,
  };
  let at = groups.length;
  while (at > 0 && groups[at - 1].neuron.ID > k.ID) at--;
  groups.splice(at, 0, group);
  return group;
}

function ungate(gater: Neuron, k: Neuron, block: Block | null, slot: number): void {
  const groups = gater.gatedGroups;
  const at = groups.findIndex((g) => g.neuron === k);
  if (at < 0) return;
  const group = groups[at];
  for (let r = group.blocks.length - 1; r >= 0; r--) {
    if (group.blocks[r] === block && (block === null || group.slots[r] === slot)) {
      group.blocks.splice(r, 1);
      group.slots.splice(r, 1);
    }
  }
  if (group.blocks.length === 0) groups.splice(at, 1);
}

/** Lets `gater` gate a slot of a block (a self slot of a DENSE block gates the unit's self-connection). */
export function gateSlot(gater: Neuron, block: Block, slot: number): void {
  if (block.isSelfSlot(slot)) {
    gateSelf(gater, block.to[(slot / block.from.length) | 0]);
    return;
  }
  if (block.targetOf(slot).store.opTarget) throw opTargetEdit('gating a connection into a unit');
  const { gater: gaters } = block.ensureGates();
  const previous = gaters[slot];
  if (previous === gater) return;
  const k = block.targetOf(slot);
  if (previous !== null) ungate(previous, k, block, slot);
  gaters[slot] = gater;
  const group = groupFor(gater, k);
  group.blocks.push(block);
  group.slots.push(slot);
  bumpStructure(gater.store, k.store);
}

export function gateSelf(gater: Neuron, k: Neuron): void {
  if (k.store.opTarget) throw opTargetEdit("gating a unit's self-connection");
  const previous = k.selfGater;
  if (previous === gater) return;
  if (previous !== null) ungate(previous, k, null, -1);
  k.selfGater = gater;
  const group = groupFor(gater, k);
  group.blocks.push(null);
  group.slots.push(-1);
  bumpStructure(gater.store, k.store);
}

/** Visits the slots of an input segment in order. */
export function forEachInputSlot(seg: Segment, visit: (slot: number) => void): void {
  const { first, end, skip, base, step } = seg.block.inputsOf(seg, { first: 0, end: 0, skip: -1, base: 0, step: 0 });
  for (let k = first; k < end; k++) if (k !== skip) visit(base + step * k);
}

/** Visits the slots of an output segment in order. */
export function forEachOutputSlot(seg: Segment, visit: (slot: number) => void): void {
  const { first, end, skip, base, step } = seg.block.outputsOf(seg, { first: 0, end: 0, skip: -1, base: 0, step: 0 });
  for (let k = first; k < end; k++) if (k !== skip) visit(base + step * k);
}
