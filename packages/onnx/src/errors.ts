import { SynapticError } from '@synaptic/core';

/** A network that ONNX cannot express (the message says which unit or layer, and why). */
export class ONNXExportError extends SynapticError {
  override name = 'ONNXExportError';
}

/** An ONNX model that cannot become a network: bad bytes, an unsupported op, a graph that is not a chain of layers. */
export class ONNXImportError extends SynapticError {
  override name = 'ONNXImportError';
}
