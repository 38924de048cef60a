/**
 * The chunks of one parallel step, claimed dynamically: every thread of a pool (the caller's and
 * each worker) takes the next unclaimed chunk of the batch with an atomic compare-and-exchange
 * until none is left, so a thread that the machine holds back takes fewer chunks instead of
 * holding the others up. Claims carry the step's number, so a thread that wakes late cannot take
 * a chunk of a step it has not read. Each chunk's summed gradient and E go into the chunk's own
 * row of shared memory; the caller then adds the rows in chunk order, so the result does not
 * depend on which thread ran what.
 */
import { type CostFunction, type CostName, cost as costs, type Parameter } from '@synaptic/core';
import type { CompiledBatch } from './batch.js';
import { Control, type SharedBuffers } from './parallel-protocol.js';

export interface SharedViews {
  readonly control: Int32Array;
  readonly values: Float64Array;
  readonly gradients: Float64Array;
  readonly errors: Float64Array;
  readonly inputs: Float64Array;
  readonly targets: Float64Array;
  /** numbers in one row of `gradients` (every parameter's) */
  readonly total: number;
}

/** The built-in costs in a fixed order: a step names its cost by index. */
export const COST_NAMES = Object.keys(costs) as CostName[];

/** Shared memory for a pool of batches up to `batchSize` samples of n inputs and m outputs, in up to `chunks` chunks. */
export function allocateShared(total: number, batchSize: number, n: number, m: number, chunks: number): SharedBuffers {
  return {
    control: new SharedArrayBuffer(Control.SLOTS * 4),
    values: new SharedArrayBuffer(total * 8),
    gradients: new SharedArrayBuffer(chunks * total * 8),
    errors: new SharedArrayBuffer(chunks * 8),
    samples: new SharedArrayBuffer((n + m) * batchSize * 8),
  };
}

export function sharedViews(
  buffers: SharedBuffers,
  total: number,
  batchSize: number,
  n: number,
  m: number,
): SharedViews {
  return {
    control: new Int32Array(buffers.control),
    values: new Float64Array(buffers.values),
    gradients: new Float64Array(buffers.gradients),
    errors: new Float64Array(buffers.errors),
    inputs: new Float64Array(buffers.samples, 0, batchSize * n),
    targets: new Float64Array(buffers.samples, batchSize * n * 8, batchSize * m),
    total,
  };
}

export interface ChunkStep {
  /** the step's number as claims carry it (15 bits) */
  readonly tag: number;
  readonly count: number;
  readonly chunks: number;
  readonly chunkSize: number;
  readonly cost: CostFunction;
}

/**
 * How long a thread spins on a slot of `control` before it sleeps in Atomics.wait: a wake-up
 * costs a system call and, on a busy machine, often the waker's time slice; the gap between two
 * steps (the optimizer's update) and the wait for the last chunk are usually shorter than this.
 */
export const SPIN_MS = 1;

/**
 * Spins until control[slot] ≠ value or `ms` have passed; returns the slot's value. Reads the
 * clock every 256 rounds.
 */
export function spinWhile(control: Int32Array, slot: number, value: number, ms: number): number {
  const until = performance.now() + ms;
  for (let k = 1; ; k++) {
    const now = Atomics.load(control, slot);
    if (now !== value) return now;
    if ((k & 255) === 0 && performance.now() > until) return now;
  }
}

const tagged = (tag: number, chunk: number): number => (tag << 16) | chunk;

/** The step `control` describes, read after its STEP slot (which the caller stores last). */
export function readStep(control: Int32Array, step: number): ChunkStep {
  return {
    tag: step & 0x7fff,
    count: Atomics.load(control, Control.COUNT),
    chunks: Atomics.load(control, Control.CHUNKS),
    chunkSize: Atomics.load(control, Control.CHUNK_SIZE),
    cost: costs[COST_NAMES[Atomics.load(control, Control.COST)]],
  };
}

/** Claims the next chunk of `step`; −1 when none is left or the pool has moved on to another step. */
export function claim(control: Int32Array, step: ChunkStep): number {
  for (;;) {
    const next = Atomics.load(control, Control.NEXT);
    if (next >>> 16 !== step.tag) return -1;
    const c = next & 0xffff;
    if (c >= step.chunks) return -1;
    if (Atomics.compareExchange(control, Control.NEXT, next, tagged(step.tag, c + 1)) === next) return c;
  }
}

/** One more chunk after chunk 0 is finished: the caller wakes when all are. */
export function finished(control: Int32Array, step: ChunkStep, chunks = 1): void {
  if (Atomics.add(control, Control.DONE, chunks) + chunks >= step.chunks - 1) Atomics.notify(control, Control.DONE);
}

/**
 * After a failure: no more chunks for anyone (the unclaimed ones count as finished), and the step
 * marked failed. `own` is the failed chunk when it is not chunk 0 (which DONE does not count).
 */
export function giveUp(control: Int32Array, step: ChunkStep, own: boolean): void {
  Atomics.store(control, Control.FAILED, 1);
  const before = Atomics.exchange(control, Control.NEXT, tagged(step.tag, step.chunks));
  const unclaimed = before >>> 16 === step.tag ? Math.max(0, step.chunks - Math.max(1, before & 0xffff)) : 0;
  finished(control, step, unclaimed + (own ? 1 : 0));
}

/**
 * Runs chunks of `step` on `batch` (a thread's own copy of the network) until none is left to
 * claim: the step's values are loaded once, then for each chunk the copy's gradients are zeroed,
 * the chunk runs forward and backward, and its gradient and E are written to its rows. A failure
 * gives the step up (giveUp) and is thrown.
 */
export function runChunks(batch: CompiledBatch, views: SharedViews, step: ChunkStep): void {
  const { inputSize: n, outputSize: m } = batch;
  const { control } = views;
  let parameters: readonly Parameter[] | null = null;
  for (;;) {
    const c = claim(control, step);
    if (c < 0) return;
    const from = c * step.chunkSize;
    const to = Math.min(step.count, from + step.chunkSize);
    try {
      if (parameters === null) {
        // (the copy's gradients are replaced by each chunk's: nothing else writes them)
        parameters = batch.network.parameters();
        let at = 0;
        for (const p of parameters) {
          p.value.set(views.values.subarray(at, at + p.value.length));
          at += p.value.length;
        }
      }
      batch.forward(views.inputs.subarray(from * n, to * n), () => Atomics.add(control, Control.CHECKED, 1));
      views.errors[c] = batch.backward(views.targets.subarray(from * m, to * m), {
        cost: step.cost,
        accumulate: false,
      });
      let at = c * views.total;
      for (const p of parameters) {
        views.gradients.set(p.gradient, at);
        at += p.gradient.length;
      }
    } catch (error) {
      // name the samples of the whole batch (the chunk's own numbering starts at its first)
      if (error instanceof Error) error.message = `samples ${from} to ${to - 1} of the batch: ${error.message}`;
      giveUp(control, step, true);
      throw error;
    }
    finished(control, step);
  }
}
