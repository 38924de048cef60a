import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { Layer, Network } from '@synaptic/core';
const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const syn = require('synaptic');

describe('smoke', () => {
  it('matches 1.x on an LSTM', () => {
    const lstm = new syn.Architect.LSTM(3, 4, 4, 2);
    const json = syn.Network.fromJSON(lstm.toJSON()).toJSON();
    const a = syn.Network.fromJSON(json);
    a.setOptimize(false);
    const b = Network.fromJSON(json);
    let maxDiff = 0;
    for (let step = 0; step < 500; step++) {
      const x = [Math.sin(step), Math.cos(step * 0.7), (step % 5) / 5];
      const t = [(step % 3) / 3, (step % 2)];
      const oa = a.activate(x);
      const ob = b.activate(x);
      for (let k = 0; k < oa.length; k++) maxDiff = Math.max(maxDiff, Math.abs(oa[k] - ob[k]));
      a.propagate(0.1, t);
      b.propagate(0.1, t);
    }
    expect(maxDiff).toBe(0);
    expect(JSON.stringify(b.toJSON())).toBe(JSON.stringify(a.toJSON()));
  });
  it('trains XOR', () => {
    const i = new Layer(2), h = new Layer(3), o = new Layer(1);
    i.project(h); h.project(o);
    const net = new Network({ input: i, hidden: [h], output: o });
    for (let k = 0; k < 20000; k++) for (const [a, b, t] of [[0,0,0],[0,1,1],[1,0,1],[1,1,0]]) { net.activate([a, b]); net.propagate(0.3, [t]); }
    expect(net.activate([0, 1])[0]).toBeGreaterThan(0.9);
    expect(net.activate([1, 1])[0]).toBeLessThan(0.1);
  });
});
