import { DIAGONAL, type BlockKindRules } from './kind.js';
import { affine } from './walk.js';

/** DIAGONAL (ONE_TO_ONE between two layers): source t to target t, slot t; unit a has the one connection k = a. */
const one = {
  first: affine({ a: 1 }),
  end: affine({ a: 1, c: 1 }),
  skip: affine({ c: -1 }),
  base: affine({}),
  step: affine({ c: 1 }),
};

export const DIAGONAL_RULES: BlockKindRules = {
  kind: DIAGONAL,
  name: 'DIAGONAL',
  inputs: one,
  outputs: one,
  sourceIndex: (slot) => slot,
  targetIndex: (slot) => slot,
  columns: (_from, length) => length,
  rows: (_to, length) => length,
  uniform: true,
  growable: false,
};
