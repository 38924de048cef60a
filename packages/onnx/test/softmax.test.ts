/**
 * Softmax layers (Engine 2's layer function) export as ONNX Softmax over the layer: a softmax
 * output layer as a plain Gemm + Softmax, and a recurrent, gated softmax layer inside a step
 * function, where (as in core's interpreter) every state of the layer is computed before any of
 * its activations or gains change.
 */
import { Perceptron } from '@synaptic/architect';
import { Layer, mulberry32, Network, Neuron, setRandom } from '@synaptic/core';
import { afterEach, describe, expect, it } from 'vitest';
import { fromONNX, stepSignature, toONNX } from '../src/index.js';
import { onnx } from '../src/proto.js';
import { compareSteps, maxDifference, randomRows } from './helpers.js';

afterEach(() => setRandom(Math.random));

function softmaxPerceptron(): Network {
  setRandom(mulberry32(21));
  const network = new Perceptron(4, 6, 3);
  network.layers.output!.set({ squash: Neuron.squash.SOFTMAX });
  return network;
}

/** input → hidden (TANH) → softmax layer that reads itself and is gated by hidden → output */
function recurrentSoftmax(): Network {
  setRandom(mulberry32(22));
  const input = new Layer(3);
  const hidden = new Layer(4).set({ squash: Neuron.squash.TANH });
  const soft = new Layer(4).set({ squash: Neuron.squash.SOFTMAX });
  const output = new Layer(2);
  input.project(hidden);
  const into = input.project(soft);
  soft.project(soft); // ONE_TO_ONE self-connections
  soft.project(soft, Layer.connectionType.ALL_TO_ELSE);
  hidden.gate(into, Layer.gateType.INPUT);
  const back = soft.project(hidden);
  soft.gate(back, Layer.gateType.OUTPUT); // gains set by the softmax layer, read before it activates
  soft.project(output);
  return new Network({ input, hidden: [hidden, soft], output });
}

describe('softmax layers', () => {
  // copies are built afresh: core's clone() does not keep a layer's softmax yet
  it('a softmax output layer is Gemm + Softmax, and matches in onnxruntime with batches 1 and 3', async () => {
    const network = softmaxPerceptron();
    const ops = onnx.ModelProto.decode(toONNX(network)).graph!.node!.map((n) => n.opType);
    expect(ops).toEqual(['Gemm', 'Sigmoid', 'Gemm', 'Softmax']);
    for (const batch of [1, 3]) {
      const result = await compareSteps(network, { steps: 5, batch, seed: batch, copy: softmaxPerceptron });
      expect(result.output).toBeLessThan(1e-5);
    }
  });

  it('exports and imports back to a softmax layer with the same outputs within 1e-6', () => {
    const network = softmaxPerceptron();
    const imported = fromONNX(toONNX(network));
    expect(imported.layers.output!.layerFunction?.name).toBe('SOFTMAX');
    const rows = randomRows(30, 4, mulberry32(5));
    expect(
      maxDifference(
        rows.map((r) => imported.activate(r)),
        rows.map((r) => network.activate(r)),
      ),
    ).toBeLessThan(1e-6);
  });

  it('a recurrent, gated softmax layer runs as a step function over 20 steps', async () => {
    const warm = () => {
      const network = recurrentSoftmax();
      for (let k = 0; k < 3; k++) network.activate([0.2, -0.4, 0.6]);
      return network;
    };
    const network = warm();
    expect(stepSignature(network).carried.map((c) => c.input)).toEqual([
      'state.hidden1',
      'activation.hidden1',
      'gain.hidden1',
    ]);
    for (const batch of [1, 3]) {
      const result = await compareSteps(network, { steps: 20, batch, seed: 10 + batch, copy: warm });
      expect(result.output).toBeLessThan(1e-5);
      expect(result.carried).toBeLessThan(1e-5);
    }
  });
});

describe('layer functions ONNX cannot express yet', () => {
  it('refuses a grouped softmax and a LAYER_NORM layer, naming them', () => {
    const grouped = softmaxPerceptron();
    grouped.layers.output!.set({ squash: Neuron.squash.SOFTMAX, group: 1 });
    expect(() => toONNX(grouped)).toThrow(/groups of 1 units/);
    const norm = softmaxPerceptron();
    norm.layers.hidden[0].set({ squash: Neuron.squash.LAYER_NORM });
    expect(() => toONNX(norm)).toThrow(/LAYER_NORM, which has no ONNX export yet/);
  });
});
