/** Reading an ONNX model's bytes and graph: the model, the data input's shape, a node's attributes. */
import { ONNXImportError } from './errors.js';
import { onnx, type ONNX, toNumber } from './proto.js';

export function decode(bytes: Uint8Array | ArrayBuffer): ONNX.ModelProto {
  if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer))
    throw new ONNXImportError('fromONNX expects the bytes of an .onnx file (a Uint8Array or ArrayBuffer)');
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (view.length === 0) throw new ONNXImportError('fromONNX: the model is empty (0 bytes)');
  try {
    return onnx.ModelProto.decode(view);
  } catch (error) {
    throw new ONNXImportError(`fromONNX: not an ONNX model (${(error as Error).message})`);
  }
}

/** The data input's dimensions after the batch: fixed sizes, [c, h, w] for an image. */
export function inputDims(input: ONNX.IValueInfoProto): number[] {
  const type = input.type?.tensorType;
  const elem = type?.elemType;
  if (elem !== onnx.TensorProto.DataType.FLOAT && elem !== onnx.TensorProto.DataType.DOUBLE)
    throw new ONNXImportError(`fromONNX: input ${input.name} must be a float tensor`);
  const dim = type?.shape?.dim ?? [];
  if (dim.length < 2)
    throw new ONNXImportError(`fromONNX: input ${input.name} must have shape [batch, ...] (got rank ${dim.length})`);
  return dim.slice(1).map((d, k) => {
    const v = toNumber(d.dimValue);
    if (!(v > 0))
      throw new ONNXImportError(
        `fromONNX: dimension ${k + 1} of input ${input.name} must be a fixed size, got ${d.dimParam || '?'}`,
      );
    return v;
  });
}

/** A node's int and float attributes by name. */
export function attributes(node: ONNX.INodeProto): Record<string, number> {
  const result: Record<string, number> = {};
  for (const a of node.attribute ?? []) {
    if (a.type === onnx.AttributeProto.AttributeType.INT) result[a.name ?? ''] = toNumber(a.i);
    else if (a.type === onnx.AttributeProto.AttributeType.FLOAT) result[a.name ?? ''] = a.f ?? 0;
  }
  return result;
}
