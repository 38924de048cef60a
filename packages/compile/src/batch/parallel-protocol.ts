/** Messages and shared memory between `parallelBatch` and its worker threads (batch-worker.ts). */
import type { AnyNetworkJSON, CostName } from '@synaptic/core';
import type { Precision } from './kernels.js';

/**
 * The memory every thread of one pool shares (Float64 unless said):
 * - `control`: Int32 [the next chunk to claim], taken with Atomics.add;
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

/** Run chunks of the batch in `samples` (count samples, cut into `chunks` of `chunkSize`) until none is left. */
export interface StepMessage {
  readonly type: 'step';
  readonly count: number;
  readonly chunks: number;
  readonly chunkSize: number;
  readonly cost: CostName;
}

export type ToBatchWorker = StartMessage | StepMessage;

export type FromBatchWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'done' }
  | { readonly type: 'failed'; readonly message: string };
