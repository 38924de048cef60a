import { InvalidArgumentError, Layer, Network, squash } from '@synaptic/core';
import { checkCount, checkSize, describeValue } from './validate.js';

/**
 * A NARX network (nonlinear autoregressive with exogenous inputs): `new NARX(inputs, hidden,
 * outputs, inputMemory, outputMemory)`. A feed-forward perceptron (`hidden` is one size or an
 * array of sizes) whose first hidden layer also sees the inputs of the last `inputMemory` steps
 * and its own outputs of the last `outputMemory` steps:
 *
 *     y_t = F(x_t, x_{t-1}, ..., x_{t-inputMemory}, y_{t-1}, ..., y_{t-outputMemory})
 *
 * The delays are memory layers: one layer per step back, IDENTITY units with bias 0, chained with
 * ONE_TO_ONE projections of weight 1 (as neataptic builds them). They delay by activation order:
 * a memory layer activated before the layer it copies reads that layer's previous activation.
 * Activation order: input, output memory (oldest first), hidden layers, input memory (oldest
 * first), output. So at step t the hidden layer reads the output memory holding
 * y_{t-1}, y_{t-2}, ... (copied before the hidden layer runs) and the input memory still holding
 * x_{t-1}, x_{t-2}, ... (it copies x_t only after the hidden layer ran).
 *
 * The memory layers are plain units, so the network stays an ordinary core network. The delay lines
 * are fixed parameters (weights 1, biases 0, never trained), so they stay exact copies.
 */
export class NARX extends Network {
  constructor(inputs: number, hidden: number | number[], outputs: number, inputMemory: number, outputMemory: number) {
    super();
    checkSize(inputs, 'NARX input layer size (argument 1)');
    let hiddenSizes: number[];
    if (Array.isArray(hidden)) {
      if (hidden.length === 0)
        throw new InvalidArgumentError('NARX hidden layer sizes (argument 2) must not be an empty array');
      hidden.forEach((size, i) => checkSize(size, `NARX hidden layer ${i + 1} size (argument 2)`));
      hiddenSizes = hidden.slice();
    } else if (typeof hidden === 'number') {
      hiddenSizes = [checkSize(hidden, 'NARX hidden layer size (argument 2)')];
    } else {
      throw new InvalidArgumentError(
        `NARX hidden layer size (argument 2) must be a positive integer or an array of them, got ${describeValue(hidden)}`,
      );
    }
    checkSize(outputs, 'NARX output layer size (argument 3)');
    checkCount(inputMemory, 'NARX inputMemory (argument 4)');
    checkCount(outputMemory, 'NARX outputMemory (argument 5)');

    const input = new Layer(inputs);
    const output = new Layer(outputs);
    const hiddenLayers = hiddenSizes.map((size) => new Layer(size));
    const inputDelays = memoryChain(input, inputMemory);
    const outputDelays = memoryChain(output, outputMemory);

    const first = hiddenLayers[0];
    input.project(first);
    for (const delay of inputDelays) delay.project(first);
    for (const delay of outputDelays) delay.project(first);
    for (let i = 1; i < hiddenLayers.length; i++) hiddenLayers[i - 1].project(hiddenLayers[i]);
    hiddenLayers[hiddenLayers.length - 1].project(output);

    // the oldest copy first, so each memory layer reads its predecessor's previous value
    const oldestFirst = (chain: Layer[]) => chain.slice().reverse();
    this.set({ input, hidden: [...oldestFirst(outputDelays), ...hiddenLayers, ...oldestFirst(inputDelays)], output });
  }
}

/** `depth` memory layers copying `source`, newest first: source → m1 → m2 → ... */
function memoryChain(source: Layer, depth: number): Layer[] {
  const chain: Layer[] = [];
  let previous = source;
  for (let d = 0; d < depth; d++) {
    const memory = new Layer(source.size).set({ squash: squash.IDENTITY, bias: 0, biasFixed: true });
    previous.project(memory, Layer.connectionType.ONE_TO_ONE, 1).fix();
    chain.push(memory);
    previous = memory;
  }
  return chain;
}
