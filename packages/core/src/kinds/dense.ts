import { DENSE, type BlockKindRules } from './kind.js';
import { affine } from './walk.js';

/**
 * DENSE (ALL_TO_ALL, ALL_TO_ELSE): every (source s, target t) pair, row-major by target,
 * slot = t · n + s for n sources. A unit's inputs are row a (k = s, slot a·n + k); its outputs are
 * column a (k = t, slot a + n·k). With `skipDiagonal` (a layer onto itself) k = a is not a connection.
 */
export const DENSE_RULES: BlockKindRules = {
  kind: DENSE,
  name: 'DENSE',
  inputs: {
    first: affine({}),
    end: affine({ n: 1 }),
    skip: affine({ a: 1 }),
    base: affine({ an: 1 }),
    step: affine({ c: 1 }),
  },
  outputs: {
    first: affine({}),
    end: affine({ r: 1 }),
    skip: affine({ a: 1 }),
    base: affine({ a: 1 }),
    step: affine({ n: 1 }),
  },
  sourceIndex: (slot, n) => slot % n,
  targetIndex: (slot, n) => (slot / n) | 0,
  columns: (from) => from,
  rows: (to) => to,
  uniform: true,
  growable: false,
};
