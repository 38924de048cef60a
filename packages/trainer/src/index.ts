export { Trainer, type TestResult } from './trainer.js';
export { cost, type CostFunction, type CostName } from './cost.js';
export type { TrainableNetwork } from './network.js';
export type { TrainResult } from './loop.js';
export type { SampleSet, SequenceSample, TrainingSample, TrainingSet } from './training-set.js';
export type {
  CrossValidate,
  ProgressListener,
  ProgressOptions,
  RandomOptions,
  Rate,
  RateFunction,
  Schedule,
  ScheduleData,
  TestOptions,
  TrainAsyncOptions,
  TrainerOptions,
  TrainingProgress,
  TrainOptions,
} from './options.js';
export type { DSROptions, DSRProgress, DSRResult, DSRScheduleData } from './tasks/dsr.js';
export type { ERGOptions, ERGResult } from './tasks/erg.js';
export type { TimingTaskOptions, TimingTaskResult } from './tasks/timing.js';
export {
  AbortError,
  IncompatibleNetworkError,
  InvalidOptionError,
  InvalidTrainingSetError,
  TrainingDivergedError,
  WorkerError,
} from './errors.js';
export * from './optimizers/index.js';
export { type Clip, clipGradients } from './clip.js';
export { addPenaltyGradients, type Penalty, penaltyOf } from './regularization.js';
export { type RateScheduleOptions, type RateScheduleType, scheduledRate } from './rate-schedule.js';
export {
  argmax,
  type Normalization,
  normalization,
  oneHot,
  oneHotLabels,
  type SplitOptions,
  trainValidationSplit,
} from './data.js';
export type {
  BatchEnd,
  EarlyStopping,
  EpochEntry,
  FitOptions,
  MetricName,
  StopCallback,
} from './fit-options.js';
export type { GradientNetwork } from './fit.js';
