import { TrainingDivergedError } from './errors.js';
import type { TrainableNetwork } from './network.js';

/**
 * Runs a training call so that one that fails leaves the network as it was before the call: a
 * rate function returning NaN, a throwing `schedule.do`, `onProgress` or cost, a `random` out of
 * range. Divergence is the exception: its guard has already put the network back to the start of
 * the iteration at fault and says so in its error, as documented for `train`. A network that
 * cannot take checkpoints is left as the failure found it.
 */
export function undoOnFailure<T>(network: TrainableNetwork, work: () => T): T {
  const canUndo = typeof network.checkpoint === 'function' && typeof network.rollback === 'function';
  const before = canUndo ? network.checkpoint!() : null;
  try {
    return work();
  } catch (error) {
    if (canUndo && !(error instanceof TrainingDivergedError)) network.rollback!(before);
    throw error;
  }
}
