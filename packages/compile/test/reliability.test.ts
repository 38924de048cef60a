import { describe, expect, it } from 'vitest';
import { Layer, Network, Neuron, NonFiniteError, mulberry32, setRandom } from '@synaptic/core';
import { optimize, standalone } from '@synaptic/compile';
import { setSplitLimits } from '../src/emit.js';

/** Loads a standalone module written as a function expression. */
function load(source: string) {
  return new Function(`return ${source}`)() as ((input: number[]) => number[]) & {
    propagate(rate: number, target: number[]): void;
    toJSON(): { connections: Array<{ weight: number }> };
  };
}

/** `inputs` units feed one gater; the gater gates one connection into each of `gated` units. */
function wideGater(inputs: number, gated: number): Network {
  setRandom(mulberry32(3));
  const input = new Layer(inputs);
  const gaterLayer = new Layer(1);
  input.project(gaterLayer);
  const targets = new Layer(gated);
  const gater = gaterLayer.list[0];
  for (let k = 0; k < gated; k++) gater.gate(input.list[k % inputs].project(targets.list[k]));
  const output = new Layer(1);
  targets.project(output);
  setRandom(Math.random);
  return new Network({ input, hidden: [gaterLayer, targets], output });
}

describe('issue 11, finding 1: a unit gating many connections', () => {
  it('writes the memoryless extended traces as zeros, not (gated × gater inputs) numbers', () => {
    const sizeWith = (inputs: number) => {
      const net = wideGater(inputs, 300);
      net.activate(Array.from({ length: inputs }, (_, i) => (i % 7) / 7)); // traces are no longer zero
      return standalone(net, { format: 'function', train: true, exact: true }).length;
    };
    // 300 gated connections; a gater with 300 inputs instead of 30 used to add 81,000 trace
    // numbers (860 kB of base64) to the module: now only its 270 more connections
    expect(sizeWith(300) / sizeWith(30)).toBeLessThan(1.15);
  });

  it('gives the same numbers as the network after loading such a module', () => {
    const net = wideGater(40, 50);
    const x = Array.from({ length: 40 }, (_, i) => (i % 5) / 5);
    net.activate(x);
    const run = load(standalone(net, { format: 'function', train: true, exact: true }));
    const copy = net.clone();
    for (let step = 0; step < 4; step++) {
      expect(run(x)).toEqual(copy.activate(x));
      run.propagate(0.1, [0.5]);
      copy.propagate(0.1, [0.5]);
    }
  });
});

describe('issue 11, finding 4: generated code stays within engine limits', () => {
  it('splits a large irregular network into functions and computes what the interpreter computes', () => {
    // small limits stand in for a 12,000-unit network (which the slow tier runs in full)
    setSplitLimits({ locals: 100, groups: 10, perPiece: 8 });
    try {
      setRandom(mulberry32(5));
      const input = new Layer(2);
      const hidden = new Layer(60);
      const output = new Layer(1);
      for (const h of hidden.list) {
        for (const i of input.list) i.project(h);
        h.project(output.list[0]);
      }
      setRandom(Math.random);
      const net = new Network({ input, hidden: [hidden], output });
      const compiled = optimize(net.clone(), { exact: true });
      const source = (compiled.executor() as unknown as { source: string }).source;
      expect(source).toMatch(/function activate_1\(input, output\)/);
      for (let step = 0; step < 5; step++) {
        const x = [step / 5, 1 - step / 5];
        expect(compiled.activate(x)).toEqual(net.activate(x));
        compiled.propagate(0.3, [1]);
        net.propagate(0.3, [1]);
      }
      expect(JSON.stringify(compiled.toJSON())).toBe(JSON.stringify(net.toJSON()));
    } finally {
      setSplitLimits(null);
    }
  });
});

describe('issue 11, finding 6: NaN and Infinity on the optimized path', () => {
  it('refuses Infinity outputs and undoes a propagation that breaks the weights', () => {
    const input = new Layer(1);
    const output = new Layer(1);
    input.project(output, undefined, 1e308);
    output.set({ bias: 1e308, squash: Neuron.squash.IDENTITY });
    const net = optimize(new Network({ input, output }));
    expect(() => net.activate([1])).toThrow(NonFiniteError);
    const a = new Layer(1);
    const b = new Layer(1);
    a.project(b, undefined, 0.5);
    const ok = optimize(new Network({ input: a, output: b }));
    ok.activate([1e10]);
    const weights = JSON.stringify(ok.toJSON());
    // Δw = rate · δ · ε = 1e308 · (0 − 1) · 1e10: −Infinity
    expect(() => ok.propagate(1e308, [0])).toThrow(/the propagation was undone/);
    expect(JSON.stringify(ok.toJSON())).toBe(weights);
    expect(ok.executor()).not.toBeNull();
  });
});

describe('issue 11, findings 6 and 13 in standalone modules', () => {
  const make = () => {
    const a = new Layer(1);
    const b = new Layer(1);
    a.project(b, undefined, 0.5);
    return new Network({ input: a, output: b });
  };

  it('a propagate that would break the weights is undone and throws', () => {
    const run = load(standalone(make(), { format: 'function', train: true }));
    run([1e10]);
    const before = JSON.stringify(run.toJSON());
    expect(() => run.propagate(1e308, [0])).toThrow(/the propagation was undone/);
    expect(JSON.stringify(run.toJSON())).toBe(before);
  });

  it('an output that is not finite throws instead of being returned', () => {
    const a = new Layer(1);
    const b = new Layer(1);
    a.project(b, undefined, 1e308);
    b.set({ bias: 1e308, squash: Neuron.squash.IDENTITY });
    const run = load(standalone(new Network({ input: a, output: b }), { format: 'function' }));
    expect(() => run([1])).toThrow(/output 0 is Infinity/);
  });

  it('an input whose getter changes after the check cannot smuggle NaN in', () => {
    const run = load(standalone(make(), { format: 'function' }));
    let reads = 0;
    const input = [0.5];
    Object.defineProperty(input, 0, { get: () => (reads++ === 0 ? 0.5 : Number.NaN), enumerable: true });
    expect(run(input).every(Number.isFinite)).toBe(true);
    expect(reads).toBe(1);
  });
});
