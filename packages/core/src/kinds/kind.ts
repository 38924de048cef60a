import type { Walk } from './walk.js';

/**
 * The block kinds (see each module for its layout):
 * - DENSE (`dense.ts`): every (source s, target t) pair, row-major by target.
 * - DIAGONAL (`diagonal.ts`): source t to target t.
 * - LIST (`list.ts`): arbitrary pairs, growable.
 */
export const DENSE = 0;
export const DIAGONAL = 1;
export const LIST = 2;
export type BlockKind = typeof DENSE | typeof DIAGONAL | typeof LIST;

/**
 * One block kind, defined once: which connections enter and leave a unit (as walks over the
 * block's slots), and which units a slot joins. The per-connection rules (eq. 15's term, eq. 17's
 * trace, eq. 21's term, eq. 24's update and gradient) are the same arithmetic for every kind and
 * run over these walks, in the interpreter (`interpreter.ts`, `gradient.ts`) and in generated code
 * (compile's emit.ts). A new kind is one module like `dense.ts` plus a line in `registry.ts`.
 */
export interface BlockKindRules {
  readonly kind: BlockKind;
  readonly name: string;
  /** the connections into the unit of a segment (a, b) of the block: their sources are `from[k]` */
  readonly inputs: Walk;
  /** the connections out of the unit of a segment (a, b): their targets are `to[k]` */
  readonly outputs: Walk;
  /** the entry of `from` a slot reads, for a block of n columns */
  sourceIndex(slot: number, n: number): number;
  /** the entry of `to` a slot writes, for a block of n columns */
  targetIndex(slot: number, n: number): number;
  /** the number of entries of `from` (columns) and `to` (rows) that are units, for a block of `length` slots */
  columns(from: number, length: number): number;
  rows(to: number, length: number): number;
  /** whether a layer's units can share one loop over this block (the same walk at each unit's row) */
  readonly uniform: boolean;
  /** slots are appended one by one (`from`/`to` hold one entry per slot, in no order of the layers) */
  readonly growable: boolean;
}
