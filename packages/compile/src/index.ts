export {
  compile,
  optimize,
  canGenerateCode,
  CompiledNetwork,
  CompiledExecutor,
  setCodeGenerationAllowed,
  type CompileOptions,
} from './compile.js';
export { OnlineWasmExecutor } from './online/online-executor.js';
export { standalone, bundleSource, CompileError, type StandaloneOptions } from './bundle.js';
export {
  compileBatch,
  CompiledBatch,
  type BatchOptions,
  type BatchBackwardOptions,
} from './batch/batch.js';
export { BatchUnsupportedError } from './batch/topology.js';
export type { Precision } from './batch/kernels.js';
/** @internal the benchmark's measure of one core's SIMD multiply-add peak */
export { wasmSimdAvailable, wasmPeak } from './wasm/runtime.js';
export { parallelBatch, ParallelBatch, BatchWorkerError, type ParallelBatchOptions } from './batch/parallel.js';
