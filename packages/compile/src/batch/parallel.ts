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
  type Parameter,
  SizeMismatchError,
  SynapticError,
} from '@synaptic/core';
import { type BatchOptions, compileBatch, type CompiledBatch } from './batch.js';
import {
  allocateShared,
  type ChunkStep,
  COST_NAMES,
  giveUp,
  runChunks,
  SPIN_MS,
  type SharedViews,
  sharedViews,
  spinWhile,
} from './chunks.js';
import { Control, type FromBatchWorker, STOP_STEP, type ToBatchWorker } from './parallel-protocol.js';

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

/** What the workers have said outside a step's shared memory: why a chunk failed, or that a thread died. */
class PoolEvents {
  /** why chunks failed, by step number (the latest step's only: older ones are dropped) */
  private readonly failures = new Map<number, string>();
  broken: Error | null = null;
  private waiting: (() => void) | null = null;

  /** a worker posted `failed` */
  failed(step: number, message: string): void {
    this.failures.clear();
    this.failures.set(step, message);
    this.wake();
  }

  died(error: Error): void {
    this.broken ??= error;
    this.wake();
  }

  /** the error to throw for a failed step (a thread's death, else the first reason posted) */
  failure(step: number): Error {
    if (this.broken !== null) return this.broken;
    return new BatchWorkerError(`a worker of parallelBatch failed: ${this.failures.get(step) ?? 'no reason given'}`);
  }

  /** resolves once the failure of `step` (or a thread's death) is known */
  async until(step: number): Promise<void> {
    while (!this.failures.has(step) && this.broken === null) await this.next();
  }

  /** resolves at the next failure or death */
  private next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }
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

/** into[k − from] = source[k] for from ≤ k < to, each value checked on the way. Returns the first k that is not finite, or −1. */
function copyChecked(into: Float64Array, source: ArrayLike<number>, from: number, to: number): number {
  for (let k = from; k < to; k++) {
    const v = +source[k];
    into[k - from] = v;
    if (v - v !== 0) return k;
  }
  return -1;
}

/** The first k in [from, to) where values[k] is not finite (at f32: not finite as a float32), or −1. */
function firstBad(values: Float64Array, from: number, to: number, f32: boolean): number {
  for (let k = from; k < to; k++) {
    const v = values[k];
    if (v - v !== 0 || (f32 && Math.fround(v) - Math.fround(v) !== 0)) return k;
  }
  return -1;
}

/** Steps' numbers run 1..STEP_TAGS and wrap (15 bits: a claim packs it with the chunk). */
const STEP_TAGS = 0x7fff;

/** Waits up to this long at a time for the workers' chunks, then lets the event loop see their errors. */
const WAIT_SLICE_MS = 20;

/** A network trained on chunks of each batch in several threads. Made by `parallelBatch`; call `close()` when done. */
export class ParallelBatch {
  private closed = false;
  private step = 0;

