/**
 * Both cores (or more): data-parallel mini-batches. A batch is cut into shards, the first run on
 * this thread and each other one in a worker thread over a copy of the network; every shard's
 * summed gradient is then added to the network's gradients, in shard order, so the result is
 * deterministic and equals one thread's up to the rounding of that one extra sum per shard.
 * Node.js only (worker_threads); weights go to the workers through shared memory at each step.
 */
import {
  builtInCostName,
  type CostFunction,
  type CostName,
  cost as costs,
  InvalidArgumentError,
  InvalidValueError,
  type Network,
  SizeMismatchError,
  SynapticError,
} from '@synaptic/core';
import { type BatchOptions, compileBatch, type CompiledBatch } from './batch.js';
import type { FromBatchWorker, ToBatchWorker } from './parallel-protocol.js';

declare const __SYNAPTIC_BATCH_WORKER_FILE__: string | undefined;

export interface ParallelBatchOptions extends BatchOptions {
  /** threads, this one included (default 2); the batch is cut into this many shards */
  readonly threads?: number;
  /** the worker script; default: batch-worker.js next to this package's build */
  readonly workerUrl?: URL | string;
}

/** A worker thread failed or could not start. */
export class BatchWorkerError extends SynapticError {
  override name = 'BatchWorkerError';
}

interface NodeWorker {
  postMessage(message: ToBatchWorker): void;
  on(event: 'message', handler: (message: FromBatchWorker) => void): void;
  on(event: 'error', handler: (error: Error) => void): void;
  terminate(): Promise<number>;
}

interface Shard {
  readonly worker: NodeWorker;
  readonly values: Float64Array;
  readonly grads: Float64Array;
  readonly inputs: Float64Array;
  readonly targets: Float64Array;
  pending: { resolve: (error: number) => void; reject: (error: Error) => void } | null;
}

function defaultWorkerUrl(): URL {
  const file =
    typeof __SYNAPTIC_BATCH_WORKER_FILE__ === 'string' ? __SYNAPTIC_BATCH_WORKER_FILE__ : './batch-worker.js';
  return new URL(file, import.meta.url);
}

/**
 * The built-in cost `fn` is, by identity, or by name and behaviour (a second copy of core, as
 * when a bundler or loader resolves core twice, has equal functions that are not the same object):
 * E and ∂E/∂y must agree on a probe.
 */
function costName(fn: CostFunction): CostName | null {
  const known = builtInCostName(fn);
  if (known !== null || typeof fn !== 'function' || typeof fn.gradient !== 'function') return known;
  const name = fn.name as CostName;
  if (!Object.hasOwn(costs, name)) return null;
  const builtIn = costs[name];
  if (typeof builtIn.gradient !== 'function') return null;
  const t = [0, 1, 0.25];
  const y = [0.375, 0.5, 0.875];
  const a = new Float64Array(3);
  const b = new Float64Array(3);
  fn.gradient(t, y, a);
  builtIn.gradient(t, y, b);
  return fn(t, y) === builtIn(t, y) && a.every((v, k) => v === b[k]) ? name : null;
}

/** into[k − from] = source[k] for from ≤ k < to (one native copy from a typed array). */
function copyRange(into: Float64Array, source: ArrayLike<number>, from: number, to: number): void {
  if (ArrayBuffer.isView(source)) into.set((source as unknown as Float64Array).subarray(from, to));
  else for (let k = from; k < to; k++) into[k - from] = source[k];
}

/** A network trained on shards of each batch in several threads. Made by `parallelBatch`; call `close()` when done. */
export class ParallelBatch {
  private closed = false;

  constructor(
    readonly network: Network,
    readonly batchSize: number,
    private readonly local: CompiledBatch,
    private readonly shards: Shard[],
  ) {}

  get threads(): number {
    return this.shards.length + 1;
  }

