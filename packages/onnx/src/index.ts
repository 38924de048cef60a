export {
  toONNX,
  stepSignature,
  currentState,
  type ToONNXOptions,
  type CarriedValue,
  type StepSignature,
} from './export.js';
export { fromONNX } from './import.js';
export { ONNXExportError, ONNXImportError } from './errors.js';
export type { CarriedKind } from './step-graph.js';
