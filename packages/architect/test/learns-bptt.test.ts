/**
 * Seed 004's step-counting task, learned with exact gradients through time: an LSTM sees the input
 * 1 for 6 steps and must output 0, 0, 0, 1, 1, 1 (it has to count). Seed 004 trains its NetworkLSTM
 * with plain SGD on BPTT, 300 episodes at rate 0.05; here `Trainer.train(set, { bptt: true })` with
 * SGD at 0.05 for 300 epochs of the one episode, the rate applied to the gradient of the cost summed
 * over the episode's steps (core's MSE, E = (t − y)² per step).
 */
import { cost, mulberry32, Neuron, setRandom } from '@synaptic/core';
import { Trainer } from '@synaptic/trainer';
import { describe, expect, it } from 'vitest';
import { LSTM } from '../src/index.js';

const episode = {
  input: Array.from({ length: 6 }, () => [1]),
  output: [0, 0, 0, 1, 1, 1].map((t) => [t]),
};

/**
 * LSTM(1, 8, 1) with TANH memory cells and weights drawn uniformly from [−1.5, 1.5]: 1.x's ±0.1
 * weights and logistic cells make the gradient through six steps too small for 300 epochs at 0.05.
 */
function countingLSTM(seed: number): LSTM {
  setRandom(mulberry32(seed));
  try {
    const net = new LSTM(1, 8, 1);
    net.layers.hidden[2].set({ squash: Neuron.squash.TANH });
    const random = mulberry32(seed + 1000);
    for (const p of net.parameters())
      if (p.name.endsWith('.weight')) for (let e = 0; e < p.value.length; e++) p.value[e] = 3 * random() - 1.5;
    return net;
  } finally {
    setRandom();
  }
}

function outputs(net: LSTM): number[] {
  net.clear({ states: true });
  return episode.input.map((x) => net.activate(x)[0]);
}

const counted = (y: number[]) => y.every((v, t) => (t < 3 ? v < 0.5 : v > 0.5));

describe("seed 004's step counting, learned with bptt", () => {
  it('an LSTM learns to count to 3 in 300 epochs of plain SGD at rate 0.05', () => {
    const net = countingLSTM(1);
    expect(counted(outputs(net))).toBe(false);
    const result = new Trainer(net).train([episode], {
      bptt: true,
      optimizer: 'sgd',
      rate: 0.05,
      epochs: 300,
      cost: cost.MSE,
    });
    const y = outputs(net);
    console.log(
      `step counting after 300 epochs (error ${result.error.toFixed(4)}): ${y.map((v) => v.toFixed(2)).join(' ')}`,
    );
    expect(counted(y)).toBe(true);
    expect(y[2]).toBeLessThan(0.4);
    expect(y[3]).toBeGreaterThan(0.6);
  });

  it('learns it from most seeds (10 seeded networks)', () => {
    const learned: number[] = [];
    const finals: string[] = [];
    for (let seed = 1; seed <= 10; seed++) {
      const net = countingLSTM(seed);
      new Trainer(net).train([episode], { bptt: true, optimizer: 'sgd', rate: 0.05, epochs: 300, cost: cost.MSE });
      const y = outputs(net);
      if (counted(y)) learned.push(seed);
      finals.push(`${seed}: ${y.map((v) => v.toFixed(2)).join(' ')}`);
    }
    console.log(`step counting, 300 epochs at 0.05, learned by ${learned.length}/10 seeds\n${finals.join('\n')}`);
    expect(learned.length).toBeGreaterThanOrEqual(7);
  });

  it('with the online LSTM-g gradient and the same settings, the same network does not learn it', () => {
    const net = countingLSTM(1);
    new Trainer(net).train([episode], { optimizer: 'sgd', rate: 0.05, epochs: 300, cost: cost.MSE });
    expect(counted(outputs(net))).toBe(false);
  });
});
