/**
 * The op kinds by name, for JSON and clone: each kind's factory rebuilds an op from its layers and
 * `options()`. Adding a kind: one module (a class extending `Op` plus its factory) and one line here.
 */
import type { Layer } from '../layer.js';
import { attentionFrom } from './attention.js';
import { averagePoolFrom } from './average-pool.js';
import { convolutionFrom } from './convolution.js';
import { embeddingFrom } from './embedding.js';
import { maxPoolFrom } from './max-pool.js';
import type { Op, OpOptions } from './op.js';
import { positionsFrom } from './positions.js';

export type OpFactory = (sources: readonly Layer[], target: Layer, options: OpOptions) => Op;

export const opKinds: Readonly<Record<string, OpFactory>> = Object.freeze({
  CONVOLUTION: convolutionFrom,
  MAX_POOL: maxPoolFrom,
  AVERAGE_POOL: averagePoolFrom,
  ATTENTION: attentionFrom,
  EMBEDDING: embeddingFrom,
  POSITIONS: positionsFrom,
});

/** A copy of `op` between other layers, with the same parameters (values and fixed masks). */
export function rebuildOp(op: Op, sources: readonly Layer[], target: Layer): Op {
  const copy = opKinds[op.kind](sources, target, op.options());
  op.tensors.forEach((t, i) => {
    copy.tensors[i].value.set(t.value);
    copy.tensors[i].fixed = t.fixed ? t.fixed.slice() : null;
  });
  return copy;
}
