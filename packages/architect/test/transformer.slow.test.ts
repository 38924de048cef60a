/**
 * Issue 15's targets (slow tier): a Transformer (length 8, vocabulary 10, dModel 32, 2 heads,
 * 2 blocks, ff 64) learns to reverse sequences, and separately to sort them, to ≥ 99% token accuracy
 * on 1,000 sequences it never saw; 4×4 Sudoku's token accuracy on puzzles of solution grids it never
 * saw is measured and printed. Seeded: the same numbers every run. Each prints its accuracy, epochs
 * and time.
 */
import { Transformer } from '@synaptic/architect';
import { cost, mulberry32, setRandom } from '@synaptic/core';
import { Adam, Trainer } from '@synaptic/trainer';
import { describe, expect, it } from 'vitest';
import { reverse, sequenceSet, sort, sudokuGrids, sudokuSet, tokenAccuracy, type TokenSample } from './tasks.js';

interface Run {
  accuracy: number;
  epochs: number;
  seconds: number;
  history: string[];
}

/**
 * Trains epoch by epoch with one Adam: each epoch shuffles the set (seeded by the epoch) and trains
 * it in chunks of 20 batches of 32 (one `Trainer.train` call each, in order), yielding to the event
 * loop between chunks so that the test runner's worker stays responsive; stops once the test
 * accuracy reaches `goal`.
 */
async function train(
  net: Transformer,
  set: TokenSample[],
  test: TokenSample[],
  options: { epochs: number; rate: number; goal: number; positions?: (s: TokenSample) => number[] },
): Promise<Run> {
  const classes = net.options.classes;
  const started = Date.now();
  const history: string[] = [];
  const optimizer = new Adam({ rate: options.rate });
  const trainer = new Trainer(net);
  const chunk = 20 * 32;
  let accuracy = 0;
  let epochs = 0;
  while (epochs < options.epochs && accuracy < options.goal) {
    epochs++;
    const random = mulberry32(epochs);
    const order = set.slice();
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let loss = 0;
    for (let at = 0; at < order.length; at += chunk) {
      const part = order.slice(at, at + chunk);
      const { error } = trainer.train(part, { optimizer, batchSize: 32, cost: cost.CROSS_ENTROPY, epochs: 1 });
      loss += error * part.length;
      await new Promise((resolve) => setImmediate(resolve));
    }
    accuracy = tokenAccuracy((x) => net.activate(x), test, classes, options.positions);
    history.push(
      `epoch ${epochs}: loss ${(loss / order.length).toFixed(4)}, test token accuracy ${(accuracy * 100).toFixed(2)}%`,
    );
  }
  return { accuracy, epochs, seconds: (Date.now() - started) / 1000, history };
}

function report(name: string, run: Run, samples: number): void {
  console.log(
    `${name}: ${(run.accuracy * 100).toFixed(2)}% token accuracy on unseen sequences after ${run.epochs} epochs of ${samples} samples, ${run.seconds.toFixed(0)} s\n  ${run.history.join('\n  ')}`,
  );
}

const TARGET = { length: 8, vocabSize: 10, dModel: 32, heads: 2, ff: 64, blocks: 2, classes: 10 };

function seeded(seed: number, options: ConstructorParameters<typeof Transformer>[0]): Transformer {
  setRandom(mulberry32(seed));
  try {
    return new Transformer(options);
  } finally {
    setRandom();
  }
}

describe('Transformer targets (issue 15)', () => {
  for (const [name, task, epochs] of [
    ['reverse', reverse, 4],
    ['sort', sort, 8],
  ] as const) {
    it(`learns to ${name} sequences of 8 tokens (vocabulary 10) to ≥ 99% token accuracy on unseen ones`, async () => {
      const net = seeded(1, TARGET);
      const test = sequenceSet(1000, 8, 10, task, 99);
      const set = sequenceSet(4000, 8, 10, task, 5, new Set(test.map((s) => s.input.join())));
      const run = await train(net, set, test, { epochs, rate: 3e-3, goal: 0.995 });
      report(name, run, set.length);
      expect(run.accuracy).toBeGreaterThanOrEqual(0.99);
    }, 1_800_000);
  }

  it('4×4 Sudoku: token accuracy on the empty cells of puzzles from solution grids it never saw', async () => {
    const grids = sudokuGrids();
    expect(grids.length).toBe(288);
    const random = mulberry32(4);
    const order = grids.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const testGrids = order.slice(0, 48).map((i) => grids[i]);
    const trainGrids = order.slice(48).map((i) => grids[i]);
    const set = sudokuSet(trainGrids, 12, 8, 5);
    const test = sudokuSet(testGrids, 4, 8, 6);
    const blanks = (s: TokenSample) => s.input.flatMap((t, p) => (t === 0 ? [p] : []));
    const net = seeded(2, { length: 16, vocabSize: 5, dModel: 32, heads: 4, ff: 64, blocks: 3, classes: 4 });
    const run = await train(net, set, test, { epochs: 6, rate: 2e-3, goal: 1, positions: blanks });
    report('4×4 Sudoku (8 empty cells, accuracy on the empty cells)', run, set.length);
    // chance is 25%; a model that learned nothing of the rules stays near it
    expect(run.accuracy).toBeGreaterThan(0.5);
  }, 3_600_000);
});
