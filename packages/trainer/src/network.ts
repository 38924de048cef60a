import type { AnyNetworkJSON, PortableNetwork } from '@synaptic/core';
import { InvalidArgumentError } from '@synaptic/core';
import { IncompatibleNetworkError } from './errors.js';

/**
 * What the trainer needs from a network. `Network` from `@synaptic/core` implements all of it,
 * whether it runs on the interpreter or on an attached executor (compiled code); anything else
 * with `activate`, `propagate`, `inputs` and `outputs` can be trained too.
 *
 * - `checkpoint`/`rollback` let training that produces NaN stop with the weights it had before.
 * - `toJSON`/`loadParameters` (or an executor with `portable()`) let `trainAsync` train a copy in
 *   a worker and write the trained weights back.
 */
export interface TrainableNetwork {
  activate(input: ArrayLike<number>): number[];
  propagate(rate: number, target: ArrayLike<number>): void;
  inputs(): number;
  outputs(): number;
  /** with `{ states: true }`, also the units' states and activations (core's `Network.clear`) */
  clear?(options?: { states?: boolean }): void;
  checkpoint?(reuse?: unknown): unknown;
  rollback?(checkpoint: unknown): void;
  toJSON?(): AnyNetworkJSON;
  loadParameters?(json: AnyNetworkJSON): void;
  executor?(): { portable?(): PortableNetwork | null } | null;
}

const REQUIRED = ['activate', 'propagate', 'inputs', 'outputs'] as const;

export function checkNetwork(network: unknown): TrainableNetwork {
  if (network === null || typeof network !== 'object') {
    throw new InvalidArgumentError(
      'Trainer: `network` must be a network (an object with activate, propagate, inputs and outputs)',
    );
  }
  const record = network as Record<string, unknown>;
  for (const method of REQUIRED) {
    if (typeof record[method] !== 'function')
      throw new InvalidArgumentError(`Trainer: \`network\` has no ${method}() method`);
  }
  return network as TrainableNetwork;
}

/** The network's sizes, checked to be usable. */
export function sizesOf(network: TrainableNetwork): { inputs: number; outputs: number } {
  const inputs = network.inputs();
  const outputs = network.outputs();
  if (!Number.isInteger(inputs) || !Number.isInteger(outputs) || inputs < 0 || outputs < 1) {
    throw new IncompatibleNetworkError(
      `the network reports ${String(inputs)} inputs and ${String(outputs)} outputs: it cannot be trained`,
    );
  }
  return { inputs, outputs };
}

/** 1.x trained ERG/DSR on networks of any size and computed NaN; here a task refuses them first. */
export function requireSizes(network: TrainableNetwork, task: string, inputs: number, outputs: number): void {
  const actual = sizesOf(network);
  if (actual.inputs !== inputs || actual.outputs !== outputs) {
    throw new IncompatibleNetworkError(
      `${task} needs a network with ${plural(inputs, 'input')} and ${plural(outputs, 'output')}, ` +
        `got ${plural(actual.inputs, 'input')} and ${plural(actual.outputs, 'output')}`,
    );
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
