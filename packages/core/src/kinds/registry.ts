import { DENSE_RULES } from './dense.js';
import { DIAGONAL_RULES } from './diagonal.js';
import type { BlockKind, BlockKindRules } from './kind.js';
import { LIST_RULES } from './list.js';

/** Every block kind's rules, by `BlockKind`: the one place a new kind is added. */
export const BLOCK_KINDS: readonly BlockKindRules[] = [DENSE_RULES, DIAGONAL_RULES, LIST_RULES];

export function kindRules(kind: BlockKind): BlockKindRules {
  return BLOCK_KINDS[kind];
}
