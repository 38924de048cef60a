/**
 * SGD, Momentum, Adam and RMSprop against tfjs-core 4.22's optimizers (CPU backend) on the same
 * gradients. tfjs computes in float32, so over 20 steps the trajectories agree to 2e-5 (relative), not bit for bit.
 * ε conventions: tfjs's Adam adds ε outside the root as PyTorch does (its default ε is the
 * backend's, 1e-7, so it is given here as 1e-8); tfjs's RMSprop adds ε INSIDE the root,
 * θ -= rate·g/√(s + ε), where PyTorch (and this library) use √s + ε; with |g| ~ 0.1..1 and ε = 1e-8
 * the two differ far below float32's precision. tfjs's RMSprop decay default is 0.9 (PyTorch's α
 * is 0.99); both are given explicitly.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { mulberry32 } from '@synaptic/core';
import { Adam, Momentum, type Optimizer, RMSprop, SGD, Nesterov } from '@synaptic/trainer';
import { beforeAll, describe, expect, it } from 'vitest';

const STEPS = 20;
const SIZE = 6;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** Gradients of a fixed quadratic at each step's θ (so both sides follow their own trajectory). */
function gradientAt(theta: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i++)
    out[i] = (i + 1) * 0.2 * (theta[i] - (i % 3) + 1) + 0.05 * Math.sin(i + theta[i]);
  return out;
}

function start(): Float64Array {
  const random = mulberry32(11);
  return Float64Array.from({ length: SIZE }, () => random() * 4 - 2);
}

function ours(optimizer: Optimizer): number[][] {
  const p = { name: 'w', value: start(), gradient: new Float64Array(SIZE) };
  const out: number[][] = [];
  for (let k = 0; k < STEPS; k++) {
    gradientAt(p.value, p.gradient);
    optimizer.step([p]);
    out.push(Array.from(p.value));
  }
  return out;
}

function theirs(optimizer: tf.Optimizer): number[][] {
  const w = tf.variable(tf.tensor1d(Array.from(start()), 'float32'), true, 'w');
  const out: number[][] = [];
  const g = new Float64Array(SIZE);
  for (let k = 0; k < STEPS; k++) {
    gradientAt(w.dataSync(), g);
    const gradient = tf.tensor1d(Array.from(g), 'float32');
    optimizer.applyGradients({ w: gradient });
    gradient.dispose();
    out.push(Array.from(w.dataSync()));
  }
  optimizer.dispose();
  w.dispose();
  return out;
}

function expectAgree(a: number[][], b: number[][]): void {
  for (let k = 0; k < STEPS; k++) {
    for (let i = 0; i < SIZE; i++) expect(Math.abs(a[k][i] - b[k][i])).toBeLessThan(2e-5 * (1 + Math.abs(b[k][i])));
  }
  // and the trajectories really moved (a test that cannot fail would not)
  expect(Math.abs(a[STEPS - 1][0] - a[0][0])).toBeGreaterThan(1e-3);
}

describe('agreement with tfjs-core 4.22', () => {
  it('SGD', () => {
    expectAgree(ours(new SGD({ rate: 0.1 })), theirs(tf.train.sgd(0.1)));
  });

  it('Momentum (tfjs: accumulation = μ·accumulation + g; θ -= rate·accumulation)', () => {
    expectAgree(ours(new Momentum({ rate: 0.05, momentum: 0.9 })), theirs(tf.train.momentum(0.05, 0.9)));
  });

  it("Nesterov (tfjs's momentum with useNesterov)", () => {
    expectAgree(ours(new Nesterov({ rate: 0.05, momentum: 0.9 })), theirs(tf.train.momentum(0.05, 0.9, true)));
  });

  it('Adam (ε outside the root in both; tfjs defaults ε to 1e-7, given 1e-8 here)', () => {
    expectAgree(ours(new Adam({ rate: 0.05 })), theirs(tf.train.adam(0.05, 0.9, 0.999, 1e-8)));
  });

  it('RMSprop (tfjs puts ε inside the root)', () => {
    expectAgree(ours(new RMSprop({ rate: 0.01, alpha: 0.99 })), theirs(tf.train.rmsprop(0.01, 0.99, 0, 1e-8)));
  });
});