  /**
   * Runs `inputs` (count × n, count ≤ batchSize) forward and backward against `targets` and adds
   * the gradient summed over the samples to the network's parameter gradients. Resolves to E
   * summed over the samples.
   */
  async backward(
    inputs: ArrayLike<number>,
    targets: ArrayLike<number>,
    options: { cost?: CostFunction } = {},
  ): Promise<number> {
    if (this.closed) throw new InvalidArgumentError('parallel batch: closed');
    const fn = options.cost ?? costs.MSE;
    const name = costName(fn);
    if (name === null)
      throw new InvalidArgumentError(
        'parallel batch: the cost must be a built-in one (cost.MSE, cost.CROSS_ENTROPY) so workers can use it',
      );
    const n = this.local.inputSize;
    const m = this.local.outputSize;
    const count = inputs.length / n;
    if (!Number.isInteger(count) || count < 1 || count > this.batchSize)
      throw new SizeMismatchError(
        `parallel batch inputs (1 to ${this.batchSize} samples of ${n})`,
        n * this.batchSize,
        inputs.length,
      );
    if (targets.length !== count * m)
      throw new SizeMismatchError(`parallel batch targets (${count} samples of ${m})`, count * m, targets.length);
    // every value checked before any shard runs, so a bad one changes no gradient
    for (let k = 0; k < inputs.length; k++)
      if (!Number.isFinite(inputs[k]))
        throw new InvalidValueError(`parallel batch input ${k % n} of sample ${Math.floor(k / n)}`, inputs[k]);
    for (let k = 0; k < targets.length; k++)
      if (!Number.isFinite(targets[k]))
        throw new InvalidValueError(`parallel batch target ${k % m} of sample ${Math.floor(k / m)}`, targets[k]);
    const parameters = this.network.parameters();
    const share = Math.ceil(count / this.threads);
    const jobs: Array<Promise<number>> = [];
    this.shards.forEach((shard, w) => {
      const from = Math.min(count, share * (w + 1));
      const to = Math.min(count, from + share);
      if (to <= from) return;
      let at = 0;
      for (const p of parameters) {
        shard.values.set(p.value, at);
        at += p.value.length;
      }
      copyRange(shard.inputs, inputs, from * n, to * n);
      copyRange(shard.targets, targets, from * m, to * m);
      jobs.push(
        new Promise<number>((resolve, reject) => {
          shard.pending = { resolve, reject };
          shard.worker.postMessage({ type: 'step', count: to - from, cost: name });
        }),
      );
    });
    // this thread's shard meanwhile, straight into the network's gradients
    const mine = Math.min(count, share);
    const slice = (a: ArrayLike<number>, k: number) =>
      ArrayBuffer.isView(a) ? (a as unknown as Float64Array).subarray(0, k) : Array.prototype.slice.call(a, 0, k);
    this.local.forward(slice(inputs, mine * n));
    let error = this.local.backward(slice(targets, mine * m), { cost: fn });
    const results = await Promise.all(jobs);
    results.forEach((e, w) => {
      error += e;
      const grads = this.shards[w].grads;
      let at = 0;
      for (const p of parameters) {
        const g = p.gradient;
        for (let k = 0; k < g.length; k++) g[k] += grads[at + k];
        at += g.length;
      }
    });
    return error;
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.shards.map((s) => s.worker.terminate()));
  }
}

/**
 * Compiles `network` for batches of `batchSize` run in `threads` threads (this one and
 * threads − 1 workers). The network must not change structure while the pool is open.
 */
export async function parallelBatch(network: Network, options: ParallelBatchOptions): Promise<ParallelBatch> {
  const threads = options.threads ?? 2;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64)
    throw new InvalidArgumentError(`parallelBatch: threads must be an integer from 1 to 64, got ${String(threads)}`);
  const local = compileBatch(network, { ...options, batchSize: Math.ceil(options.batchSize / threads) });
  const shardSize = local.batchSize;
  let WorkerClass: new (url: URL | string) => NodeWorker;
  try {
    ({ Worker: WorkerClass } = (await import('node:worker_threads')) as unknown as {
      Worker: new (url: URL | string) => NodeWorker;
    });
  } catch (error) {
    throw new BatchWorkerError(`parallelBatch needs Node.js worker_threads: ${String(error)}`);
  }
  const total = network.parameters().reduce((s, p) => s + p.value.length, 0);
  const json = network.toJSON();
  const url = options.workerUrl ?? defaultWorkerUrl();
  const shards: Shard[] = [];
  const starting: Array<Promise<void>> = [];
  for (let w = 1; w < threads; w++) {
    const parameters = new SharedArrayBuffer(total * 16);
    const samples = new SharedArrayBuffer((local.inputSize + local.outputSize) * shardSize * 8);
    let worker: NodeWorker;
    try {
      worker = new WorkerClass(url);
    } catch (error) {
      await Promise.all(shards.map((s) => s.worker.terminate()));
      throw new BatchWorkerError(`parallelBatch could not start a worker (${String(url)}): ${String(error)}`);
    }
    const shard: Shard = {
      worker,
      values: new Float64Array(parameters, 0, total),
      grads: new Float64Array(parameters, total * 8, total),
      inputs: new Float64Array(samples, 0, local.inputSize * shardSize),
      targets: new Float64Array(samples, local.inputSize * shardSize * 8, local.outputSize * shardSize),
      pending: null,
    };
    starting.push(
      new Promise<void>((resolve, reject) => {
        shard.pending = { resolve: () => resolve(), reject };
        worker.on('message', (message) => {
          const pending = shard.pending;
          shard.pending = null;
          if (message.type === 'failed')
            pending?.reject(new BatchWorkerError(`a worker of parallelBatch failed: ${message.message}`));
          else pending?.resolve(message.type === 'done' ? message.error : 0);
        });
        worker.on('error', (error) => {
          const pending = shard.pending;
          shard.pending = null;
          pending?.reject(new BatchWorkerError(`a worker of parallelBatch failed (${String(url)}): ${error.message}`));
        });
      }),
    );
    worker.postMessage({
      type: 'start',
      network: json,
      batchSize: shardSize,
      precision: options.precision ?? 'f64',
      backend: options.backend ?? 'auto',
      parameters,
      samples,
    });
    shards.push(shard);
  }
  try {
    await Promise.all(starting);
  } catch (error) {
    await Promise.all(shards.map((s) => s.worker.terminate()));
    throw error;
  }
  return new ParallelBatch(network, options.batchSize, local, shards);
}
