import { defaultProgressEvery, fires } from '../cadence.js';
import type { ProgressListener, Schedule, TrainingProgress } from '../options.js';

/** The schedule, log and progress hooks of a task's loop (see `cadence.ts` for when they fire). */
export class TaskHooks<Data, Progress extends TrainingProgress> {
  private reported = 0;

  constructor(
    private readonly schedule: Schedule<Data> | null,
    private readonly log: number,
    private readonly onProgress: ProgressListener<Progress> | null,
    private readonly progressEvery: number,
  ) {}

  /** Runs the hooks due after `iteration`; returns true when the schedule asks to stop. */
  after(iteration: number, data: () => Data, line: () => unknown[], progress: () => Progress): boolean {
    let stop = false;
    if (this.schedule && fires(this.schedule.every, iteration)) stop = Boolean(this.schedule.do(data()));
    if (fires(this.log, iteration)) console.log(...line());
    if (this.onProgress && fires(this.progressEvery, iteration)) {
      this.onProgress(progress());
      this.reported = iteration;
    }
    return stop;
  }

  /** The closing progress report, unless the last iteration was reported already. */
  finish(iteration: number, progress: () => Progress): void {
    if (this.onProgress && iteration > 0 && this.reported !== iteration) this.onProgress(progress());
  }
}

/** The hooks of a task run from its options: its schedule, its log cadence and its progress listener. */
export function taskHooks<Data, Progress extends TrainingProgress>(
  options: { schedule?: Schedule<Data>; onProgress?: ProgressListener<Progress>; progressEvery?: number },
  logEvery: number,
  iterations: number,
): TaskHooks<Data, Progress> {
  return new TaskHooks<Data, Progress>(
    options.schedule ?? null,
    logEvery,
    options.onProgress ?? null,
    defaultProgressEvery(options.progressEvery, logEvery, options.schedule?.every ?? 0, iterations),
  );
}
