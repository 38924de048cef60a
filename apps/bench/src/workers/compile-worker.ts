/**
 * COMPILE worker, run in its own `node --expose-gc` process by the COMPILE suite:
 *   compile-worker.ts <inputs> <hidden> <outputs> <warm|cold> <steps>
 * Builds Layers inputs -> hidden -> outputs (seeded), then times `optimize(net)` plus the first
 * `activate` (which generates and compiles the code), reads the generated source's length and the
 * memory compiling added (heap + external after minus before, each after a full GC), and times
 * `steps` activate + propagate steps after two untimed ones. With `warm`, a small network is
 * compiled and trained first, so the compiler's own code is warm; with `cold`, this is the
 * process's first compile. Prints one JSON line (a CompileSample).
 */
import { performance } from 'node:perf_hooks';
import { fullGc, snapshot, totalBytes, type MemorySnapshot } from '../lib/memory.js';
import { mulberry32, randomVector, seedMathRandom } from '../lib/prng.js';
import { median } from '../lib/stats.js';
import { workerMain } from '../lib/worker-main.js';
import { loadCompile, loadCore } from '../peers.js';

export interface CompileSample {
  inputs: number;
  hidden: number;
  outputs: number;
  mode: 'warm' | 'cold';
  /** connections (weights) of the network */
  connections: number;
  /** building the network (interpreted), for context */
  buildMs: number;
  /** `optimize(net)` + the first `activate` */
  compileMs: number;
  /** length of `net.executor().source` */
  sourceChars: number;
  /** (heap + external) after compiling minus before, both after a full GC */
  compileAddedBytes: number;
  /** (heap + external) the network itself takes (after building minus before) */
  networkBytes: number;
  /** every timed activate + propagate */
  stepMs: number[];
  stepMedianMs: number;
  before: MemorySnapshot;
  after: MemorySnapshot;
}

const WEIGHT_SEED = 42;
const RATE = 0.1;

function positiveInt(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`compile-worker: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

async function main(): Promise<CompileSample> {
  const [i = '', h = '', o = '', mode = '', stepsArg = ''] = process.argv.slice(2);
  const inputs = positiveInt(i, 'inputs');
  const hidden = positiveInt(h, 'hidden');
  const outputs = positiveInt(o, 'outputs');
  const steps = positiveInt(stepsArg, 'steps');
  if (mode !== 'warm' && mode !== 'cold')
    throw new Error(`compile-worker: mode must be warm or cold, got ${JSON.stringify(mode)}`);

  const { Layer, Network } = await loadCore();
  const { optimize } = await loadCompile();
  seedMathRandom(WEIGHT_SEED);
  const perceptron = (a: number, b: number, c: number) => {
    const input = new Layer(a);
    const hiddenLayer = new Layer(b);
    const output = new Layer(c);
    input.project(hiddenLayer);
    hiddenLayer.project(output);
    return new Network({ input, hidden: [hiddenLayer], output });
  };
  const random = mulberry32(3);
  const x = randomVector(inputs, random);
  const t = randomVector(outputs, random);

  if (mode === 'warm') {
    const small = optimize(perceptron(16, 16, 16));
    const sx = randomVector(16, random);
    for (let k = 0; k < 20; k++) {
      small.activate(sx);
      small.propagate(RATE, sx);
    }
  }

  fullGc();
  const empty = snapshot();
  const b0 = performance.now();
  const net = perceptron(inputs, hidden, outputs);
  const buildMs = performance.now() - b0;
  fullGc();
  const before = snapshot();

  const c0 = performance.now();
  optimize(net);
  net.activate(x);
  const compileMs = performance.now() - c0;
  const executor = net.executor() as { source?: unknown } | null;
  if (executor === null || typeof executor.source !== 'string')
    throw new Error('optimize(net) attached no compiled executor with a source');
  const sourceChars = executor.source.length;
  fullGc();
  const after = snapshot();

  const step = (): number => {
    const s = performance.now();
    net.activate(x);
    net.propagate(RATE, t);
    return performance.now() - s;
  };
  // the first propagate, and a step with everything warm, untimed
  net.propagate(RATE, t);
  step();
  step();
  const stepMs = Array.from({ length: steps }, step);

  return {
    inputs,
    hidden,
    outputs,
    mode,
    connections: inputs * hidden + hidden * outputs,
    buildMs,
    compileMs,
    sourceChars,
    compileAddedBytes: totalBytes(after) - totalBytes(before),
    networkBytes: totalBytes(before) - totalBytes(empty),
    stepMs,
    stepMedianMs: median(stepMs),
    before,
    after,
  };
}

workerMain(main);
