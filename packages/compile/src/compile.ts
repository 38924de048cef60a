import {
  backwardLayers,
  checkRate,
  checkVector,
  InvalidArgumentError,
  NonFiniteError,
  type Network,
  type NetworkExecutor,
  type AnyNetworkJSON,
} from '@synaptic/core';
import { emit } from './emit.js';
import { linkGradients, linkUndoLog, materialize, memoryOf, type Memory } from './memory.js';
import { plan, type Plan, type PlanOptions } from './plan.js';
import { bundleSource } from './bundle.js';
import { OnlineWasmExecutor } from './online/online-executor.js';

export interface CompileOptions extends PlanOptions {
  /**
   * 'auto' (default): layered networks (those compileBatch runs, without layer functions or fixed
   * parameters) run `activate` and `propagate` in WebAssembly SIMD where it is available, the rest
   * in generated JavaScript; 'wasm' insists on WebAssembly; 'js' forces the generated JavaScript.
   * `exact: true` always runs JavaScript.
   */
  backend?: 'auto' | 'wasm' | 'js';
}

interface Kernel {
  activate(input: ArrayLike<number>, output: number[]): number[];
  /** true when every weight and bias it wrote is finite; else `undo` puts back what it changed */
  propagate(rate: number, target: ArrayLike<number>): boolean;
  undo(): void;
  backward(outputError: Float64Array, atState: boolean): void;
}

let functionsAllowed: boolean | null = null;
let warned = false;

/** @internal for tests: pretend code generation is (not) allowed; null re-detects. */
export function setCodeGenerationAllowed(allowed: boolean | null): void {
  functionsAllowed = allowed;
  warned = false;
}

/** Whether `new Function` works here (a strict Content-Security-Policy forbids it). */
export function canGenerateCode(): boolean {
  if (functionsAllowed === null) {
    try {
      functionsAllowed = new Function('return 1')() === 1;
    } catch {
      functionsAllowed = false;
    }
  }
  return functionsAllowed;
}

/**
 * The executor that runs generated code on a network's own typed arrays; what `optimize`
 * attaches. Inputs are checked by the network before they get here.
 */
export class CompiledExecutor implements NetworkExecutor {
  readonly epoch: number;
  readonly backend = 'js' as const;
  /** the generated code, readable */
  readonly source: string;
  readonly network: Network;
  /** false when code generation is forbidden here and the interpreter runs instead */
  readonly generated: boolean;
  private readonly plan: Plan;
  private readonly memory: Memory;
  private readonly kernel: Kernel | null;
  /** with generated code: `propagate` checks what it writes and keeps an undo log (see core's `PropagationGuard`) */
  readonly propagateChecked?: (rate: number, target: ArrayLike<number>) => boolean;
  readonly undoPropagate?: () => void;

  constructor(network: Network, options: CompileOptions = {}) {
    this.network = network;
    this.epoch = network.structureVersion();
    this.plan = plan(network, this.epoch, options);
    this.memory = memoryOf(this.plan);
    this.source = emit(this.plan).source;
    this.generated = canGenerateCode();
    if (this.generated) {
      const factory = new Function(`return ${this.source}`)() as (m: Memory) => Kernel;
      const kernel = factory(this.memory);
      this.kernel = kernel;
      this.propagateChecked = (rate, target) => {
        this.linkUndo();
        return kernel.propagate(rate, target);
      };
      this.undoPropagate = () => kernel.undo();
    } else {
      this.kernel = null;
      if (!warned) {
        warned = true;
        console.warn(
          '@synaptic/compile: code generation is not allowed here (Content-Security-Policy); networks run in the interpreter',
        );
      }
    }
  }

  inputs(): number {
    return this.plan.inputSize;
  }

  outputs(): number {
    return this.plan.outputSize;
  }

  activate(input: ArrayLike<number>): number[] {
    if (this.kernel === null) return this.interpretActivate(input);
    return this.kernel.activate(input, new Array<number>(this.plan.outputSize));
  }

  propagate(rate: number, target: ArrayLike<number>): void {
    if (this.kernel === null) {
      this.interpretPropagate(rate, target);
      return;
    }
    this.linkUndo();
    if (!this.kernel.propagate(rate, target)) {
      this.kernel.undo();
      throw new NonFiniteError(
        `propagate at rate ${rate}: a weight or bias would become NaN or Infinity; the propagation was undone (the weights are as they were)`,
        null,
      );
    }
  }

  private undoLinked = false;

  /** the undo log, allocated before the first generated `propagate` (see `memoryOf`) */
  private linkUndo(): void {
    if (this.undoLinked) return;
    linkUndoLog(this.memory);
    this.undoLinked = true;
  }

  /** `Network.backward` in generated code: adds ∂E/∂θ to the parameters' gradients, changes no weight. */
  backward(outputError: Float64Array, atState: boolean): void {
    if (this.kernel === null) backwardLayers(this.network.allLayers(), { values: outputError, atState });
    else {
      linkGradients(this.plan, this.memory);
      this.kernel.backward(outputError, atState);
    }
  }

