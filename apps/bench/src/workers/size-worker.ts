/**
 * SIZE worker, run in its own `node --expose-gc` process by the SIZE suite:
 *   size-worker.ts <system> <N>
 * Builds Perceptron(N, N, N) and prints one JSON line (a SizeSample).
 */
import { performance } from 'node:perf_hooks';
import { loadPerceptron } from '../peers.js';
import { isSystemId } from '../systems.js';

export interface SizeSample {
  system: string;
  n: number;
  buildMs: number;
  /** (heapUsed + external) after the build minus before it, both after a full GC. */
  addedBytes: number;
  /** One activate + propagate (rate 0.1). */
  firstStepMs: number;
  secondStepMs: number;
  before: MemorySnapshot;
  after: MemorySnapshot;
}

export interface MemorySnapshot {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

const collect = globalThis.gc;
if (collect === undefined) throw new Error('size-worker needs node --expose-gc');

function fullGc(): void {
  // twice: the first pass may only queue finalizers / weak callbacks
  collect?.();
  collect?.();
}

function snapshot(): MemorySnapshot {
  const { heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { heapUsed, external, arrayBuffers };
}

/** `external` already includes `arrayBuffers` (typed arrays, Buffers), so they are not added twice. */
function total(m: MemorySnapshot): number {
  return m.heapUsed + m.external;
}

/** Deterministic values in [0, 1). */
function vector(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32;
  }
  return out;
}

async function main(): Promise<void> {
  const [system = '', nArg = ''] = process.argv.slice(2);
  const n = Number(nArg);
  if (!isSystemId(system) || !Number.isInteger(n) || n < 1) {
    throw new Error(
      `usage: size-worker.ts <this|synaptic1|neataptic> <N>, got ${JSON.stringify(process.argv.slice(2))}`,
    );
  }
  const perceptron = await loadPerceptron(system);
  const x = vector(n, 1);
  const y = vector(n, 2);

  fullGc();
  const before = snapshot();
  const t0 = performance.now();
  const net = perceptron(n, n, n);
  const buildMs = performance.now() - t0;
  fullGc();
  const after = snapshot();

  const step = (): number => {
    const t = performance.now();
    net.activate(x);
    net.propagate(0.1, y);
    return performance.now() - t;
  };
  const firstStepMs = step();
  const secondStepMs = step();

  const sample: SizeSample = {
    system,
    n,
    buildMs,
    addedBytes: total(after) - total(before),
    firstStepMs,
    secondStepMs,
    before,
    after,
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
