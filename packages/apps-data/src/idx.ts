/**
 * LeCun's IDX format, as the MNIST files use it: two zero bytes, the type (0x08: unsigned byte,
 * the only one MNIST uses), the number of dimensions, each dimension as a big-endian uint32, then
 * the data, row-major.
 */
import { DataFileError } from './errors.js';

/** An IDX array of unsigned bytes: its dimensions and its data, row-major. */
export interface IdxBytes {
  dims: number[];
  data: Uint8Array;
}

/** Reads an IDX file's bytes. The data is a view of `bytes` (no copy). `name` is for messages. */
export function parseIdx(bytes: Uint8Array, name: string): IdxBytes {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFileError(`${name}: not an IDX file (it must start with two zero bytes)`);
  }
  if (bytes[2] !== 0x08) {
    throw new DataFileError(
      `${name}: IDX type 0x${bytes[2].toString(16).padStart(2, '0')} is not supported (only 0x08, unsigned bytes)`,
    );
  }
  const rank = bytes[3];
  const header = 4 + 4 * rank;
  if (rank === 0 || bytes.length < header)
    throw new DataFileError(`${name}: the IDX header is cut short or has no dimensions`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== header + size) {
    throw new DataFileError(
      `${name}: the header promises ${dims.join('×')} = ${size} bytes of data, the file has ${bytes.length - header}`,
    );
  }
  return { dims, data: bytes.subarray(header) };
}
