/**
 * LSTM worker, run in its own process by the LSTM suite:
 *   lstm-worker.ts <system> <inputs> <cells> <outputs> <warmSteps> <warmMs> <minSteps> <maxSteps> <budgetMs>
 * Builds a seeded LSTM(inputs, cells, outputs) and warms it up with untimed training steps
 * (activate + propagate at rate 0.1): at least `warmSteps`, and until `warmMs` have passed. Then
 * it times steps: at least `minSteps`, at most `maxSteps`, stopping once `budgetMs` have been
 * spent. Inputs and targets cycle through a pool drawn from a seeded PRNG. Prints one JSON line
 * (an LstmSample).
 */
import { performance } from 'node:perf_hooks';
import { loadLstmSystem } from '../lstm-peers.js';
import { mulberry32, randomVector, seedMathRandom } from '../lib/prng.js';
import { perSecond } from '../lib/stats.js';
import { workerMain } from '../lib/worker-main.js';
import { isLstmSystemId } from '../systems.js';

export interface LstmSample {
  system: string;
  inputs: number;
  cells: number;
  outputs: number;
  /** building the network and the warm-up steps (includes any code generation) */
  setupMs: number;
  warmSteps: number;
  steps: number;
  ms: number;
  stepsPerSec: number;
  /** sum of the last output, to show the numbers stayed finite */
  lastOutputSum: number;
}

export const RATE = 0.1;
const DATA_SEED = 7;
const WEIGHT_SEED = 42;
const POOL = 64;

function nonNegativeInt(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`lstm-worker: ${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

async function main(): Promise<LstmSample> {
  const [system = '', ...rest] = process.argv.slice(2);
  if (!isLstmSystemId(system) || rest.length !== 8) {
    throw new Error(
      `usage: lstm-worker.ts <system> <inputs> <cells> <outputs> <warmSteps> <warmMs> <minSteps> <maxSteps> <budgetMs>, got ${JSON.stringify(process.argv.slice(2))}`,
    );
  }
  const [inputs, cells, outputs, minWarmSteps, warmMs, minSteps, maxSteps, budgetMs] = rest.map((v, i) =>
    nonNegativeInt(v, `argument ${i + 2}`),
  );

  const random = mulberry32(DATA_SEED);
  const xs = Array.from({ length: POOL }, () => randomVector(inputs, random));
  const ys = Array.from({ length: POOL }, () => randomVector(outputs, random));

  const factory = await loadLstmSystem(system);
  let k = 0;
  let last: ArrayLike<number> = [];
  const t0 = performance.now();
  seedMathRandom(WEIGHT_SEED);
  const net = factory(inputs, cells, outputs);
  const step = (): void => {
    last = net.activate(xs[k]);
    net.propagate(RATE, ys[k]);
    k = (k + 1) % POOL;
  };
  const built = performance.now();
  let warmSteps = 0;
  while (warmSteps < minWarmSteps || performance.now() - built < warmMs) {
    step();
    warmSteps++;
  }
  const setupMs = performance.now() - t0;

  // timed in chunks of steps, doubled while a chunk takes under 25 ms, so that reading the clock
  // costs nothing at high rates and the budget is not overshot by much at low ones
  let steps = 0;
  let ms = 0;
  let chunk = 1;
  while (steps < maxSteps && (steps < minSteps || ms < budgetMs)) {
    const n = Math.min(chunk, maxSteps - steps);
    const t = performance.now();
    for (let i = 0; i < n; i++) step();
    const chunkMs = performance.now() - t;
    ms += chunkMs;
    steps += n;
    if (chunkMs < 25) chunk *= 2;
  }

  let lastOutputSum = 0;
  for (let i = 0; i < last.length; i++) lastOutputSum += last[i];
  return {
    system,
    inputs,
    cells,
    outputs,
    setupMs,
    warmSteps,
    steps,
    ms,
    stepsPerSec: perSecond(steps, ms),
    lastOutputSum,
  };
}

workerMain(main);
