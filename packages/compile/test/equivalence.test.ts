import { describe, expect, it } from 'vitest';
import * as core from '@synaptic/core';
import { Network } from '@synaptic/core';
import { compile } from '@synaptic/compile';
import { withSeededRandom } from '@synaptic/test-support';
import { equivalenceSuites } from './support/equivalence.js';

/** 50 and 25 generated runs of the two properties; equivalence.slow.test.ts runs 200 and 100. */
equivalenceSuites({ randomGraphs: 50, switched: 25 });

describe('compile()', () => {
  it('compile() runs on the same storage as the network', () => {
    const net = withSeededRandom(1, () => {
      const i = new core.Layer(2),
        h = new core.Layer(3),
        o = new core.Layer(1);
      i.project(h);
      h.project(o);
      return new Network({ input: i, hidden: [h], output: o });
    });
    const c = compile(net);
    expect(c.source).toContain('function activate');
    c.activate([1, 0]);
    c.propagate(0.3, [1]);
    const w = net.layers.hidden[0].list[0].connections.projected;
    const first = Object.values(w)[0];
    first.weight = 0.5;
    expect(c.toJSON().connections.find((x) => x.weight === 0.5)).toBeDefined();
    expect(() => c.activate([1])).toThrow(core.SizeMismatchError);
  });
});
