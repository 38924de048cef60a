/**
 * Test networks built from core's layers, wired as synaptic 1.x's `Architect` wires them (the
 * architect package does not exist yet). Same projection and gating order as 1.x, so weights
 * drawn from the same random source come out in the same places.
 */
import { Layer, Network, type ConnectionType } from '@synaptic/core';

export interface LstmOptions {
  peepholes?: ConnectionType;
  hiddenToHidden?: boolean;
  outputToHidden?: boolean;
  outputToGates?: boolean;
  inputToOutput?: boolean;
}

/** 1.x's `Architect.LSTM(inputs, ...blocks, outputs, options?)`. */
export function lstm(inputs: number, blocks: number[], outputs: number, options: LstmOptions = {}): Network {
  const peepholes = options.peepholes ?? Layer.connectionType.ALL_TO_ALL;
  const inputLayer = new Layer(inputs);
  const outputLayer = new Layer(outputs);
  const hidden: Layer[] = [];
  let previous = null as Layer | null;
  for (const size of blocks) {
    // the gates start open: bias 1
    const inputGate = new Layer(size);
    inputGate.set({ bias: 1 });
    const forgetGate = new Layer(size);
    forgetGate.set({ bias: 1 });
    const memoryCell = new Layer(size);
    const outputGate = new Layer(size);
    outputGate.set({ bias: 1 });
    hidden.push(inputGate, forgetGate, memoryCell, outputGate);

    const input = inputLayer.project(memoryCell);
    inputLayer.project(inputGate);
    inputLayer.project(forgetGate);
    inputLayer.project(outputGate);

    const cell = previous?.project(memoryCell);
    if (previous) {
      previous.project(inputGate);
      previous.project(forgetGate);
      previous.project(outputGate);
    }

    const output = memoryCell.project(outputLayer);
    const self = memoryCell.project(memoryCell);
    if (options.hiddenToHidden) memoryCell.project(memoryCell, Layer.connectionType.ALL_TO_ELSE);
    if (options.outputToHidden) outputLayer.project(memoryCell);
    if (options.outputToGates) {
      outputLayer.project(inputGate);
      outputLayer.project(outputGate);
      outputLayer.project(forgetGate);
    }

    // peepholes
    memoryCell.project(inputGate, peepholes);
    memoryCell.project(forgetGate, peepholes);
    memoryCell.project(outputGate, peepholes);

    inputGate.gate(input, Layer.gateType.INPUT);
    forgetGate.gate(self, Layer.gateType.ONE_TO_ONE);
    outputGate.gate(output, Layer.gateType.OUTPUT);
    if (cell) inputGate.gate(cell, Layer.gateType.INPUT);

    previous = memoryCell;
  }
  if (options.inputToOutput ?? true) inputLayer.project(outputLayer);
  return new Network({ input: inputLayer, hidden, output: outputLayer });
}

/** 1.x's `Architect.Perceptron(inputs, ...hidden, outputs)`. */
export function perceptron(inputs: number, hiddenSizes: number[], outputs: number): Network {
  const input = new Layer(inputs);
  const output = new Layer(outputs);
  const hidden = hiddenSizes.map((size) => new Layer(size));
  let previous = input;
  for (const layer of hidden) {
    previous.project(layer);
    previous = layer;
  }
  previous.project(output);
  return new Network({ input, hidden, output });
}

/** A single-layer network: inputs projected straight onto outputs (1.x's gate tests). */
export function twoLayer(inputs: number, outputs: number): Network {
  const input = new Layer(inputs);
  const output = new Layer(outputs);
  input.project(output);
  return new Network({ input, output });
}
