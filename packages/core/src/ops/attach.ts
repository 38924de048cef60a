/**
 * Attaching an op to its layers, and the rules that keep op targets feed-forward: a target unit has
 * no self-connection, nothing gated into it and no connection from its own layer, so its state's
 * dependence on the op's sources is the op's forward sum alone and the gradient is exact.
 */
import { bumpStructure } from '../epoch.js';
import { OpError } from '../errors.js';
import type { Layer } from '../layer.js';
import type { Neuron } from '../neuron.js';
import type { Op } from './op.js';

/** Whether a layer's units are its own store's slots 0..n-1 (what the op kernels index). */
function ownStore(layer: Layer): boolean {
  const first = layer.list[0];
  if (first === undefined) return false;
  const store = first.store;
  return store.size === layer.list.length && layer.list.every((u, k) => u.store === store && u.index === k);
}

/** Why unit `unit` of an op's target cannot be one, or null. */
export function notFeedForward(unit: Neuron, k: number): string | null {
  const st = unit.store;
  if (st.selfWeight[unit.index] !== 0) return `target unit ${k} has a self-connection`;
  if (unit.selfGater !== null) return `target unit ${k}'s self-connection is gated`;
  for (const seg of unit.inputs) {
    const block = seg.block;
    if (block.gater?.some((g, slot) => g !== null && block.targetOf(slot) === unit))
      return `a connection into target unit ${k} is gated`;
    if (block.from.some((from) => from.store === st)) return `target unit ${k} has a connection from its own layer`;
  }
  return null;
}

/**
 * Checks what an op can check without a network, then registers it with its layers. The target
 * units' own biases become 0 and fixed: an op brings its own (one per feature map), or none (pooling).
 */
export function attachOp(op: Op): void {
  const { target, sources } = op;
  if (!ownStore(target))
    throw new OpError(
      `${op.kind}: the target layer's units must be the layer's own (made by new Layer or Layer.shaped, no units added or taken from other layers)`,
    );
  sources.forEach((source, s) => {
    if (source === target) throw new OpError(`${op.kind}: source ${s} is the target layer (ops are feed-forward)`);
    if (!ownStore(source))
      throw new OpError(
        `${op.kind}: source ${s}'s units must be the layer's own (no units added or taken from others)`,
      );
  });
  target.list.forEach((unit, k) => {
    const why = notFeedForward(unit, k);
    if (why !== null) throw new OpError(`${op.kind}: ${why}; the targets of layer-level projections are feed-forward`);
  });
  target.opsIn.push(op);
  for (const source of new Set(sources)) source.opsOut.push(op);
  const store = target.list[0].store;
  store.opTarget = true;
  store.bias.fill(0);
  (store.biasFixed ??= new Uint8Array(store.size)).fill(1);
  bumpStructure(store, ...sources.map((s) => s.list[0].store));
}

/** The error for an edit that would make an op target recurrent or gated. */
export function opTargetEdit(what: string): OpError {
  return new OpError(
    `${what}: the unit is the target of a layer-level projection (convolution, pooling...), which must stay feed-forward`,
  );
}
