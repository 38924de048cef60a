/** Messages and shared memory between `parallelBatch` and its worker threads (batch-worker.ts). */
import type { AnyNetworkJSON } from '@synaptic/core';
import type { Precision } from './kernels.js';

/**
 * The memory every thread of one pool shares (Float64 unless said):
 * - `control`: Int32, the slots of `Control` (a step is started and finished through it, with
 *   Atomics.wait and Atomics.notify: no message per step);
 * - `values`: the network's parameter values at this step (in parameters() order);
 * - `gradients`: one row of `total` numbers per chunk, that chunk's summed gradient;
 * - `errors`: one number per chunk, E summed over its samples;
 * - `samples`: the batch's inputs (batchSize × n), then its targets (batchSize × m).
 */
export interface SharedBuffers {
  readonly control: SharedArrayBuffer;
  readonly values: SharedArrayBuffer;
  readonly gradients: SharedArrayBuffer;
  readonly errors: SharedArrayBuffer;
  readonly samples: SharedArrayBuffer;
}

/** Slots of the shared Int32 `control` array. */
export const Control = {
  /** the step's number (15 bits, wrapping); bumped, then notified, to start a step; STOP_STEP stops the workers */
  STEP: 0,
  /** (step << 16) | the next chunk to claim: claimed by compare-and-exchange, so a late thread cannot claim a chunk of a step it has not read */
  NEXT: 1,
  /** chunks after chunk 0 finished (or given up after a failure); notified when it reaches CHUNKS − 1 */
  DONE: 2,
  /** 1 when a chunk of this step failed (its thread has posted a `failed` message) */
  FAILED: 3,
  /** the step: its samples, chunks, the most samples of a chunk, and its cost (index into COST_NAMES) */
  COUNT: 4,
  CHUNKS: 5,
  CHUNK_SIZE: 6,
  COST: 7,
  /** chunks after chunk 0 whose inputs a worker's forward has found finite */
  CHECKED: 9,
  /** workers asleep in Atomics.wait on STEP (the caller notifies only when there are some) */
  SLEEPING: 8,
  SLOTS: 10,
} as const;

export const STOP_STEP = -1;

export interface StartMessage {
  readonly type: 'start';
  readonly network: AnyNetworkJSON;
  /** the most samples of one chunk */
  readonly chunkSize: number;
  /** the most samples of one batch */
  readonly batchSize: number;
  readonly precision: Precision;
  readonly backend: 'auto' | 'wasm' | 'js';
  readonly buffers: SharedBuffers;
}

export type ToBatchWorker = StartMessage;

export type FromBatchWorker =
  | { readonly type: 'ready' }
  /** a worker could not start (step 0), or a chunk of `step` failed */
  | { readonly type: 'failed'; readonly step: number; readonly message: string };
