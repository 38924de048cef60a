import { afterAll, beforeAll, describe } from 'vitest';
import { setSplitLimits } from '../src/emit.js';
import { equivalenceSuites } from './support/equivalence.js';

// Finding 4 of issue 11: code for large networks is split into functions of bounded size (a
// single function for a 12,000-unit irregular network overflowed V8's stack when called). Here
// every plan is split, two groups per function, and must still compute exactly what the
// interpreter computes, traces included.
describe('split generated code', () => {
  beforeAll(() => setSplitLimits({ locals: 0, groups: 0, perPiece: 2 }));
  afterAll(() => setSplitLimits(null));
  equivalenceSuites({ randomGraphs: 40, switched: 15 });
});
