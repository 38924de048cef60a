/**
 * LSTM(inputs, cells, outputs) built from @synaptic/core Layers exactly as synaptic 1.x's
 * `new Architect.LSTM(inputs, cells, outputs)` builds it with its default options (peepholes
 * ALL_TO_ALL, inputToOutput true, no hidden-to-hidden or output-to-gates recurrences), in 1.x's
 * order of layers, projections and gates (node_modules/synaptic/src/architectures/LSTM.js), so
 * the network has 1.x's structure and draws its random weights in 1.x's order.
 *
 * TODO: switch to `new LSTM(inputs, cells, outputs)` from @synaptic/architect once that package
 * is ready (it is being written in packages/architect); this builder covers one memory block
 * with default options only.
 */
import type { Layer as CoreLayer, Network as CoreNetwork } from '@synaptic/core';

/** The part of @synaptic/core this builder uses: the module is loaded from core's built dist by the caller. */
export interface CoreForLstm {
  Layer: typeof CoreLayer;
  Network: typeof CoreNetwork;
}

export function buildLstm(core: CoreForLstm, inputs: number, cells: number, outputs: number): CoreNetwork {
  const { Layer, Network } = core;
  const { connectionType, gateType } = Layer;

  const inputLayer = new Layer(inputs);
  const outputLayer = new Layer(outputs);

  // one memory block: its gates (logistic, bias 1) and its memory cells, activated in this order
  const inputGate = new Layer(cells).set({ bias: 1 });
  const forgetGate = new Layer(cells).set({ bias: 1 });
  const memoryCell = new Layer(cells);
  const outputGate = new Layer(cells).set({ bias: 1 });

  // connections from the input layer
  const input = inputLayer.project(memoryCell);
  inputLayer.project(inputGate);
  inputLayer.project(forgetGate);
  inputLayer.project(outputGate);

  // connections from the memory cells
  const output = memoryCell.project(outputLayer);
  const self = memoryCell.project(memoryCell); // ONE_TO_ONE self-connections

  // peepholes
  memoryCell.project(inputGate, connectionType.ALL_TO_ALL);
  memoryCell.project(forgetGate, connectionType.ALL_TO_ALL);
  memoryCell.project(outputGate, connectionType.ALL_TO_ALL);

  // gates
  inputGate.gate(input, gateType.INPUT);
  forgetGate.gate(self, gateType.ONE_TO_ONE);
  outputGate.gate(output, gateType.OUTPUT);

  // input to output direct connection
  inputLayer.project(outputLayer);

  return new Network({ input: inputLayer, hidden: [inputGate, forgetGate, memoryCell, outputGate], output: outputLayer });
}
