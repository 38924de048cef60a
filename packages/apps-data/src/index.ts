/** Data readers shared by the synaptic apps (the CLI and the benchmark). */
export { DataFileError } from './errors.js';
export { type IdxBytes, parseIdx } from './idx.js';
export {
  MNIST_FILES,
  type MnistDigits,
  type MnistPart,
  mnistDataDirectory,
  normalizedPixels,
  readMnistPart,
} from './mnist.js';
