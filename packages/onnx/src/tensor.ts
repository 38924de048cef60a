import { ONNXImportError } from './errors.js';
import { onnx, type ONNX, toNumber } from './proto.js';

/** A constant of an ONNX graph (an initializer or a Constant node's value), as numbers. */
export interface ConstTensor {
  dims: number[];
  data: Float64Array;
}

const T = onnx.TensorProto.DataType;

/** Reads a tensor's numbers from its typed field or its little-endian raw bytes. */
export function readTensor(tensor: ONNX.ITensorProto, where: string): ConstTensor {
  const dims = (tensor.dims ?? []).map(toNumber);
  const count = dims.reduce((a, d) => a * d, 1);
  if ((tensor.dataLocation ?? 0) !== 0 || (tensor.externalData?.length ?? 0) > 0)
    throw new ONNXImportError(`${where}: tensor data stored outside the model file is not supported`);
  const raw = tensor.rawData && tensor.rawData.length > 0 ? tensor.rawData : null;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : null;
  const data = new Float64Array(count);
  const fill = (
    size: number,
    typed: ArrayLike<number | { toNumber(): number }> | null | undefined,
    read: (at: number) => number,
  ) => {
    if (view) {
      if (view.byteLength !== count * size)
        throw new ONNXImportError(
          `${where}: raw data has ${view.byteLength} bytes, shape ${JSON.stringify(dims)} needs ${count * size}`,
        );
      for (let k = 0; k < count; k++) data[k] = read(k * size);
    } else {
      const values = typed ?? [];
      if (values.length !== count)
        throw new ONNXImportError(`${where}: ${values.length} values for shape ${JSON.stringify(dims)}`);
      for (let k = 0; k < count; k++) data[k] = toNumber(values[k] as number);
    }
  };
  switch (tensor.dataType) {
    case T.FLOAT:
      fill(4, tensor.floatData, (at) => view!.getFloat32(at, true));
      break;
    case T.DOUBLE:
      fill(8, tensor.doubleData, (at) => view!.getFloat64(at, true));
      break;
    case T.INT64:
      fill(8, tensor.int64Data, (at) => Number(view!.getBigInt64(at, true)));
      break;
    case T.INT32:
      fill(4, tensor.int32Data, (at) => view!.getInt32(at, true));
      break;
    default:
      throw new ONNXImportError(
        `${where}: tensors of type ${T[tensor.dataType ?? 0] ?? tensor.dataType} are not supported (float, double, int32, int64 are)`,
      );
  }
  return { dims, data };
}
