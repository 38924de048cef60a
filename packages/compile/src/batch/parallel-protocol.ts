/** Messages between `parallelBatch` and its worker threads (batch-worker.ts). */
import type { AnyNetworkJSON, CostName } from '@synaptic/core';
import type { Precision } from './kernels.js';

export interface StartMessage {
  readonly type: 'start';
  readonly network: AnyNetworkJSON;
  readonly batchSize: number;
  readonly precision: Precision;
  readonly backend: 'auto' | 'wasm' | 'js';
  /** the parameters' values, then their gradients (Float64, in parameters() order) */
  readonly parameters: SharedArrayBuffer;
  /** this worker's shard: inputs (batchSize × n) then targets (batchSize × m) */
  readonly samples: SharedArrayBuffer;
}

export interface StepMessage {
  readonly type: 'step';
  readonly count: number;
  readonly cost: CostName;
}

export type ToBatchWorker = StartMessage | StepMessage;

export type FromBatchWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly error: number }
  | { readonly type: 'failed'; readonly message: string };
