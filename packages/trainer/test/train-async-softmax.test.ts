/** trainAsync on what 1.x's format cannot express: a softmax layer and fixed weights, optimized or not. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { optimize } from '@synaptic/compile';
import { Layer, mulberry32, Network, Neuron, setRandom } from '@synaptic/core';
import { Trainer } from '@synaptic/trainer';
import { beforeAll, describe, expect, it } from 'vitest';

const workerUrl = new URL('../dist/worker.js', import.meta.url);
beforeAll(() => {
  if (!existsSync(fileURLToPath(workerUrl))) throw new Error('build the trainer first (pnpm test builds it)');
});

function classifier(): Network {
  setRandom(mulberry32(21));
  const input = new Layer(2);
  const hidden = new Layer(5);
  const output = new Layer(3).set({ squash: Neuron.squash.SOFTMAX });
  input.project(hidden);
  hidden.project(output);
  input.connectedTo[0].list[0].fixed = true;
  setRandom(Math.random);
  return new Network({ input, hidden: [hidden], output });
}

const set = [
  { input: [0, 0], output: [1, 0, 0] },
  { input: [0, 1], output: [0, 1, 0] },
  { input: [1, 0], output: [0, 1, 0] },
  { input: [1, 1], output: [0, 0, 1] },
];

describe('trainAsync with a softmax layer and a fixed weight', () => {
  it.each([
    ['interpreted', false],
    ['optimized', true],
  ])('%s: the same weights as train, the fixed weight unchanged', async (_, compiled) => {
    const a = classifier();
    const b = classifier();
    if (compiled) optimize(b);
    const fixed = a.layers.input!.connectedTo[0].list[0].weight;
    const options = { iterations: 300, rate: 0.2, shuffle: false, log: false, error: 0 } as const;
    new Trainer(a).train(set, options);
    await new Trainer(b).trainAsync(set, { ...options, workerUrl });
    expect(b.toJSON()).toEqual(a.toJSON());
    expect(b.layers.input!.connectedTo[0].list[0].weight).toBe(fixed);
    expect(b.toJSON()).toMatchObject({ format: 'synaptic', version: 2 });
  });
});
