/**
 * The chunks of one parallel step, claimed dynamically: every thread of a pool (the caller's and
 * each worker) takes the next unclaimed chunk of the batch with an atomic add until none is left,
 * so a thread that the machine holds back takes fewer chunks instead of holding the others up.
 * Each chunk's summed gradient and E go into the chunk's own row of shared memory; the caller
 * then adds the rows in chunk order, so the result does not depend on which thread ran what.
 */
import type { CostFunction, Parameter } from '@synaptic/core';
import type { CompiledBatch } from './batch.js';
import type { SharedBuffers } from './parallel-protocol.js';

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

/** Shared memory for a pool of batches up to `batchSize` samples of n inputs and m outputs, in up to `chunks` chunks. */
export function allocateShared(total: number, batchSize: number, n: number, m: number, chunks: number): SharedBuffers {
  return {
    control: new SharedArrayBuffer(4),
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
  readonly count: number;
  readonly chunks: number;
  readonly chunkSize: number;
}

/**
 * Runs chunks of `step` on `batch` (a thread's own copy of the network) until none is left to
 * claim: the step's values are loaded once, then for each chunk the copy's gradients are zeroed,
 * the chunk runs forward and backward, and its gradient and E are written to its rows.
 */
export function runChunks(batch: CompiledBatch, views: SharedViews, step: ChunkStep, cost: CostFunction): void {
  const { inputSize: n, outputSize: m } = batch;
  let parameters: readonly Parameter[] | null = null;
  for (;;) {
    const c = Atomics.add(views.control, 0, 1);
    if (c >= step.chunks) return;
    if (parameters === null) {
      parameters = batch.network.parameters();
      let at = 0;
      for (const p of parameters) {
        p.value.set(views.values.subarray(at, at + p.value.length));
        at += p.value.length;
      }
    }
    for (const p of parameters) p.gradient.fill(0);
    const from = c * step.chunkSize;
    const to = Math.min(step.count, from + step.chunkSize);
    try {
      batch.forward(views.inputs.subarray(from * n, to * n));
      views.errors[c] = batch.backward(views.targets.subarray(from * m, to * m), { cost });
    } catch (error) {
      // name the samples of the whole batch (the chunk's own numbering starts at its first)
      if (error instanceof Error) error.message = `samples ${from} to ${to - 1} of the batch: ${error.message}`;
      throw error;
    }
    let at = c * views.total;
    for (const p of parameters) {
      views.gradients.set(p.gradient, at);
      at += p.gradient.length;
    }
  }
}
