import { InvalidArgumentError } from '@synaptic/core';
import { TrainingDivergedError } from './errors.js';
import type { TrainableNetwork } from './network.js';

/**
 * Stops training that produces NaN or Infinity, which 1.x carried on with until every weight was
 * NaN. A checkpoint is taken at the start of every iteration (when the network can take them);
 * a non-finite output or error during the iteration, or non-finite numbers found in the next
 * checkpoint (the last propagation broke the weights), roll the network back to the checkpoint
 * of the iteration at fault and throw a `TrainingDivergedError` naming it.
 */
export class DivergenceGuard {
  private readonly canRollback: boolean;
  private checkpoint: unknown = null;
  /** the checkpoint before last, whose arrays the next checkpoint refills */
  private spare: unknown = undefined;
  private hasCheckpoint = false;

  constructor(private readonly network: TrainableNetwork) {
    this.canRollback = typeof network.checkpoint === 'function' && typeof network.rollback === 'function';
  }

  /** Call before iteration `iteration` (1-based) changes anything. */
  begin(iteration: number): void {
    if (!this.canRollback) return;
    const next = this.network.checkpoint!(this.spare);
    if (!isFiniteCheckpoint(next)) {
      if (!this.hasCheckpoint) {
        throw new InvalidArgumentError(
          'the network already holds NaN or Infinity in its weights or states: it cannot be trained',
        );
      }
      this.fail(iteration - 1, 'it left NaN or Infinity in the weights');
    }
    this.spare = this.hasCheckpoint ? this.checkpoint : undefined;
    this.checkpoint = next;
    this.hasCheckpoint = true;
  }

  /** Call after the last iteration (`iteration`), to catch a last propagation that broke the weights. */
  end(iteration: number): void {
    if (!this.canRollback || !this.hasCheckpoint) return;
    if (!isFiniteCheckpoint(this.network.checkpoint!())) this.fail(iteration, 'it left NaN or Infinity in the weights');
  }

  /** Throws if an output is not a finite number. */
  checkOutput(output: ArrayLike<number>, iteration: number): void {
    for (let i = 0; i < output.length; i++) {
      const y = output[i];
      if (typeof y !== 'number' || !Number.isFinite(y)) this.fail(iteration, `the network output ${String(y)}`);
    }
  }

  /** Throws if a cost is not a finite number. */
  checkCost(value: number, iteration: number): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(iteration, `the cost was ${String(value)}`);
  }

  /** Puts the network back to the checkpoint of the current iteration; whether it could. */
  restore(): boolean {
    if (!this.canRollback || !this.hasCheckpoint) return false;
    this.network.rollback!(this.checkpoint);
    return true;
  }

  fail(iteration: number, detail: string): never {
    const restored = this.canRollback && this.hasCheckpoint;
    if (restored) this.network.rollback!(this.checkpoint);
    throw new TrainingDivergedError(iteration, restored, detail);
  }
}

/**
 * Whether every number in a core checkpoint (`{ stores, blocks, xtraces }`, maps of Float64Array
 * lists) is finite. Checkpoints of another shape are taken as fine.
 */
export function isFiniteCheckpoint(checkpoint: unknown): boolean {
  if (checkpoint === null || typeof checkpoint !== 'object') return true;
  for (const key of ['stores', 'blocks', 'xtraces']) {
    const map = (checkpoint as Record<string, unknown>)[key];
    if (!(map instanceof Map)) continue;
    for (const arrays of map.values()) {
      if (!Array.isArray(arrays)) continue;
      for (const array of arrays) if (array instanceof Float64Array && !allFinite(array)) return false;
    }
  }
  return true;
}

function allFinite(array: Float64Array): boolean {
  let acc = 0;
  for (let i = 0; i < array.length; i++) acc += array[i] - array[i];
  return acc === 0;
}