  constructor(
    readonly network: Network,
    readonly batchSize: number,
    /** this thread's batch over the network itself: chunk 0, straight into its gradients */
    private readonly local: CompiledBatch,
    /** this thread's batch over a copy, for the chunks it takes over from late workers */
    private readonly spare: CompiledBatch,
    private readonly workers: NodeWorker[],
    private readonly views: SharedViews,
    private readonly events: PoolEvents,
  ) {}

  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * Runs `inputs` (count × n, count ≤ batchSize) forward and backward against `targets` and adds
   * the gradient summed over the samples to the network's parameter gradients. Resolves to E
   * summed over the samples. A bad input or target is refused before any gradient changes.
   */
  async backward(
    inputs: ArrayLike<number>,
    targets: ArrayLike<number>,
    options: { cost?: CostFunction } = {},
  ): Promise<number> {
    if (this.closed) throw new InvalidArgumentError('parallel batch: closed');
    if (this.events.broken !== null) throw this.events.broken;
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
    const { views } = this;
    const control = views.control;
    const chunkSize = this.local.batchSize;
    const chunks = Math.ceil(count / chunkSize);
    const first = Math.min(count, chunkSize);
    // the samples of chunks 1.. into shared memory, every value checked, before anything runs
    // (chunk 0's are read where they are, and checked by its forward and backward before its gradient is added)
    // the targets of chunks 1.. into shared memory, checked (chunk 0's are checked by its backward before it adds anything)
    const badTarget = copyChecked(views.targets.subarray(first * m), targets, first * m, count * m);
    if (badTarget >= 0)
      throw new InvalidValueError(
        `parallel batch target ${badTarget % m} of sample ${Math.floor(badTarget / m)}`,
        targets[badTarget],
      );
    // the inputs of chunks 1.. copied as they are: the workers' forwards check them (CHECKED), and
    // this thread checks whatever they have not when its own gradient is about to be added
    const typed = inputs instanceof Float64Array && targets instanceof Float64Array;
    if (typed) views.inputs.set((inputs as Float64Array).subarray(first * n, count * n), first * n);
    else {
      for (let k = 0; k < count * n; k++) views.inputs[k] = +inputs[k];
      for (let k = 0; k < first * m; k++) views.targets[k] = +targets[k];
    }
    const ownInputs = typed ? (inputs as Float64Array).subarray(0, first * n) : views.inputs.subarray(0, first * n);
    const ownTargets = typed ? (targets as Float64Array).subarray(0, first * m) : views.targets.subarray(0, first * m);
    const parameters = this.network.parameters();
    if (chunks > 1) {
      let at = 0;
      for (const p of parameters) {
        views.values.set(p.value, at);
        at += p.value.length;
      }
    }
    // the step, then its number, then wake the workers (they read the step after its number)
    this.step = (this.step % STEP_TAGS) + 1;
    const tag = this.step;
    Atomics.store(control, Control.COUNT, count);
    Atomics.store(control, Control.CHUNKS, chunks);
    Atomics.store(control, Control.CHUNK_SIZE, chunkSize);
    Atomics.store(control, Control.COST, COST_NAMES.indexOf(name));
    Atomics.store(control, Control.DONE, 0);
    Atomics.store(control, Control.FAILED, 0);
    Atomics.store(control, Control.CHECKED, 0);
    Atomics.store(control, Control.NEXT, (tag << 16) | 1);
    Atomics.store(control, Control.STEP, tag);
    if (chunks > 1 && Atomics.load(control, Control.SLEEPING) > 0) Atomics.notify(control, Control.STEP);
    const step = { tag, count, chunks, chunkSize, cost: fn };
    let failed: unknown = null;
    let error = 0;
    try {
      this.local.forward(ownInputs);
      // before this thread's gradient is added, every input of the batch must be known finite
      const unchecked =
        Atomics.load(control, Control.CHECKED) < chunks - 1 || Atomics.load(control, Control.FAILED) === 1;
      const bad = unchecked ? firstBad(views.inputs, first * n, count * n, this.local.precision === 'f32') : -1;
      if (bad >= 0)
        throw new InvalidValueError(
          `parallel batch input ${bad % n} of sample ${Math.floor(bad / n)}`,
          views.inputs[bad],
        );
      error = this.local.backward(ownTargets, { cost: fn });
    } catch (thrown) {
      giveUp(control, step, false);
      failed = thrown;
    }
    // then the chunks no worker has taken yet (all of them when the workers wake late)
    if (failed === null)
      try {
        runChunks(this.spare, views, step);
      } catch (thrown) {
        failed = thrown;
      }
    await this.finish(step);
    if (failed !== null) throw failed;
    if (Atomics.load(control, Control.FAILED) === 1) {
      await this.events.until(tag);
      throw this.events.failure(tag);
    }
    // the other chunks' rows added in chunk order, one pass over each gradient
    for (let c = 1; c < chunks; c++) error += views.errors[c];
    addRows(this.local, parameters, views.gradients, views.total, chunks);
    return error;
  }

  /** Until every chunk after chunk 0 is finished; between slices of waiting the event loop runs (a worker's death is an event). */
  private async finish(step: ChunkStep): Promise<void> {
    const control = this.views.control;
    const last = step.chunks - 1;
    let done = Atomics.load(control, Control.DONE);
    if (done < last) done = spinWhile(control, Control.DONE, done, SPIN_MS);
    for (;;) {
      if (done >= last) return;
      if (Atomics.wait(control, Control.DONE, done, WAIT_SLICE_MS) === 'timed-out') {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.events.broken !== null) throw this.events.failure(step.tag);
      }
      done = Atomics.load(control, Control.DONE);
    }
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      Atomics.store(this.views.control, Control.STEP, STOP_STEP);
      Atomics.notify(this.views.control, Control.STEP);
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** gradient += row c for c = 1..chunks − 1, in that order (every parameter, in parameters() order). */
function addRows(
  local: CompiledBatch,
  parameters: readonly Parameter[],
  rows: Float64Array,
  stride: number,
  chunks: number,
): void {
  let from = 0;
  for (const p of parameters) {
    const g = p.gradient;
    const length = g.length;
    if (chunks === 2) local.addToGradient(g, rows.subarray(from + stride, from + stride + length));
    else {
      for (let k = 0; k < length; k++) {
        let sum = g[k];
        for (let c = 1, at = from + k + stride; c < chunks; c++, at += stride) sum += rows[at];
        g[k] = sum;
      }
    }
    from += length;
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
  const events = new PoolEvents();
  const workers: NodeWorker[] = [];
  const starting: Array<Promise<void>> = [];
  for (let w = 1; w < threads; w++) {
    let worker: NodeWorker;
    try {
      worker = new WorkerClass(url);
    } catch (error) {
      await Promise.all(workers.map((s) => s.terminate()));
      throw new BatchWorkerError(`parallelBatch could not start a worker (${String(url)}): ${String(error)}`);
    }
    starting.push(
      new Promise<void>((resolve, reject) => {
        let ready = false;
        worker.on('message', (message) => {
          if (message.type === 'ready') {
            ready = true;
            resolve();
          } else if (ready) events.failed(message.step, message.message);
          else reject(new BatchWorkerError(`a worker of parallelBatch could not start: ${message.message}`));
        });
        worker.on('error', (error) => {
          const failure = new BatchWorkerError(`a worker of parallelBatch failed (${String(url)}): ${error.message}`);
          if (ready) events.died(failure);
          else reject(failure);
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
    workers.push(worker);
  }
  try {
    await Promise.all(starting);
  } catch (error) {
    await Promise.all(workers.map((s) => s.terminate()));
    throw error;
  }
  return new ParallelBatch(network, options.batchSize, local, spare, workers, views, events);
}
