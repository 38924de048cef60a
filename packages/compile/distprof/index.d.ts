import { NetworkExecutor, Network, AnyNetworkJSON, SynapticError, CostFunction } from '@synaptic/core';

/**
 * Reads a network's structure (stores, blocks, segments, gates) and decides how to run it:
 * which layers become loops, which blocks need no eligibility memory, where back-propagated
 * errors can be accumulated row by row. Nothing here generates code; `emit.ts` does.
 */

interface PlanOptions {
  /** irregular units compiled one by one before the rest fall back to the interpreter */
  maxUnitGroups?: number;
  /**
   * true: repeat the interpreter's arithmetic in its order, for bit-identical results.
   * false (default): fold the extended traces toward self-less units into one coefficient per
   * unit (eq. 24 regrouped), which is much faster on gated networks such as LSTMs and agrees with
   * the interpreter to rounding (about 1e-15 per step).
   */
  exact?: boolean;
  /**
   * true: a layer function's layer runs in generated code (each unit's state, core's kernel over
   * the layer, each unit's traces; the back-flow through the kernel), on arrays alone, as
   * standalone modules need. false (default): generated code calls core's steps for the layer.
   */
  inlineFunctions?: boolean;
}

interface CompileOptions extends PlanOptions {}
/** @internal for tests: pretend code generation is (not) allowed; null re-detects. */
declare function setCodeGenerationAllowed(allowed: boolean | null): void;
/** Whether `new Function` works here (a strict Content-Security-Policy forbids it). */
declare function canGenerateCode(): boolean;
/**
 * The executor that runs generated code on a network's own typed arrays; what `optimize`
 * attaches. Inputs are checked by the network before they get here.
 */
declare class CompiledExecutor implements NetworkExecutor {
  readonly epoch: number;
  /** the generated code, readable */
  readonly source: string;
  readonly network: Network;
  /** false when code generation is forbidden here and the interpreter runs instead */
  readonly generated: boolean;
  private readonly plan;
  private readonly memory;
  private readonly kernel;
  /** with generated code: `propagate` checks what it writes and keeps an undo log (see core's `PropagationGuard`) */
  readonly propagateChecked?: (rate: number, target: ArrayLike<number>) => boolean;
  readonly undoPropagate?: () => void;
  constructor(network: Network, options?: CompileOptions);
  inputs(): number;
  outputs(): number;
  activate(input: ArrayLike<number>): number[];
  propagate(rate: number, target: ArrayLike<number>): void;
  /** `Network.backward` in generated code: adds ∂E/∂θ to the parameters' gradients, changes no weight. */
  backward(outputError: Float64Array, atState: boolean): void;
  /** Forget the context kept outside the graph (the graph's own traces are cleared by the network). */
  clear(): void;
  /** Writes the traces compiled code keeps implicitly into the graph. */
  sync(): void;
  dispose(): void;
  /** The network as dependency-free source (core's `PortableNetwork`: for training in a worker). */
  portable(): {
    source: string;
  } | null;
  private interpretActivate;
  private interpretPropagate;
}
/**
 * A network compiled to JavaScript, used directly. It shares the network's storage: what it
 * learns is in the network's weights at once (`writeBack` only settles the traces), and a
 * structural change to the network makes it stale (it is rebuilt on the next call).
 */
declare class CompiledNetwork {
  readonly network: Network;
  private readonly options;
  private executor;
  constructor(network: Network, options?: CompileOptions);
  /** The generated source, readable. */
  get source(): string;
  inputs(): number;
  outputs(): number;
  activate(input: ArrayLike<number>): number[];
  propagate(rate: number | undefined, target: ArrayLike<number>): void;
  /** Forgets context: the network's traces and what the compiled code keeps. */
  clear(): void;
  /** Settles everything compiled code keeps implicitly into the network's storage. */
  writeBack(): Network;
  toJSON(): AnyNetworkJSON;
  private current;
}
/** Compiles `network` as it is now; use `optimize` to have the network run compiled code itself. */
declare function compile(network: Network, options?: CompileOptions): CompiledNetwork;
/**
 * Makes `network.activate`/`propagate` (and so any trainer) run compiled code. The code is
 * rebuilt after structural changes; `network.setOptimize(false)` returns to the interpreter.
 */
