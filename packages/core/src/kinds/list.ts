import { LIST, type BlockKindRules } from './kind.js';
import { affine } from './walk.js';

/**
 * LIST (neuron-level `project`): arbitrary pairs, growable; slot k joins from[k] to to[k]. A unit's
 * connections in the block are the run of slots a .. b − 1 (its segment).
 */
const run = {
  first: affine({ a: 1 }),
  end: affine({ b: 1 }),
  skip: affine({ c: -1 }),
  base: affine({}),
  step: affine({ c: 1 }),
};

export const LIST_RULES: BlockKindRules = {
  kind: LIST,
  name: 'LIST',
  inputs: run,
  outputs: run,
  sourceIndex: (slot) => slot,
  targetIndex: (slot) => slot,
  columns: (_from, length) => length,
  rows: (_to, length) => length,
  uniform: false,
  growable: true,
};
