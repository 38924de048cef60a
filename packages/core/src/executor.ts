import type { AnyNetworkJSON } from './json/format.js';
import type { Network } from './network.js';

/**
 * A network as dependency-free source, so it can be rebuilt where no package is available
 * (a worker thread, a Web Worker). `source` is a JavaScript expression; evaluated with
 * `new Function('return (' + source + ')')()` it gives a function taking no arguments that returns
 * a fresh `PortableRunner` with the network's current weights and state.
 */
export interface PortableNetwork {
  readonly source: string;
}

/** What a `PortableNetwork`'s source builds: enough to train and to hand the result back. */
export interface PortableRunner {
  activate(input: ArrayLike<number>): number[];
  propagate(rate: number, target: ArrayLike<number>): void;
  clear(): void;
  /** The trained network in 1.x's JSON, as the original network's `toJSON()` would write it. */
  toJSON(): AnyNetworkJSON;
  /** Optional: a copy of every number the runner holds, which `rollback` puts back exactly. */
  checkpoint?(): unknown;
  rollback?(checkpoint: unknown): void;
}

/**
 * The seam between a `Network` and whatever runs it. By default a network is run by the
 * reference interpreter in core; `@synaptic/compile` (or any other package) attaches an
 * executor through `network.useExecutor(factory)` without core knowing about it.
 *
 * An executor works on the network's own storage (the typed arrays of its stores and blocks),
 * so weights read through the graph are always live; whatever it keeps elsewhere it writes back
 * in `sync()`. Inputs and targets are validated by the network before they reach it.
 */
export interface NetworkExecutor {
  /** The network's `structureVersion()` it was built for; the network rebuilds it when that moves on. */
  readonly epoch: number;
  activate(input: ArrayLike<number>): number[];
  propagate(rate: number, target: ArrayLike<number>): void;
  /**
   * Optional: `propagate` that guards itself, so the network need not copy every weight before and
   * scan them after (`PropagationGuard`). Returns whether every weight and bias it wrote is finite;
   * after false, `undoPropagate()` puts back exactly the numbers that call changed. An executor
   * providing one provides both.
   */
  propagateChecked?(rate: number, target: ArrayLike<number>): boolean;
  undoPropagate?(): void;
  /**
   * Optional: `Network.backward` on this executor's code. `outputError` is ∂E/∂y of the outputs or,
   * with `atState`, ∂E/∂s (a softmax output with cross-entropy). Without it the network syncs and
   * runs core's interpreter.
   */
  backward?(outputError: Float64Array, atState: boolean): void;
  /** The network forgot its context (`clear`/`reset`): drop any state kept outside the graph. */
  clear(): void;
  /** Write any state kept outside the graph's storage back into it. */
  sync(): void;
  /** Write back and release; the executor is not used again. */
  dispose(): void;
  /** Optional: the network as source code (compiled executors provide it, for training in workers). */
  portable?(): PortableNetwork | null;
}

export type ExecutorFactory = (network: Network) => NetworkExecutor;