declare function optimize(network: Network, options?: CompileOptions): Network;

/**
 * Dependency-free source for a network: the generated kernel, the network's numbers and the
 * few functions that load them, in one expression. Used for standalone modules and for training
 * compiled networks in workers (core's `PortableNetwork`).
 */

/** A network that cannot be written as standalone source (a custom squash function, for one). */
declare class CompileError extends SynapticError {
  name: string;
}
/**
 * The expression `(function () { ...; return function build() { ... }; })()`: evaluating it gives
 * a function that builds a fresh, independent copy of the network as it is now.
 */
declare function bundleSource(
  network: Network,
  options?: {
    exact?: boolean;
  },
): string;
interface StandaloneOptions {
  /** 'esm' (default): a module exporting activate (and propagate with `train`), clear, toJSON.
   *  'cjs': the same with module.exports. 'function': an expression evaluating to a function
   *  that activates, like 1.x's standalone() and brain.js's toFunction(). */
  format?: 'esm' | 'cjs' | 'function';
  /** also export `propagate`, so the module can keep learning */
  train?: boolean;
  /** bit-identical arithmetic to the interpreter (see `compile`'s option) */
  exact?: boolean;
}
/** The source of a dependency-free module that runs `network` as it is now. */
declare function standalone(network: Network, options?: StandaloneOptions): string;

/**
 * The dense kernel of batched execution in JavaScript, over one typed array that holds every
 * matrix (the same layout the WebAssembly module reads in its memory).
 *
 * gemm: C[r][c] (+)= Σ_k A[r·ars + k·acs] · B[k·ldb + c] for r < M, c < N; offsets and strides in
 * elements; M a multiple of 4 and N of 8 (the caller pads). A 4 × 4 tile of C is kept in
 * locals while k runs, and the products are added in k order: the same operations, in the same
 * order, as src/wasm/gemm.wat, so at f64 both give the same bits.
 */
type Precision = 'f64' | 'f32';

/**
 * Batched execution: B samples of a layered network forward and backward at once, as matrix
 * products (eq. 15's sums and eq. 24's gradients over the whole batch) in WebAssembly SIMD or
 * JavaScript kernels. Gradients are ADDED to the network's own `parameters()` gradient arrays,
 * as B calls of `network.backward` would add them; the network's weights are read, never written,
 * and its neuron states are left alone.
 */

interface BatchOptions {
  /** the most samples one `forward` takes */
  readonly batchSize: number;
  /** 'f64' (default) or 'f32': the kernels' arithmetic and the heap they read */
  readonly precision?: Precision;
  /** 'auto' (default): WebAssembly SIMD where available, else JavaScript; 'wasm' insists; 'js' forces the fallback */
  readonly backend?: 'auto' | 'wasm' | 'js';
}
interface BatchBackwardOptions {
  /** default cost.MSE; a softmax output with cost.CROSS_ENTROPY uses ∂E/∂s = y·Σt − t, as `network.backward` does */
  readonly cost?: CostFunction;
  /** true (default): the batch's gradient is added to the parameters' gradients; false: it replaces them (fixed entries left alone), which saves zeroing them first */
  readonly accumulate?: boolean;
}
/** A network compiled for batches of up to `batchSize` samples. Made by `compileBatch`. */
declare class CompiledBatch {
  readonly network: Network;
  readonly batchSize: number;
  readonly precision: Precision;
  private readonly requested;
  private built;
  /** samples in the last forward; 0 before the first */
  private count;
  constructor(network: Network, options: BatchOptions);
  /** 'wasm' or 'js': which kernels run. */
  get backend(): 'wasm' | 'js';
  get inputSize(): number;
  get outputSize(): number;
  private build;
  /** The current build; rebuilt when the network's structure has changed since. */
  private current;
  /**
   * Runs `inputs` (count × inputSize numbers, sample after sample, 1 ≤ count ≤ batchSize)
   * forward. Returns the outputs, count × outputSize, in an array this batch reuses on the next
   * call. Reads the network's current weights and biases. `onChecked`, if given, is called once
   * every input is known to be finite, before any layer runs (parallelBatch's workers say so).
   */
  forward(inputs: ArrayLike<number>, onChecked?: () => void): Float64Array;
  /**
   * gradient[k] += row[k] for every k, where `gradient` is a parameter's gradient of this batch's
   * network (parallelBatch adds another thread's chunk with it): through the kernels when the
   * gradient lives in their heap (the adopted weight gradients), else in JavaScript. Same sums,
   * same order, either way.
   */
  addToGradient(gradient: Float64Array, row: Float64Array): void;
  /**
   * After `forward(inputs)`: adds ∂E/∂θ summed over its samples to every parameter's gradient
   * (the arrays of `network.parameters()`), fixed entries left alone. `targets` holds count ×
   * outputSize numbers. Returns E summed over the samples.
   */
  backward(targets: ArrayLike<number>, options?: BatchBackwardOptions): number;
}
/**
 * Compiles `network` for batches of up to `options.batchSize` samples. The network must be
 * layered (see `BatchUnsupportedError`); its weights may change between calls (they are read at
 * every forward), and a change of structure rebuilds the batch.
 */
