import { InvalidArgumentError, Layer, Network, type ConnectionType, type LayerConnection } from '@synaptic/core';
import { checkBoolean, checkOptions, checkSize, describeValue, isPlainObject } from './validate.js';

/** The options of `LSTM`, 1.x's names and defaults. */
export interface LSTMOptions {
  /** How each memory cell layer projects onto its gates; default `Layer.connectionType.ALL_TO_ALL`. */
  peepholes?: ConnectionType;
  /** Memory cells of a block project onto the other cells of the same block; default false. */
  hiddenToHidden?: boolean;
  /** The output layer projects back onto every block's memory cells; default false. */
  outputToHidden?: boolean;
  /** The output layer projects back onto every block's gates; default false. */
  outputToGates?: boolean;
  /** The input layer also projects straight onto the output layer; default true. */
  inputToOutput?: boolean;
}

/** `new LSTM(inputs, ...blocks, outputs)` or `new LSTM(inputs, ...blocks, outputs, options)`. */
export type LSTMArguments = number[] | [...number[], LSTMOptions];

const OPTION_NAMES = ['peepholes', 'hiddenToHidden', 'outputToHidden', 'outputToGates', 'inputToOutput'] as const;
const CONNECTION_TYPES: readonly string[] = Object.values(Layer.connectionType);

/**
 * A long short-term memory network (1.x's `Architect.LSTM`): `new LSTM(inputs, ...blocks,
 * outputs, options?)`, one memory block per size in the middle. A block is four layers of that
 * size, activated in this order: input gate, forget gate, memory cell, output gate (gates are
 * LOGISTIC with bias 1). The input layer projects onto the cell and each gate; the previous
 * block's cells do too (the input gate gating their projection onto the cells); the cells
 * project onto the output layer through the output gate (OUTPUT gating), onto themselves
 * through the forget gate (ONE_TO_ONE gating of the self-connections), and onto each gate
 * (peepholes). The input gate gates the input layer's projection onto the cells (INPUT gating).
 *
 * Built in 1.x's order, so under the same random source it has 1.x's weights and biases, and
 * `toJSON()` writes what 1.x writes.
 */
export class LSTM extends Network {
  constructor(...args: LSTMArguments) {
    super();
    const { sizes, options } = parseArguments(args as unknown[]);
    const [inputs, ...blocks] = sizes;
    const outputs = blocks.pop()!;

    const inputLayer = new Layer(inputs);
    const outputLayer = new Layer(outputs);
    const hidden: Layer[] = [];
    let previous: Layer | null = null;

    for (const size of blocks) {
      const inputGate = new Layer(size).set({ bias: 1 });
      const forgetGate = new Layer(size).set({ bias: 1 });
      const memoryCell = new Layer(size);
      const outputGate = new Layer(size).set({ bias: 1 });
      hidden.push(inputGate, forgetGate, memoryCell, outputGate);

      // from the input layer
      const input = inputLayer.project(memoryCell);
      inputLayer.project(inputGate);
      inputLayer.project(forgetGate);
      inputLayer.project(outputGate);

      // from the previous block's cells
      let cells: LayerConnection | null = null;
      if (previous !== null) {
        cells = previous.project(memoryCell);
        previous.project(inputGate);
        previous.project(forgetGate);
        previous.project(outputGate);
      }

      const output = memoryCell.project(outputLayer);

      // the cells' self-connections, and (hiddenToHidden) every cell onto the others
      const self = memoryCell.project(memoryCell);
      if (options.hiddenToHidden) memoryCell.project(memoryCell, Layer.connectionType.ALL_TO_ELSE);

      if (options.outputToHidden) outputLayer.project(memoryCell);
      if (options.outputToGates) {
        // 1.x's order: input, output, forget
        outputLayer.project(inputGate);
        outputLayer.project(outputGate);
        outputLayer.project(forgetGate);
      }

      memoryCell.project(inputGate, options.peepholes);
      memoryCell.project(forgetGate, options.peepholes);
      memoryCell.project(outputGate, options.peepholes);

      inputGate.gate(input, Layer.gateType.INPUT);
      forgetGate.gate(self, Layer.gateType.ONE_TO_ONE);
      outputGate.gate(output, Layer.gateType.OUTPUT);
      if (cells !== null) inputGate.gate(cells, Layer.gateType.INPUT);

      previous = memoryCell;
    }

    if (options.inputToOutput) inputLayer.project(outputLayer);

    this.set({ input: inputLayer, hidden, output: outputLayer });
  }
}

interface ParsedOptions {
  peepholes: ConnectionType;
  hiddenToHidden: boolean;
  outputToHidden: boolean;
  outputToGates: boolean;
  inputToOutput: boolean;
}

function parseArguments(args: unknown[]): { sizes: number[]; options: ParsedOptions } {
  const options: ParsedOptions = {
    peepholes: Layer.connectionType.ALL_TO_ALL,
    hiddenToHidden: false,
    outputToHidden: false,
    outputToGates: false,
    inputToOutput: true,
  };
  let sizes = args;
  const last = args[args.length - 1];
  // as in 1.x, a last argument that is not a number is the options object
  if (args.length > 0 && typeof last !== 'number') {
    sizes = args.slice(0, -1);
    if (!isPlainObject(last)) {
      throw new InvalidArgumentError(
        `LSTM: the last argument must be the output layer size or an options object, got ${describeValue(last)}`,
      );
    }
    const given = checkOptions(last, OPTION_NAMES, 'LSTM options');
    if (given.peepholes !== undefined) {
      if (typeof given.peepholes !== 'string' || !CONNECTION_TYPES.includes(given.peepholes)) {
        throw new InvalidArgumentError(
          `LSTM option peepholes must be Layer.connectionType.ALL_TO_ALL, ONE_TO_ONE or ALL_TO_ELSE, got ${describeValue(given.peepholes)}`,
        );
      }
      options.peepholes = given.peepholes as ConnectionType;
    }
    for (const name of ['hiddenToHidden', 'outputToHidden', 'outputToGates', 'inputToOutput'] as const) {
      if (given[name] !== undefined) options[name] = checkBoolean(given[name], `LSTM option ${name}`);
    }
  }
  if (sizes.length < 3) {
    throw new InvalidArgumentError(
      `LSTM needs at least 3 layer sizes (input, memory blocks..., output), got ${sizes.length}`,
    );
  }
  sizes.forEach((size, i) => {
    const what = i === 0 ? 'input layer' : i === sizes.length - 1 ? 'output layer' : `memory block ${i}`;
    checkSize(size, `LSTM ${what} size (argument ${i + 1})`);
  });
  return { sizes: sizes as number[], options };
}
