/**
 * Issue 11, finding 4 at full size: a 12,000-unit irregular network (every connection made unit
 * by unit, as architect's Random makes them) used to throw `RangeError: Maximum call stack size
 * exceeded` from its generated activate, and the standalone module of an 8,000-unit one threw
 * when imported. The generated code is now split into functions of bounded size.
 */
import { describe, expect, it } from 'vitest';
import { Layer, mulberry32, Network, setRandom } from '@synaptic/core';
import { optimize, standalone } from '@synaptic/compile';

function irregular(hidden: number): Network {
  setRandom(mulberry32(12));
  const input = new Layer(2);
  const middle = new Layer(hidden);
  const output = new Layer(1);
  middle.list.forEach((h, k) => {
    input.list[k % 2].project(h);
    if (k > 0 && k % 3 === 0) middle.list[k - 1].project(h);
    h.project(output.list[0]);
  });
  setRandom(Math.random);
  return new Network({ input, hidden: [middle], output });
}

describe('large irregular networks compile', () => {
  it('optimize of 12,000 units activates and learns as the interpreter does', () => {
    const net = irregular(12_000);
    const compiled = optimize(net.clone());
    for (let step = 0; step < 3; step++) {
      const x = [step / 3, 1 - step / 3];
      const a = net.activate(x);
      const b = compiled.activate(x);
      expect(Math.abs(a[0] - b[0])).toBeLessThanOrEqual(1e-9);
      net.propagate(0.1, [1]);
      compiled.propagate(0.1, [1]);
    }
  }, 240_000);

  it('the standalone module of 8,000 units loads and runs', () => {
    const net = irregular(8_000);
    const run = new Function(`return ${standalone(net, { format: 'function' })}`)() as (x: number[]) => number[];
    expect(run([0.25, 0.75])).toEqual(net.clone().activate([0.25, 0.75]));
  }, 240_000);
});