  /** Forget the context kept outside the graph (the graph's own traces are cleared by the network). */
  clear(): void {
    this.memory.INF.fill(0);
    for (const acc of this.memory.acc) acc?.fill(0);
  }

  /** Writes the traces compiled code keeps implicitly into the graph. */
  sync(): void {
    if (this.kernel !== null) materialize(this.plan, this.memory);
  }

  dispose(): void {
    this.sync();
  }

  /** The network as dependency-free source (core's `PortableNetwork`: for training in a worker). */
  portable(): { source: string } | null {
    this.sync();
    // layer-level projections are not written as standalone source yet: the network travels as JSON
    if (this.plan.opLayers.length > 0) return null;
    return { source: bundleSource(this.network, { exact: this.plan.exact }) };
  }

  private interpretActivate(input: ArrayLike<number>): number[] {
    const layers = this.network.allLayers();
    layers[0].activate(input);
    for (let l = 1; l < layers.length - 1; l++) layers[l].activate();
    return layers[layers.length - 1].activate();
  }

  private interpretPropagate(rate: number, target: ArrayLike<number>): void {
    const layers = this.network.allLayers();
    layers[layers.length - 1].propagate(rate, target);
    for (let l = layers.length - 2; l >= 1; l--) layers[l].propagate(rate);
  }
}

/**
 * A network compiled to JavaScript, used directly. It shares the network's storage: what it
 * learns is in the network's weights at once (`writeBack` only settles the traces), and a
 * structural change to the network makes it stale (it is rebuilt on the next call).
 */
export class CompiledNetwork {
  private executor: CompiledExecutor | OnlineWasmExecutor;

  constructor(
    readonly network: Network,
    private readonly options: CompileOptions = {},
  ) {
    this.executor = executorFor(network, options);
  }

  /** 'wasm' when activate and propagate run in WebAssembly SIMD, else 'js' */
  get backend(): 'wasm' | 'js' {
    return this.current().backend;
  }

  /** The generated source, readable. */
  get source(): string {
    return this.current().source;
  }

  inputs(): number {
    return this.network.inputs();
  }

  outputs(): number {
    return this.network.outputs();
  }

  activate(input: ArrayLike<number>): number[] {
    checkVector(input, this.network.inputs(), 'network input');
    return this.current().activate(input);
  }

  propagate(rate: number | undefined, target: ArrayLike<number>): void {
    const r = checkRate(rate);
    checkVector(target, this.network.outputs(), 'network target');
    this.current().propagate(r, target);
  }

  /** Forgets context: the network's traces and what the compiled code keeps. */
  clear(): void {
    this.network.clear();
    this.executor.clear();
  }

  /** Settles everything compiled code keeps implicitly into the network's storage. */
  writeBack(): Network {
    this.executor.sync();
    return this.network;
  }

  toJSON(): AnyNetworkJSON {
    this.executor.sync();
    return this.network.toJSON();
  }

  private current(): CompiledExecutor | OnlineWasmExecutor {
    if (this.executor.epoch !== this.network.structureVersion()) {
      this.executor.dispose();
      this.executor = executorFor(this.network, this.options);
    }
    return this.executor;
  }
}

/** The online WebAssembly executor where `options` and the network allow it, else generated JavaScript. */
function executorFor(network: Network, options: CompileOptions): CompiledExecutor | OnlineWasmExecutor {
  checkBackend(network, options);
  // (a Content-Security-Policy that forbids generated code forbids compiling WebAssembly too)
  const wasm = canGenerateCode()
    ? OnlineWasmExecutor.tryBuild(network, options, (n) => new CompiledExecutor(n, options))
    : null;
  return wasm ?? new CompiledExecutor(network, options);
}

/** A typed error for a bad `backend`, or for 'wasm' where the network or the platform cannot run it. */
function checkBackend(network: Network, options: CompileOptions): void {
  const { backend = 'auto' } = options;
  if (backend !== 'auto' && backend !== 'wasm' && backend !== 'js')
    throw new InvalidArgumentError(`compile: backend must be 'auto', 'wasm' or 'js', got ${String(backend)}`);
  const why =
    backend !== 'wasm'
      ? null
      : canGenerateCode()
        ? OnlineWasmExecutor.whyNot(network, options)
        : 'code generation is forbidden here (Content-Security-Policy)';
  if (why !== null) throw new InvalidArgumentError(`compile: backend 'wasm' cannot run this network: ${why}`);
}

/** Compiles `network` as it is now; use `optimize` to have the network run compiled code itself. */
export function compile(network: Network, options: CompileOptions = {}): CompiledNetwork {
  return new CompiledNetwork(network, options);
}

/**
 * Makes `network.activate`/`propagate` (and so any trainer) run compiled code. The code is
 * rebuilt after structural changes; `network.setOptimize(false)` returns to the interpreter.
 */
export function optimize(network: Network, options: CompileOptions = {}): Network {
  checkBackend(network, options);
  network.useExecutor((n) => executorFor(n, options));
  // built now, not at the first activate: the online WebAssembly executor moves the weights into
  // its memory, and parameters() read after optimize() must be the arrays that train
  if (network.layers.input !== null && network.layers.output !== null) network.executor();
  return network;
}
