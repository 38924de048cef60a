import { LSTM } from '@synaptic/architect';
import { mulberry32, setRandom } from '@synaptic/core';
import { cost, type TrainingSample } from '@synaptic/trainer';
import { runPage } from '../lib/page.js';
import { pick, seeded } from '../lib/random.js';
import { int, number } from '../lib/url-state.js';

// 1.x's DSR symbols: targets 2, 4, 7, 8; distractors 3, 5, 6, 9; prompts 0, 1 (one-hot over 10)
const TARGETS = [2, 4, 7, 8];
const DISTRACTORS = [3, 5, 6, 9];
const PROMPTS = [0, 1];
const SYMBOLS = 10;

interface Sequence {
  symbols: number[];
  samples: TrainingSample[];
  /** The targets the prompts must recall, in order. */
  recall: number[];
}

function oneHot(index: number, size: number): number[] {
  const v = new Array<number>(size).fill(0);
  v[index] = 1;
  return v;
}

/**
 * A distracted sequence: `length - prompts` distractors with targets at distinct random places,
 * then the prompts; at the i-th prompt the output names the i-th target seen (one-hot over the
 * four targets), and everywhere else it is all zeros.
 */
function sequence(random: () => number, length: number): Sequence {
  const body = length - PROMPTS.length;
  const symbols = Array.from({ length: body }, () => DISTRACTORS[pick(random, DISTRACTORS.length)]);
  const positions: number[] = [];
  while (positions.length < PROMPTS.length) {
    const p = pick(random, body);
    if (!positions.includes(p)) positions.push(p);
  }
  positions.sort((a, b) => a - b);
  const recall = positions.map((p) => {
    const t = pick(random, TARGETS.length);
    symbols[p] = TARGETS[t];
    return t;
  });
  symbols.push(...PROMPTS);
  const samples = symbols.map((s, i) => ({
    input: oneHot(s, SYMBOLS),
    output: i >= body ? oneHot(recall[i - body], TARGETS.length) : new Array<number>(TARGETS.length).fill(0),
  }));
  return { symbols, samples, recall };
}

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

runPage({
  id: 'dsr',
  title: 'Discrete Sequence Recall',
  intro:
    'An LSTM reads a stream of distractors (3, 5, 6, 9) in which two targets (2, 4, 7, 8) are hidden; at the prompts 0 and 1 it must name the targets in the order it saw them. It trains on a fixed set of sequences; the table tests it on fresh ones.',
  settings: {
    blocks: int('memory blocks', 8, 1, 32),
    length: int('sequence length', 10, 4, 24),
    sequences: int('training sequences', 60, 10, 400),
    rate: number('learning rate', 0.1, 0.001, 2),
    seed: int('seed', 1, 0, 1_000_000),
  },
  autoStart: true,
  build(values, view) {
    setRandom(mulberry32(values.seed));
    const network = new LSTM(SYMBOLS, values.blocks, TARGETS.length);
    const random = seeded(values.seed + 7);
    const train = Array.from({ length: values.sequences }, () => sequence(random, values.length)).flatMap(
      (s) => s.samples,
    );
    const fresh = seeded(values.seed + 1234);
    const tests = Array.from({ length: 100 }, () => sequence(fresh, values.length));
    const score = document.createElement('p');
    const table = document.createElement('table');
    table.className = 'small';
    view.append(score, table);
    return {
      job: {
        network,
        train,
        // the network is not cleared between sequences (as in 1.x's DSR), so the set is kept in order
        validation: tests.slice(0, 20).flatMap((s) => s.samples),
        rate: values.rate,
        cost: cost.CROSS_ENTROPY,
        shuffle: false,
        seed: values.seed,
        chunk: 20,
        iterations: 2000,
      },
      render() {
        let correct = 0;
        const rows: string[] = [];
        for (const [k, test] of tests.entries()) {
          network.clear();
          let answers: number[] = [];
          for (const [i, sample] of test.samples.entries()) {
            const out = network.activate(sample.input);
            if (i >= test.symbols.length - PROMPTS.length) answers.push(argmax(out));
          }
          const ok = answers.every((a, i) => a === test.recall[i]);
          if (ok) correct++;
          if (k < 8) {
            answers = answers.map((a) => TARGETS[a]);
            rows.push(
              `<tr><td class="mono">${test.symbols.join(' ')}</td><td>${test.recall.map((t) => TARGETS[t]).join(' ')}</td><td>${answers.join(' ')}</td><td>${ok ? '✓' : '✗'}</td></tr>`,
            );
          }
        }
        score.textContent = `${correct} of ${tests.length} fresh sequences recalled exactly.`;
        score.dataset.correct = String(correct);
        table.innerHTML = `<tr><th>sequence</th><th>targets</th><th>answer</th><th></th></tr>${rows.join('')}`;
        network.clear();
      },
      probe: () => null,
    };
  },
});
