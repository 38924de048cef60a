import { createRequire } from 'node:module';
import * as core from '@synaptic/core';
import { describe, expect, it } from 'vitest';
import { mulberry32, randomVector } from '../src/lib/prng.js';
import { buildLstm } from '../src/nets/lstm.js';
import { lstmReport, lstmTargets, measureOne, QUICK_LSTM, type LstmOptions, type LstmOutcome, type LstmShape } from '../src/suites/lstm.js';
import { LSTM_SYSTEM_IDS } from '../src/systems.js';

const require = createRequire(import.meta.url);

interface Synaptic1Lstm {
  activate(x: number[]): number[];
  propagate(rate: number, y: number[]): void;
  setOptimize(enabled: boolean): void;
  toJSON(): unknown;
}
const synaptic = require('synaptic') as { Architect: { LSTM: new (...sizes: number[]) => Synaptic1Lstm } };

/** Runs `build` with `Math.random` replaced by a seeded generator. */
function seeded<T>(seed: number, build: () => T): T {
  const original = Math.random;
  Math.random = mulberry32(seed);
  try {
    return build();
  } finally {
    Math.random = original;
  }
}

describe('LSTM builder (apps/bench/src/nets/lstm.ts)', () => {
  it("builds synaptic 1.x's Architect.LSTM: same JSON, same numbers as 1.x's interpreter", () => {
    const ours = seeded(5, () => buildLstm(core, 4, 6, 3));
    const theirs = seeded(5, () => new synaptic.Architect.LSTM(4, 6, 3));
    theirs.setOptimize(false);
    expect(JSON.stringify(ours.toJSON())).toBe(JSON.stringify(theirs.toJSON()));

    const random = mulberry32(9);
    for (let step = 0; step < 50; step++) {
      const x = randomVector(4, random);
      const y = randomVector(3, random);
      expect(ours.activate(x)).toEqual(theirs.activate(x));
      ours.propagate(0.1, y);
      theirs.propagate(0.1, y);
    }
  });
});

/** Quick mode (30 timed steps), on the smallest and the target shape. */
const SHAPES: readonly LstmShape[] = [
  [5, 3, 2],
  [30, 30, 30],
];
const options: LstmOptions = { ...QUICK_LSTM, shapes: SHAPES, timeoutMs: 60_000, quick: true };

describe('LSTM suite (quick, through child processes)', () => {
  const outcomes: LstmOutcome[] = [];

  for (const shape of SHAPES) {
    for (const system of LSTM_SYSTEM_IDS) {
      it(`measures ${system} at (${shape.join(', ')})`, { timeout: 90_000 }, async (ctx) => {
        const outcome = await measureOne(system, shape, options);
        outcomes.push(outcome);
        if (outcome.status === 'unavailable') ctx.skip(outcome.reason);
        if (outcome.status !== 'ok') throw new Error(`${system}: ${JSON.stringify(outcome)}`);
        const s = outcome.sample;
        expect([s.inputs, s.cells, s.outputs]).toEqual([...shape]);
        expect(s.steps).toBe(30);
        expect(s.warmSteps).toBe(5);
        for (const value of [s.stepsPerSec, s.ms, s.setupMs, s.lastOutputSum]) expect(Number.isFinite(value)).toBe(true);
        expect(s.stepsPerSec).toBeGreaterThan(0);
      });
    }
  }

  it('reports every shape, with targets NOT RUN in a quick run', () => {
    const report = lstmReport(outcomes, options);
    expect(report.blocks).toHaveLength(SHAPES.length);
    expect(report.blocks[0].table?.rows).toHaveLength(LSTM_SYSTEM_IDS.length);
    expect(lstmTargets(outcomes, options).map((t) => t.status)).toEqual(['NOT RUN', 'NOT RUN']);
  });
});
