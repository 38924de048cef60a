import { describe, expect, it } from 'vitest';
import {
  lstmReport,
  lstmTargets,
  measureOne,
  QUICK_LSTM,
  type LstmOptions,
  type LstmOutcome,
  type LstmShape,
} from '../src/suites/lstm.js';
import { LSTM_SYSTEM_IDS } from '../src/systems.js';

/** Quick mode (30 timed steps), on the smallest and the target shape. */
const SHAPES: readonly LstmShape[] = [
  [5, 3, 2],
  [30, 30, 30],
];
const options: LstmOptions = { ...QUICK_LSTM, shapes: SHAPES, timeoutMs: 240_000, quick: true };

// Each child process may take up to 4 minutes (a loaded machine runs them several times slower than a quiet
// one); the limit only stops a child that hangs, nothing here checks a time.
describe('LSTM suite (quick, through child processes)', () => {
  const outcomes: LstmOutcome[] = [];

  for (const shape of SHAPES) {
    for (const system of LSTM_SYSTEM_IDS) {
      it(`measures ${system} at (${shape.join(', ')})`, { timeout: 300_000 }, async () => {
        const outcome = await measureOne(system, shape, options);
        outcomes.push(outcome);
        // a peer that could not be installed fails the test: the benchmark would miss its row
        if (outcome.status !== 'ok') throw new Error(`${system}: ${JSON.stringify(outcome)}`);
        const s = outcome.sample;
        expect([s.inputs, s.cells, s.outputs]).toEqual([...shape]);
        expect(s.steps).toBe(30);
        expect(s.warmSteps).toBe(5);
        for (const value of [s.stepsPerSec, s.ms, s.setupMs, s.lastOutputSum])
          expect(Number.isFinite(value)).toBe(true);
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
