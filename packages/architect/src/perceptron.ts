import { InvalidArgumentError, Layer, Network } from '@synaptic/core';
import { checkSize } from './validate.js';

/**
 * A multilayer perceptron: `new Perceptron(inputs, ...hidden, outputs)`, each layer projecting
 * ALL_TO_ALL onto the next, every unit LOGISTIC. At least one hidden layer (three sizes).
 *
 * Built exactly as 1.x built it (input, output, then the hidden layers in order; projections
 * from input to output), so under the same random source it has 1.x's weights and biases.
 */
export class Perceptron extends Network {
  constructor(...sizes: number[]) {
    super();
    if (sizes.length < 3) {
      throw new InvalidArgumentError(
        `Perceptron needs at least 3 layer sizes (input, hidden..., output), got ${sizes.length}`,
      );
    }
    sizes.forEach((size, i) => checkSize(size, `Perceptron ${layerName(i, sizes.length)} size (argument ${i + 1})`));
    const [inputs, ...rest] = sizes;
    const outputs = rest.pop()!;

    // 1.x creates the input and output layers before the hidden ones (their biases come first)
    const input = new Layer(inputs);
    const output = new Layer(outputs);
    const hidden: Layer[] = [];
    let previous = input;
    for (const size of rest) {
      const layer = new Layer(size);
      hidden.push(layer);
      previous.project(layer);
      previous = layer;
    }
    previous.project(output);
    this.set({ input, hidden, output });
  }
}

function layerName(i: number, count: number): string {
  if (i === 0) return 'input layer';
  if (i === count - 1) return 'output layer';
  return `hidden layer ${i}`;
}
