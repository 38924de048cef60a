import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '@synaptic/core';
import { Layer, Network, Neuron } from '@synaptic/core';
import { CompileError, standalone } from '@synaptic/compile';
import { build, makeData, recipeArbitrary, SQUASHES, type LibraryLike } from '@synaptic/test-support';
import { withSeededRandom } from '@synaptic/test-support';
import { unlessDiverged } from './support/diverge.js';

const lib = core as unknown as LibraryLike;

interface Runner {
  (input: number[]): number[];
  propagate(rate: number, target: number[]): void;
  clear(): void;
  toJSON(): unknown;
}

/** Evaluates the 'function' form in a fresh context that has no packages, no require, no process. */
function load(source: string): Runner {
  return vm.runInNewContext(source, {}) as Runner;
}

function lstmLike(): Network {
  return withSeededRandom(9, () => {
    const input = new Layer(3);
    const gate = new Layer(2);
    const cell = new Layer(2);
    const output = new Layer(2);
    const ic = input.project(cell);
    input.project(gate);
    const self = cell.project(cell);
    gate.gate(self, Layer.gateType.ONE_TO_ONE);
    gate.gate(ic, Layer.gateType.INPUT);
    cell.project(output);
    cell.set({ squash: Neuron.squash.TANH });
    return new Network({ input, hidden: [gate, cell], output });
  });
}

describe('standalone', () => {
  it('runs in an empty context and trains exactly like the interpreter (exact mode)', () => {
    fc.assert(
      fc.property(recipeArbitrary, fc.integer(), (recipe, seed) => {
        const net = withSeededRandom(seed, () => build<Network>(lib, recipe));
        const run = load(standalone(net, { format: 'function', train: true, exact: true }));
        const data = makeData(recipe.sizes[0], recipe.sizes[recipe.sizes.length - 1], 40, seed);
        for (const { input, target } of data) {
          const a = unlessDiverged(() => net.activate(input));
          const b = run(input);
          if (a === null) return; // core refused a non-finite output
          if (!net.neurons().every(({ neuron: n }) => Number.isFinite(n.state) && Number.isFinite(n.activation)))
            return;
          expect(b).toEqual(a);
          if (unlessDiverged(() => net.propagate(0.1, target)) === null) return;
          run.propagate(0.1, target);
        }
        expect(JSON.stringify(run.toJSON())).toBe(JSON.stringify(net.toJSON()));
      }),
      { numRuns: 100, seed: 77 },
    );
  });

  it('is a snapshot: later training of the network does not change it', () => {
    const net = lstmLike();
    const run = load(standalone(net, { format: 'function' }));
    const before = run([1, 0, 1]);
    run.clear();
    net.activate([1, 0, 1]);
    net.propagate(0.5, [1, 0]);
    expect(run([1, 0, 1])).not.toEqual(net.activate([1, 0, 1]));
    expect(before).toHaveLength(2);
    expect('propagate' in run).toBe(false);
  });

  it('writes an ES module and a CommonJS module that run in a process with no packages', () => {
    const net = lstmLike();
    const expected = net.clone().activate([0.5, 0.25, 1]);
    const dir = mkdtempSync(join(tmpdir(), 'synaptic-standalone-'));
    writeFileSync(join(dir, 'net.mjs'), standalone(net, { train: true }));
    writeFileSync(join(dir, 'net.cjs'), standalone(net, { format: 'cjs' }));
    const script = (load: string) => `${load}; console.log(JSON.stringify(m.activate([0.5, 0.25, 1])));`;
    const esm = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', script("const m = await import('./net.mjs')")],
      { cwd: dir, encoding: 'utf8' },
    );
    const cjs = execFileSync(process.execPath, ['-e', script("const m = require('./net.cjs')")], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(JSON.parse(esm)).toEqual(expected);
    expect(JSON.parse(cjs)).toEqual(expected);
  });

  it('checks its inputs', () => {
    const run = load(standalone(lstmLike(), { format: 'function', train: true }));
    expect(() => run([1, 2])).toThrow(/input must be an array of 3 numbers/);
    expect(() => run([1, 2, NaN])).toThrow(/input\[2\] must be a finite number/);
    expect(() => run.propagate(0.1, [1])).toThrow(/target must be an array of 2 numbers/);
  });

  it("never writes the network's text into the source", () => {
    const net = lstmLike();
    const hostile = '"); globalThis.pwned = true; ("';
    for (const { neuron } of net.neurons()) neuron.label = hostile;
    net.layers.input!.label = hostile;
    const source = standalone(net, { format: 'function' });
    expect(source).not.toContain('pwned');
    const context: Record<string, unknown> = {};
    vm.runInNewContext(source, context);
    expect(context.pwned).toBeUndefined();
  });

  it('refuses custom squash functions, which cannot be written out', () => {
    const net = lstmLike();
    net.layers.output!.list[0].squash = (x: number) => x;
    expect(() => standalone(net)).toThrow(CompileError);
    expect(() => standalone(lstmLike(), { format: 'umd' as never })).toThrow(/unknown standalone format/);
  });

  it('covers every squash function', () => {
    for (const name of SQUASHES) {
      const net = lstmLike();
      net.layers.output!.set({ squash: Neuron.squash[name] });
      const run = load(standalone(net, { format: 'function' }));
      expect(run([0.3, -0.2, 0.9])).toEqual(net.clone().activate([0.3, -0.2, 0.9]));
    }
  });
});
