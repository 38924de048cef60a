/** What cannot be exported or imported is refused with a typed error that says why, naming the culprit. */
import { Convolutional, LSTM, Perceptron, Random } from '@synaptic/architect';
import { Layer, Network, Neuron, SynapticError } from '@synaptic/core';
import { describe, expect, it } from 'vitest';
import { currentState, fromONNX, ONNXExportError, ONNXImportError, toONNX } from '../src/index.js';
import { compareSteps } from './helpers.js';
import { onnx, type ONNX } from '../src/proto.js';

const { FLOAT } = onnx.TensorProto.DataType;

function model(node: ONNX.INodeProto[], initializer: ONNX.ITensorProto[], inputs = ['x'], width = 4): Uint8Array {
  const info = (name: string, dims: number[]): ONNX.IValueInfoProto => ({
    name,
    type: {
      tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'N' }, ...dims.map((d) => ({ dimValue: d }))] } },
    },
  });
  return onnx.ModelProto.encode({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    graph: { name: 'g', node, initializer, input: inputs.map((n) => info(n, [width])), output: [info('y', [2])] },
  }).finish();
}
const w42: ONNX.ITensorProto = { name: 'w', dataType: FLOAT, dims: [4, 2], floatData: [1, 2, 3, 4, 5, 6, 7, 8] };

describe('toONNX refuses', () => {
  it('layer-level projections (convolution), naming the layer', () => {
    const network = new Convolutional([
      { type: 'input', fieldSize: [6, 6] },
      { type: 'convolution', featureMap: { size: [3, 3], k: 2 } },
      { type: 'fully-connected', n: 2 },
    ]);
    expect(() => toONNX(network)).toThrow(ONNXExportError);
    expect(() => toONNX(network)).toThrow(/layer hidden0 is computed by a layer-level projection \(CONVOLUTION\)/);
  });

  it('custom squash functions, naming the unit and layer', () => {
    const network = new Perceptron(2, 3, 1);
    network.layers.hidden[0].list[1].squash = (x: number) => x * x;
    expect(() => toONNX(network)).toThrow(ONNXExportError);
    expect(() => toONNX(network)).toThrow(/unit \d+ of layer hidden0 has a custom squash function/);
  });

  it('a network without layers, and things that are not networks', () => {
    expect(() => toONNX(new Network())).toThrow(/no layers yet/);
    expect(() => toONNX({} as Network)).toThrow(/toONNX expects a Network/);
    expect(() => toONNX(null as unknown as Network)).toThrow(ONNXExportError);
  });

  it('options that are not strings', () => {
    expect(() => toONNX(new Perceptron(1, 1, 1), { name: 3 as unknown as string })).toThrow(/option name must be/);
    expect(() => toONNX(new Perceptron(1, 1, 1), { docString: '' })).toThrow(/option docString must be/);
  });

  it('units outside the network, as sources or gaters', () => {
    const input = new Layer(2);
    const output = new Layer(1);
    input.project(output);
    const stranger = new Neuron();
    stranger.project(output.list[0]);
    expect(() => toONNX(new Network({ input, output }))).toThrow(/reads unit \d+ \(as source\), which is in none/);
    const gated = new Layer(2);
    const out2 = new Layer(2);
    const lc = gated.project(out2);
    new Layer(2).gate(lc, Layer.gateType.INPUT);
    expect(() => toONNX(new Network({ input: gated, output: out2 }))).toThrow(/\(as gater\)/);
  });

  it('non-finite weights, and options that are not an object', () => {
    const network = new Perceptron(2, 2, 1);
    expect(() => toONNX(network, null as unknown as object)).toThrow(ONNXExportError);
    network.layers.output!.list[0].store.bias[0] = Number.NaN;
    expect(() => toONNX(network)).toThrow(/not finite/);
  });

  it('errors are SynapticErrors', () => {
    expect(new ONNXExportError('x')).toBeInstanceOf(SynapticError);
    expect(new ONNXImportError('x')).toBeInstanceOf(SynapticError);
  });
});

describe('fromONNX refuses', () => {
  it('bytes that are not a model', () => {
    expect(() => fromONNX(new Uint8Array(0))).toThrow(/empty/);
    expect(() => fromONNX(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]))).toThrow(/not an ONNX model/);
    expect(() => fromONNX('model.onnx' as unknown as Uint8Array)).toThrow(/Uint8Array or ArrayBuffer/);
  });

  it('convolution and pooling, until core has them', () => {
    const bytes = model([{ opType: 'Conv', name: 'conv1', input: ['x', 'w'], output: ['y'] }], [w42]);
    expect(() => fromONNX(bytes)).toThrow(
      /node conv1 \(Conv\): convolution and pooling are not in @synaptic\/core yet/,
    );
    const pool = model([{ opType: 'MaxPool', input: ['x'], output: ['y'] }], []);
    expect(() => fromONNX(pool)).toThrow(ONNXImportError);
  });

  it('unsupported ops, naming them', () => {
    const bytes = model(
      [
        { opType: 'MatMul', input: ['x', 'w'], output: ['z'] },
        { opType: 'LeakyRelu', input: ['z'], output: ['y'] },
      ],
      [w42],
    );
    expect(() => fromONNX(bytes)).toThrow(/\(LeakyRelu\): unsupported op/);
  });

  it('skip connections and weights computed from the input', () => {
    const skip = model(
      [
        { opType: 'MatMul', input: ['x', 'w'], output: ['a'] },
        { opType: 'MatMul', input: ['x', 'w'], output: ['b'] },
        { opType: 'Add', input: ['a', 'b'], output: ['y'] },
      ],
      [w42],
    );
    expect(() => fromONNX(skip)).toThrow(/skip connection/);
    const computed = model([{ opType: 'MatMul', input: ['x', 'x'], output: ['y'] }], []);
    expect(() => fromONNX(computed)).toThrow(/must be a constant/);
  });

  it('weights that do not fit', () => {
    const bytes = model([{ opType: 'MatMul', input: ['x', 'w'], output: ['y'] }], [w42], ['x'], 3);
    expect(() => fromONNX(bytes)).toThrow(/do not fit an input of 3/);
  });

  it('step functions with carried state (a recurrent export)', () => {
    expect(() => fromONNX(toONNX(new LSTM(2, 3, 1)))).toThrow(/step functions with carried state cannot be imported/);
  });
});

describe('currentState refuses', () => {
  it('a state that is not finite', () => {
    const network = new LSTM(1, 2, 1);
    network.layers.hidden[2].list[0].store.state[0] = Number.POSITIVE_INFINITY;
    expect(() => currentState(network)).toThrow(/currentState: the state of unit \d+ of layer hidden2 is Infinity/);
  });

  it('gains of one gater that differ (a connection gated after the gater last activated)', () => {
    const input = new Layer(1);
    const hidden = new Layer(2);
    const output = new Layer(1);
    input.project(hidden);
    const late = hidden.project(output);
    const gater = hidden.list[1];
    // output's gater activates after it: its gain is carried
    const back = output.project(hidden);
    gater.gate(back.list[0]);
    new Network({ input, hidden: [hidden], output }).activate([1]);
    gater.gate(late.list[0]);
    const network = new Network({ input, hidden: [hidden], output });
    expect(() => currentState(network)).toThrow(/gated by unit \d+ of layer hidden0 have different gains/);
  });
});

describe('odd shapes', () => {
  it('an empty hidden layer exports and runs', async () => {
    const network = new Random(2, 0, 2, { seed: 1 });
    const result = await compareSteps(network, { steps: 3, batch: 2, seed: 1 });
    expect(result.output).toBeLessThan(1e-5);
  });
});