declare function compileBatch(network: Network, options: BatchOptions): CompiledBatch;

/**
 * Which networks run as matrix products: layered ones, where each layer after the input takes one
 * dense ALL_TO_ALL block from the layer before it and nothing else (no gates, no self-connections,
 * no neuron-level links, no skips). Reading a network gives its `DenseChain`: per layer the live
 * arrays of the network (weights, biases, their gradients and fixed masks) and its activation.
 */

/** A network that batched execution cannot run, with the reason. */
declare class BatchUnsupportedError extends SynapticError {
  name: string;
}

/**
 * The WebAssembly SIMD kernels (src/wasm/gemm.wat, assembled into modules.generated.ts at build
 * time): found, compiled once per precision, and instantiated over a memory that holds every
 * matrix of one batched network. Where WebAssembly or its SIMD is missing, `wasmKernels` returns
 * null and the caller falls back to the JavaScript kernels.
 */

/** Whether the WebAssembly SIMD kernels can run here. */
declare function wasmSimdAvailable(): boolean;
/** `rounds` rounds of 8 independent SIMD multiply-add chains (the benchmark's peak); null without SIMD. */
declare function wasmPeak(precision: Precision): ((rounds: number) => number) | null;

/** Messages and shared memory between `parallelBatch` and its worker threads (batch-worker.ts). */

/**
 * The memory every thread of one pool shares (Float64 unless said):
 * - `control`: Int32, the slots of `Control` (a step is started and finished through it, with
 *   Atomics.wait and Atomics.notify: no message per step);
 * - `values`: the network's parameter values at this step (in parameters() order);
 * - `gradients`: one row of `total` numbers per chunk, that chunk's summed gradient;
 * - `errors`: one number per chunk, E summed over its samples;
 * - `samples`: the batch's inputs (batchSize × n), then its targets (batchSize × m).
 */
