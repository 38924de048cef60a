import { describe, expect, it } from 'vitest';
import { mulberry32, setRandom, type Network } from '@synaptic/core';
import { Trainer } from '@synaptic/trainer';
import { GRU, Hopfield, NARX, Perceptron } from '@synaptic/architect';

/** Builds with core's random source seeded, then puts the default back. */
function seeded<T>(seed: number, build: () => T): T {
  setRandom(mulberry32(seed));
  try {
    return build();
  } finally {
    setRandom();
  }
}

describe('Hopfield recalls stored patterns from corrupted copies', () => {
  it('32-bit patterns with 3 of 32 bits flipped', () => {
    const random = mulberry32(2024);
    const size = 32;
    const patterns: number[][] = Array.from({ length: 4 }, () =>
      Array.from({ length: size }, () => (random() < 0.5 ? 0 : 1)),
    );
    const net = seeded(1, () => new Hopfield(size));
    const result = net.learn(patterns);
    expect(result.error).toBeLessThanOrEqual(0.00005);
    for (const p of patterns) expect(net.feed(p)).toEqual(p);

    let recalled = 0;
    let trials = 0;
    for (const p of patterns) {
      for (let k = 0; k < 25; k++) {
        const corrupted = p.slice();
        const flipped = new Set<number>();
        while (flipped.size < 3) flipped.add((random() * size) | 0);
        for (const i of flipped) corrupted[i] = 1 - corrupted[i];
        trials++;
        if (net.feed(corrupted).every((bit, i) => bit === p[i])) recalled++;
      }
    }
    console.log(
      `Hopfield(32), 4 patterns: learned in ${result.iterations} iterations (error ${result.error.toExponential(2)}); recalled ${recalled}/${trials} with 3 bits flipped`,
    );
    expect(recalled / trials).toBeGreaterThanOrEqual(0.95);
  });
});

describe('NARX learns a series whose next value depends on its earlier values', () => {
  // y_t = 0.6 y_{t-1} + 0.25 u_t + 0.3 u_t (1 - y_{t-2}), u_t uniform in [0, 1)
  function series(length: number, seed: number): { u: number[]; y: number[] } {
    const random = mulberry32(seed);
    const u: number[] = [];
    const y: number[] = [];
    let y1 = 0.5;
    let y2 = 0.5;
    for (let t = 0; t < length; t++) {
      const ut = random();
      const yt = 0.6 * y1 + 0.25 * ut + 0.3 * ut * (1 - y2);
      u.push(ut);
      y.push(yt);
      y2 = y1;
      y1 = yt;
    }
    return { u, y };
  }

  /** Trains on the first 4000 steps (10 passes), returns the mean squared error on the next 1000. */
  function trainOn(net: Network, { u, y }: { u: number[]; y: number[] }): number {
    for (let epoch = 0; epoch < 10; epoch++) {
      net.clear();
      for (let t = 0; t < 4000; t++) {
        net.activate([u[t]]);
        net.propagate(0.1, [y[t]]);
      }
    }
    net.clear();
    for (let t = 0; t < 4000; t++) net.activate([u[t]]);
    let se = 0;
    for (let t = 4000; t < 5000; t++) se += (net.activate([u[t]])[0] - y[t]) ** 2;
    return se / 1000;
  }

  it('NARX(1, 8, 1, 2, 2) predicts it; a perceptron without memory cannot', () => {
    const data = series(5000, 1);
    const mean = data.y.slice(4000).reduce((a, b) => a + b) / 1000;
    const variance = data.y.slice(4000).reduce((a, b) => a + (b - mean) ** 2, 0) / 1000;
    const net = seeded(7, () => new NARX(1, 8, 1, 2, 2));
    const narx = trainOn(net, data);
    // the delay lines are fixed: exact copies after training
    const delays = net.layers.hidden.filter((layer) => layer !== net.layers.hidden[2]).flatMap((layer) => layer.list);
    for (const unit of delays) {
      expect(unit.bias).toBe(0);
      for (const c of Object.values(unit.connections.inputs)) expect(c.weight).toBe(1);
    }
    const perceptron = trainOn(
      seeded(7, () => new Perceptron(1, 8, 1)),
      data,
    );
    console.log(
      `NARX test MSE ${narx.toExponential(2)}, perceptron ${perceptron.toExponential(2)}, variance of the series ${variance.toExponential(2)}`,
    );
    expect(narx).toBeLessThan(variance / 20);
    expect(narx).toBeLessThan(perceptron / 10);
  });
});

describe('GRU learns distracted sequence recall', () => {
  // one target among distractors, then a prompt: the output must name the target seen
  const task = {
    targets: [1, 2],
    distractors: [3, 4],
    prompts: [0],
    length: 10,
    rate: 0.03,
    iterations: 40000,
    seed: 3,
  };

  it('GRU(5, 4, 2) recalls the target seen among distractors: 95% of a block of 1000 sequences without a mistake', () => {
    const result = new Trainer(seeded(3, () => new GRU(5, 4, 2))).DSR(task);
    console.log(`GRU DSR: success ${result.success} after ${result.iterations} sequences (${result.time} ms)`);
    expect(result.success).toBeGreaterThanOrEqual(0.95);
  });

  it('a perceptron of the same size, without memory, cannot (it guesses the target)', () => {
    const result = new Trainer(seeded(3, () => new Perceptron(5, 4, 2))).DSR({ ...task, iterations: 5000 });
    console.log(`Perceptron DSR: success ${result.success} after ${result.iterations} sequences`);
    expect(result.success).toBeLessThan(0.6);
  });
});

describe('GRU fixed parts', () => {
  it('q = 1 − z and the reset copy stay exact through training', () => {
    const net = seeded(3, () => new GRU(2, 3, 1));
    const [, q, , p] = net.layers.hidden;
    const trainer = new Trainer(net);
    trainer.train(
      [
        { input: [0, 1], output: [1] },
        { input: [1, 0], output: [0] },
      ],
      { iterations: 200, rate: 0.3, log: false, error: 0 },
    );
    for (const layer of [q, p]) {
      for (const unit of layer.list) {
        expect(unit.bias).toBe(layer === q ? 1 : 0);
        for (const c of Object.values(unit.connections.inputs)) expect(c.weight).toBe(layer === q ? -1 : 1);
      }
    }
  });
});
