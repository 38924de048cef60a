/**
 * Both cores (or more): data-parallel mini-batches. A batch is cut into chunks (one per thread).
 * This thread runs chunk 0 straight into the network's gradients; the others are claimed one at a
 * time from shared memory (chunks.ts) by the workers, each over its own copy of the network, and
 * by this thread once chunk 0 is done (over a spare copy); each such chunk's summed gradient has
 * its own row, added to the network's gradients in chunk order, so the result is deterministic
 * (whichever thread ran a chunk) and equals one thread's up to the rounding of one extra sum per
 * chunk. Claiming chunks, rather than one fixed shard per thread, keeps a worker that starts late
 * (a loaded machine) from holding the step up: this thread runs its chunk instead. Node.js only (worker_threads); the
 * weights, samples and gradients travel through shared memory, a step's messages carry no data.
 */
import {
  builtInCostName,
  type CostFunction,
  type CostName,
  cost as costs,
  InvalidArgumentError,
  InvalidValueError,
  Network,
  SizeMismatchError,
  SynapticError,
} from '@synaptic/core';
import { type BatchOptions, compileBatch, type CompiledBatch } from './batch.js';
import { allocateShared, runChunks, type SharedViews, sharedViews } from './chunks.js';
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
  pending: { resolve: () => void; reject: (error: Error) => void } | null;
}

/**
 * Chunks per thread. More would let the threads balance finer, but each chunk costs a pass of
 * zeroing, copying out and adding every gradient, and on a 2-core machine (memory at ~6 GB/s) two
 * per thread cost more than they balanced; with one, a thread that starts late still loses its
 * chunk to one that is free.
 */
const CHUNKS_PER_THREAD = 1;

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

/** A network trained on chunks of each batch in several threads. Made by `parallelBatch`; call `close()` when done. */
export class ParallelBatch {
  private closed = false;

  constructor(
    readonly network: Network,
    readonly batchSize: number,
    /** this thread's batch over the network itself: chunk 0, straight into its gradients */
    private readonly local: CompiledBatch,
    /** this thread's batch over a copy, for the chunks it takes over from late workers */
    private readonly spare: CompiledBatch,
    private readonly shards: Shard[],
    private readonly views: SharedViews,
  ) {}

  get threads(): number {
    return this.shards.length + 1;
  }

  /**
   * Runs `inputs` (count × n, count ≤ batchSize) forward and backward against `targets` and adds
   * the gradient summed over the samples to the network's parameter gradients. Resolves to E
   * summed over the samples. A bad input or target is refused before anything runs.
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
    // every value checked before any chunk runs, so a bad one changes no gradient
    for (let k = 0; k < inputs.length; k++)
      if (!Number.isFinite(inputs[k]))
        throw new InvalidValueError(`parallel batch input ${k % n} of sample ${Math.floor(k / n)}`, inputs[k]);
    for (let k = 0; k < targets.length; k++)
      if (!Number.isFinite(targets[k]))
        throw new InvalidValueError(`parallel batch target ${k % m} of sample ${Math.floor(k / m)}`, targets[k]);
    const { views } = this;
    const parameters = this.network.parameters();
    let at = 0;
    for (const p of parameters) {
      views.values.set(p.value, at);
      at += p.value.length;
    }
    copyRange(views.inputs, inputs, 0, count * n);
    copyRange(views.targets, targets, 0, count * m);
    const chunkSize = this.local.batchSize;
    const step = { count, chunkSize, chunks: Math.ceil(count / chunkSize) };
    // chunk 0 is this thread's; the others are claimed by whichever thread is free first
    Atomics.store(views.control, 0, 1);
    const jobs = this.shards.map(
      (shard) =>
        new Promise<void>((resolve, reject) => {
          shard.pending = { resolve, reject };
          shard.worker.postMessage({ type: 'step', ...step, cost: name });
        }),
    );
    let failed: unknown = null;
    let error = 0;
    try {
      const first = Math.min(count, chunkSize);
      this.local.forward(views.inputs.subarray(0, first * n));
      error = this.local.backward(views.targets.subarray(0, first * m), { cost: fn });
      // then the chunks no worker has taken yet (all of them when the workers start late)
      runChunks(this.spare, views, step, fn);
    } catch (error) {
      // no more chunks for anyone, then wait for the workers to stop before saying so
      Atomics.store(views.control, 0, step.chunks);
      failed = error;
    }
    const results = await Promise.allSettled(jobs);
    if (failed !== null) throw failed;
    for (const r of results) if (r.status === 'rejected') throw r.reason;
    // the other chunks' rows added in chunk order, one pass over each gradient
    for (let c = 1; c < step.chunks; c++) error += views.errors[c];
    const rows = views.gradients;
    const stride = views.total;
    let from = 0;
    for (const p of parameters) {
      const g = p.gradient;
      for (let k = 0; k < g.length; k++) {
        let sum = g[k];
        for (let c = 1, at = from + k + stride; c < step.chunks; c++, at += stride) sum += rows[at];
        g[k] = sum;
      }
      from += g.length;
    }
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
  const chunkSize = Math.ceil(options.batchSize / (threads * CHUNKS_PER_THREAD));
  const json = network.toJSON();
  const local = compileBatch(network, { ...options, batchSize: chunkSize });
  // the chunks this thread takes over run on a copy, so that each has its own row of gradients
  const spare = compileBatch(Network.fromJSON(json), { ...options, batchSize: chunkSize });
  let WorkerClass: new (url: URL | string) => NodeWorker;
  try {
    ({ Worker: WorkerClass } = (await import('node:worker_threads')) as unknown as {
      Worker: new (url: URL | string) => NodeWorker;
    });
  } catch (error) {
    throw new BatchWorkerError(`parallelBatch needs Node.js worker_threads: ${String(error)}`);
  }
  const total = network.parameters().reduce((s, p) => s + p.value.length, 0);
  const chunks = Math.ceil(options.batchSize / chunkSize);
  const buffers = allocateShared(total, options.batchSize, local.inputSize, local.outputSize, chunks);
  const views = sharedViews(buffers, total, options.batchSize, local.inputSize, local.outputSize);
  const url = options.workerUrl ?? defaultWorkerUrl();
  const shards: Shard[] = [];
  const starting: Array<Promise<void>> = [];
  for (let w = 1; w < threads; w++) {
    let worker: NodeWorker;
    try {
      worker = new WorkerClass(url);
    } catch (error) {
      await Promise.all(shards.map((s) => s.worker.terminate()));
      throw new BatchWorkerError(`parallelBatch could not start a worker (${String(url)}): ${String(error)}`);
    }
    const shard: Shard = { worker, pending: null };
    starting.push(
      new Promise<void>((resolve, reject) => {
        shard.pending = { resolve, reject };
        worker.on('message', (message) => {
          const pending = shard.pending;
          shard.pending = null;
          if (message.type === 'failed')
            pending?.reject(new BatchWorkerError(`a worker of parallelBatch failed: ${message.message}`));
          else pending?.resolve();
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
      chunkSize,
      batchSize: options.batchSize,
      precision: options.precision ?? 'f64',
      backend: options.backend ?? 'auto',
      buffers,
    });
    shards.push(shard);
  }
  try {
    await Promise.all(starting);
  } catch (error) {
    await Promise.all(shards.map((s) => s.worker.terminate()));
    throw error;
  }
  return new ParallelBatch(network, options.batchSize, local, spare, shards, views);
}
