/**
 * The executor of the default compile for layered networks where WebAssembly SIMD runs:
 * `activate` and `propagate` in the online kernel (online-kernel.ts), everything else (backward,
 * traces, standalone source) in the generated JavaScript built over the same arrays, which also
 * stands in where WebAssembly is missing.
 */
import { type Network, type NetworkExecutor, NonFiniteError, type PortableNetwork } from '@synaptic/core';
import type { CompiledExecutor, CompileOptions } from '../compile.js';
import { OnlineKernel, onlineUnsupported } from './online-kernel.js';
import { onlineWasmAvailable } from './online-module.js';

export class OnlineWasmExecutor implements NetworkExecutor {
  readonly epoch: number;
  readonly backend = 'wasm' as const;
  readonly propagateChecked: (rate: number, target: ArrayLike<number>) => boolean;
  readonly undoPropagate: () => void;

  private constructor(
    readonly network: Network,
    private readonly kernel: OnlineKernel,
    /** built after the weights moved, so it reads the same arrays */
    private readonly js: CompiledExecutor,
  ) {
    this.epoch = js.epoch;
    this.propagateChecked = (rate, target) => kernel.propagate(rate, target);
    this.undoPropagate = () => kernel.undo();
  }

  /**
   * The wasm executor of `network`, or null when the network is not layered (see
   * `onlineUnsupported`), exact arithmetic was asked for, or WebAssembly SIMD is missing.
   */
  static tryBuild(
    network: Network,
    options: CompileOptions,
    javascript: (n: Network) => CompiledExecutor,
  ): OnlineWasmExecutor | null {
    if (OnlineWasmExecutor.whyNot(network, options) !== null) return null;
    const kernel = OnlineKernel.build(network);
    if (kernel === null) return null;
    return new OnlineWasmExecutor(network, kernel, javascript(network));
  }

  /** Why `network` runs in JavaScript under `options`, or null when it can run in WebAssembly. */
  static whyNot(network: Network, options: CompileOptions): string | null {
    if (options.exact === true) return 'exact arithmetic runs in JavaScript';
    if (options.backend === 'js') return "backend 'js' was asked for";
    if (!onlineWasmAvailable()) return 'WebAssembly SIMD is not available here';
    return onlineUnsupported(network);
  }

  /** the generated JavaScript of the same network (what runs where WebAssembly is missing) */
  get source(): string {
    return this.js.source;
  }

  get generated(): boolean {
    return this.js.generated;
  }

  inputs(): number {
    return this.js.inputs();
  }

  outputs(): number {
    return this.js.outputs();
  }

  activate(input: ArrayLike<number>): number[] {
    return this.kernel.activate(input, new Array<number>(this.js.outputs()));
  }

  propagate(rate: number, target: ArrayLike<number>): void {
    if (!this.kernel.propagate(rate, target)) {
      this.kernel.undo();
      throw new NonFiniteError(
        `propagate at rate ${rate}: a weight or bias would become NaN or Infinity; the propagation was undone (the weights are as they were)`,
        null,
      );
    }
  }

  backward(outputError: Float64Array, atState: boolean): void {
    this.js.backward(outputError, atState);
  }

  clear(): void {
    this.js.clear();
  }

  sync(): void {
    this.js.sync();
  }

  dispose(): void {
    this.js.dispose();
  }

  portable(): PortableNetwork | null {
    return this.js.portable();
  }
}
