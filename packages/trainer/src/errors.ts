import { InvalidArgumentError, SynapticError } from '@synaptic/core';

/** An option that is unknown, of the wrong kind or out of range; `option` names it (`rate`, `schedule.every`...). */
export class InvalidOptionError extends InvalidArgumentError {
  override name = 'InvalidOptionError';
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`option \`${option}\` ${problem}`);
  }
}

/** A training set that cannot be trained on; `path` points at the bad part (`set[3].input[1]`). */
export class InvalidTrainingSetError extends InvalidArgumentError {
  override name = 'InvalidTrainingSetError';
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path} ${problem}`);
  }
}

/** A network whose inputs or outputs do not fit the task or the training set. */
export class IncompatibleNetworkError extends SynapticError {
  override name = 'IncompatibleNetworkError';
}

/**
 * Training produced NaN or Infinity. `iteration` is the 1-based iteration (or task sequence) in
 * which it happened; when the network can take checkpoints, `restored` is true and its weights
 * and states are those it had before that iteration.
 */
export class TrainingDivergedError extends SynapticError {
  override name = 'TrainingDivergedError';
  constructor(
    readonly iteration: number,
    readonly restored: boolean,
    readonly detail: string,
    outcome = restored
      ? `the network was restored to its state before iteration ${iteration}`
      : 'the network cannot take checkpoints, so its weights were not restored',
  ) {
    super(`training diverged at iteration ${iteration}: ${detail}; ${outcome} (try a lower rate)`);
  }
}

/** `trainAsync` was aborted through its `signal`; the network is unchanged. `cause` is the signal's reason. */
export class AbortError extends SynapticError {
  override name = 'AbortError';
  constructor(cause?: unknown) {
    super('trainAsync was aborted; the network is unchanged', { cause });
  }
}

/** The worker of `trainAsync` could not be started, crashed, or failed in a way no other error describes. */
export class WorkerError extends SynapticError {
  override name = 'WorkerError';
}
