/**
 * MNIST worker, run in its own process by the MNIST suite:
 *   mnist-worker.ts <system> <digits> <warm> <test> <trained> <maxRuns>
 * Loads `warm` + `digits` training digits and `test` test digits from the `mnist` package
 * (seeded order), then for the system: builds a seeded 784-100-10 network, warms it up on the
 * `warm` digits and times one training pass over the first `trained` of the `digits` (repeated
 * on fresh, identical networks while time allows, at most `maxRuns` times; median), times
 * inference over the same digits (median of up to `maxRuns` passes), and checks accuracy on the
 * test digits. Prints one JSON line (a MnistSample).
 */
import { performance } from 'node:perf_hooks';
import { loadMnistSystem, type Digit, type MnistModel } from '../mnist-peers.js';
import { seedMathRandom } from '../lib/prng.js';
import { median, perSecond, repeatWithin } from '../lib/stats.js';
import { requirePeer, workerMain } from '../lib/worker-main.js';
import { isMnistSystemId } from '../systems.js';

export interface MnistSample {
  system: string;
  /** digits of one timed training pass */
  trained: number;
  warm: number;
  batch: number;
  /** ms of each timed training pass (fresh, identical networks) */
  trainRuns: number[];
  /** median training throughput */
  trainPerSec: number;
  /** digits of one timed inference pass (the trained digits) */
  inferred: number;
  inferRuns: number[];
  inferPerSec: number;
  /** building the network, the warm-up pass and its inference warm-up (includes any code generation) */
  setupMs: number;
  /** fraction of the test digits classified right after warm-up + one pass */
  accuracy: number;
  tested: number;
}

/** Seeds of the digits' order and of every network's initial weights. */
export const DATA_SEED = 20_240_601;
export const WEIGHT_SEED = 42;

/** Training (each pass on a fresh network, setup included) is repeated while under this many ms of wall-clock time. */
const TRAIN_BUDGET_MS = 4000;
const INFER_BUDGET_MS = 2000;

interface MnistModule {
  set(training: number, test: number): { training: Digit[]; test: Digit[] };
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function positiveInt(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`mnist-worker: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

async function main(): Promise<MnistSample> {
  const [system = '', digitsArg, warmArg, testArg, trainedArg, maxRunsArg] = process.argv.slice(2);
  if (!isMnistSystemId(system))
    throw new Error(
      `usage: mnist-worker.ts <system> <digits> <warm> <test> <trained> <maxRuns>, got ${JSON.stringify(process.argv.slice(2))}`,
    );
  const digits = positiveInt(digitsArg, 'digits');
  const warm = positiveInt(warmArg, 'warm');
  const test = positiveInt(testArg, 'test');
  const trained = Math.min(positiveInt(trainedArg, 'trained'), digits);
  const maxRuns = positiveInt(maxRunsArg, 'maxRuns');

  // The data: the same digits in the same order for every system. mnist.set takes the first
  // n/10 samples of each digit for training and the next ones for testing, shuffled with Math.random.
  const mnist = requirePeer<MnistModule>('mnist');
  seedMathRandom(DATA_SEED);
  const set = mnist.set(warm + digits, test);
  const warmDigits = set.training.slice(0, warm);
  const timedDigits = set.training.slice(warm, warm + trained);
  const testDigits = set.test;
  const timedInputs = timedDigits.map((d) => d.input);

  const factory = await loadMnistSystem(system);

  /** A fresh network with the same initial weights every time, warmed up on the warm digits. */
  const fresh = async (): Promise<MnistModel> => {
    seedMathRandom(WEIGHT_SEED);
    const model = await factory(WEIGHT_SEED);
    await model.trainPass(warmDigits);
    return model;
  };

  let model: MnistModel | null = null;
  let setupMs = 0;
  const trainRuns = await repeatWithin(
    async () => {
      const t0 = performance.now();
      model = await fresh();
      await model.inferAll(warmDigits.map((d) => d.input));
      setupMs = performance.now() - t0;
      const t1 = performance.now();
      await model.trainPass(timedDigits);
      return performance.now() - t1;
    },
    TRAIN_BUDGET_MS,
    maxRuns,
  );
  const trainedModel = model as MnistModel | null;
  if (trainedModel === null) throw new Error('no training run');

  const inferRuns = await repeatWithin(
    async () => {
      const t = performance.now();
      await trainedModel.inferAll(timedInputs);
      return performance.now() - t;
    },
    INFER_BUDGET_MS,
    maxRuns,
  );

  let right = 0;
  for (const d of testDigits) if (argmax(trainedModel.predict(d.input)) === argmax(d.output)) right++;

  return {
    system,
    trained: timedDigits.length,
    warm: warmDigits.length,
    batch: trainedModel.batch,
    trainRuns,
    trainPerSec: perSecond(timedDigits.length, median(trainRuns)),
    inferred: timedInputs.length,
    inferRuns,
    inferPerSec: perSecond(timedInputs.length, median(inferRuns)),
    setupMs,
    accuracy: right / testDigits.length,
    tested: testDigits.length,
  };
}

workerMain(main);