interface SharedBuffers {
  readonly control: SharedArrayBuffer;
  readonly values: SharedArrayBuffer;
  readonly gradients: SharedArrayBuffer;
  readonly errors: SharedArrayBuffer;
  readonly samples: SharedArrayBuffer;
}
interface StartMessage {
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
type ToBatchWorker = StartMessage;
type FromBatchWorker =
  | {
      readonly type: 'ready';
    }
  /** a worker could not start (step 0), or a chunk of `step` failed */
  | {
      readonly type: 'failed';
      readonly step: number;
      readonly message: string;
    };

/**
 * The chunks of one parallel step, claimed dynamically: every thread of a pool (the caller's and
 * each worker) takes the next unclaimed chunk of the batch with an atomic compare-and-exchange
 * until none is left, so a thread that the machine holds back takes fewer chunks instead of
 * holding the others up. Claims carry the step's number, so a thread that wakes late cannot take
 * a chunk of a step it has not read. Each chunk's summed gradient and E go into the chunk's own
 * row of shared memory; the caller then adds the rows in chunk order, so the result does not
 * depend on which thread ran what.
 */

interface SharedViews {
  readonly control: Int32Array;
  readonly values: Float64Array;
  readonly gradients: Float64Array;
  readonly errors: Float64Array;
  readonly inputs: Float64Array;
  readonly targets: Float64Array;
  /** numbers in one row of `gradients` (every parameter's) */
  readonly total: number;
}

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

interface ParallelBatchOptions extends BatchOptions {
  /** threads, this one included (default 2); the batch is cut into this many shards */
  readonly threads?: number;
  /** the worker script; default: batch-worker.js next to this package's build */
  readonly workerUrl?: URL | string;
}
/** A worker thread failed or could not start. */
declare class BatchWorkerError extends SynapticError {
  name: string;
}
interface NodeWorker {
  postMessage(message: ToBatchWorker): void;
  on(event: 'message', handler: (message: FromBatchWorker) => void): void;
  on(event: 'error', handler: (error: Error) => void): void;
  terminate(): Promise<number>;
}
/** What the workers have said outside a step's shared memory: why a chunk failed, or that a thread died. */
declare class PoolEvents {
  /** why chunks failed, by step number (the latest step's only: older ones are dropped) */
  private readonly failures;
  broken: Error | null;
  private waiting;
  /** a worker posted `failed` */
  failed(step: number, message: string): void;
  died(error: Error): void;
  /** the error to throw for a failed step (a thread's death, else the first reason posted) */
  failure(step: number): Error;
  /** resolves once the failure of `step` (or a thread's death) is known */
  until(step: number): Promise<void>;
  /** resolves at the next failure or death */
  private next;
  private wake;
}
/** A network trained on chunks of each batch in several threads. Made by `parallelBatch`; call `close()` when done. */
declare class ParallelBatch {
  readonly network: Network;
  readonly batchSize: number;
  /** this thread's batch over the network itself: chunk 0, straight into its gradients */
  private readonly local;
  /** this thread's batch over a copy, for the chunks it takes over from late workers */
  private readonly spare;
  private readonly workers;
  private readonly views;
  private readonly events;
  private closed;
  private step;
  constructor(
    network: Network,
    batchSize: number,
    /** this thread's batch over the network itself: chunk 0, straight into its gradients */
    local: CompiledBatch,
    /** this thread's batch over a copy, for the chunks it takes over from late workers */
    spare: CompiledBatch,
    workers: NodeWorker[],
    views: SharedViews,
    events: PoolEvents,
  );
  get threads(): number;
  /**
   * Runs `inputs` (count × n, count ≤ batchSize) forward and backward against `targets` and adds
   * the gradient summed over the samples to the network's parameter gradients. Resolves to E
   * summed over the samples. A bad input or target is refused before any gradient changes.
   */
  backward(
    inputs: ArrayLike<number>,
    targets: ArrayLike<number>,
    options?: {
      cost?: CostFunction;
    },
  ): Promise<number>;
  /** Until every chunk after chunk 0 is finished; between slices of waiting the event loop runs (a worker's death is an event). */
  private finish;
  /** Stops the worker threads. */
  close(): Promise<void>;
}
/**
 * Compiles `network` for batches of `batchSize` run in `threads` threads (this one and
 * threads − 1 workers). The network must not change structure while the pool is open.
 */
declare function parallelBatch(network: Network, options: ParallelBatchOptions): Promise<ParallelBatch>;

export {
  type BatchBackwardOptions,
  type BatchOptions,
  BatchUnsupportedError,
  BatchWorkerError,
  CompileError,
  type CompileOptions,
  CompiledBatch,
  CompiledExecutor,
  CompiledNetwork,
  ParallelBatch,
  type ParallelBatchOptions,
  type Precision,
  type StandaloneOptions,
  bundleSource,
  canGenerateCode,
  compile,
  compileBatch,
  optimize,
  parallelBatch,
  setCodeGenerationAllowed,
  standalone,
  wasmPeak,
  wasmSimdAvailable,
};
