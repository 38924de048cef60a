/**
 * Every architecture of @synaptic/architect, exported and run in onnxruntime: outputs (and every
 * carried value) equal the network's own within 1e-5, for batches of 1 and 3 independent copies
 * over random inputs; recurrent step functions over 20 steps, feeding the carried values back.
 */
import { GRU, Hopfield, Liquid, LSTM, NARX, Perceptron, Random } from '@synaptic/architect';
import { Layer, type Network, mulberry32, setRandom } from '@synaptic/core';
import { afterEach, describe, expect, it } from 'vitest';
import { stepSignature } from '../src/index.js';
import { compareSteps } from './helpers.js';

function seeded<N>(seed: number, make: () => N): N {
  setRandom(mulberry32(seed));
  return make();
}

afterEach(() => setRandom(Math.random));

/** Recurrent nets get a few warm-up activations first, so the export starts from a non-zero state. */
const architectures: Array<{ name: string; make: () => Network; recurrent: boolean }> = [
  { name: 'Perceptron(4, 6, 5, 3)', make: () => new Perceptron(4, 6, 5, 3), recurrent: false },
  { name: 'Hopfield(8)', make: () => new Hopfield(8), recurrent: false },
  { name: 'LSTM(3, 4, 2)', make: () => new LSTM(3, 4, 2), recurrent: true },
  { name: 'LSTM(2, 3, 3, 1), two blocks', make: () => new LSTM(2, 3, 3, 1), recurrent: true },
  {
    name: 'LSTM(2, 4, 2) with hiddenToHidden, outputToHidden, outputToGates, ONE_TO_ONE peepholes',
    make: () =>
      new LSTM(2, 4, 2, {
        hiddenToHidden: true,
        outputToHidden: true,
        outputToGates: true,
        peepholes: Layer.connectionType.ONE_TO_ONE,
      }),
    recurrent: true,
  },
  { name: 'GRU(3, 4, 2)', make: () => new GRU(3, 4, 2), recurrent: true },
  { name: 'GRU(2, 3, 2, 1), two blocks', make: () => new GRU(2, 3, 2, 1), recurrent: true },
  { name: 'Liquid(3, 12, 2, 30 connections, 8 gates)', make: () => new Liquid(3, 12, 2, 30, 8), recurrent: true },
  { name: 'NARX(2, 4, 1, 3, 2)', make: () => new NARX(2, 4, 1, 3, 2), recurrent: true },
  { name: 'NARX(2, [5, 3], 2, 2, 1)', make: () => new NARX(2, [5, 3], 2, 2, 1), recurrent: true },
  {
    name: 'Random(3, 8, 2) with back-, self-connections and gates',
    make: () => new Random(3, 8, 2, { connections: 12, backConnections: 4, selfConnections: 3, gates: 4, seed: 7 }),
    recurrent: true,
  },
  { name: 'Random(4, 6, 3), feed-forward', make: () => new Random(4, 6, 3, { seed: 11 }), recurrent: false },
];

describe('architect networks in onnxruntime', () => {
  architectures.forEach(({ name, make, recurrent }, k) => {
    describe(name, () => {
      it(`is ${recurrent ? 'a step function with carried values' : 'feed-forward (input to output only)'}`, () => {
        const network = seeded(100 + k, make);
        expect(stepSignature(network).carried.length > 0).toBe(recurrent);
      });
      for (const batch of [1, 3]) {
        it(`matches the network within 1e-5 with batch ${batch}${recurrent ? ' over 20 steps' : ''}`, async () => {
          const network = seeded(100 + k, make);
          if (recurrent) for (let w = 0; w < 3; w++) network.activate(new Array(network.inputs()).fill(0.3 * (w + 1)));
          const result = await compareSteps(network, { steps: recurrent ? 20 : 5, batch, seed: 1000 * batch + k });
          expect(result.output).toBeLessThan(1e-5);
          expect(result.carried).toBeLessThan(1e-5);
        });
      }
    });
  });

  it('a fresh LSTM starts from states and activations 0 (gains need no input: every gater activates first)', async () => {
    const network = seeded(5, () => new LSTM(2, 3, 1));
    const names = stepSignature(network).carried.map((c) => c.input);
    expect(names).toEqual(['state.hidden2', 'activation.hidden2']);
    const result = await compareSteps(network, { steps: 20, batch: 3, seed: 9 });
    expect(result.output).toBeLessThan(1e-5);
  });
});
