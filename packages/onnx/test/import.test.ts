/**
 * fromONNX: layered networks survive export and import (outputs within 1e-6); models written
 * directly with the protobuf binding, the way PyTorch or Keras exporters lay them out, import into
 * networks that compute what onnxruntime computes and keep learning.
 */
import { Hopfield, Perceptron } from '@synaptic/architect';
import { format1x, mulberry32, type Network, Neuron, setRandom } from '@synaptic/core';
import { afterEach, describe, expect, it } from 'vitest';
import { fromONNX, toONNX } from '../src/index.js';
import { onnx, type ONNX } from '../src/proto.js';
import { maxDifference, randomRows, rowsOf, session, tensor } from './helpers.js';

afterEach(() => setRandom(Math.random));

const { FLOAT, INT64 } = onnx.TensorProto.DataType;
const { INT, FLOAT: FLOAT_ATTR } = onnx.AttributeProto.AttributeType;

function outputsOf(network: Network, rows: number[][]): number[][] {
  return rows.map((row) => network.activate(row));
}

function layered(seed: number, squashes: Array<keyof typeof Neuron.squash>): Network {
  setRandom(mulberry32(seed));
  const network = new Perceptron(5, 7, 6, 4);
  [...network.layers.hidden, network.layers.output!].forEach((layer, k) => {
    layer.set({ squash: Neuron.squash[squashes[k]] });
  });
  return network;
}

describe('export then import', () => {
  const cases: Array<[string, () => Network]> = [
    ['Perceptron(5, 7, 6, 4), LOGISTIC', () => layered(1, ['LOGISTIC', 'LOGISTIC', 'LOGISTIC'])],
    ['TANH, RELU, IDENTITY layers', () => layered(2, ['TANH', 'RELU', 'IDENTITY'])],
    ['RELU, HLIM, TANH layers', () => layered(3, ['RELU', 'HLIM', 'TANH'])],
    [
      'Hopfield(10)',
      () => {
        setRandom(mulberry32(4));
        return new Hopfield(10);
      },
    ],
  ];
  for (const [name, make] of cases) {
    it(`${name}: the imported network computes the same outputs within 1e-6`, () => {
      const network = make();
      const imported = fromONNX(toONNX(network));
      expect(imported.layers.hidden.map((l) => l.size)).toEqual(network.layers.hidden.map((l) => l.size));
      const rows = randomRows(50, network.inputs(), mulberry32(7));
      expect(maxDifference(outputsOf(imported, rows), outputsOf(network, rows))).toBeLessThan(1e-6);
    });
  }

  it('is a fixed point: exporting the imported network writes the same bytes', () => {
    const bytes = toONNX(layered(5, ['TANH', 'RELU', 'LOGISTIC']));
    expect(Buffer.from(toONNX(fromONNX(bytes))).equals(Buffer.from(bytes))).toBe(true);
  });

  it('keeps the weights as float32 values and every squash', () => {
    const network = layered(6, ['TANH', 'HLIM', 'RELU']);
    const imported = fromONNX(toONNX(network));
    const original = format1x(network.toJSON());
    const copy = format1x(imported.toJSON());
    expect(copy.neurons.map((n) => n.squash)).toEqual(original.neurons.map((n) => n.squash));
    expect(copy.connections.map((c) => c.weight)).toEqual(original.connections.map((c) => Math.fround(c.weight)));
    expect(copy.neurons.slice(5).map((n) => n.bias)).toEqual(original.neurons.slice(5).map((n) => Math.fround(n.bias)));
  });
});

/** A model laid out the way other exporters write them (opset 11, names of their own, raw data). */
function foreignModel(next: () => number): Uint8Array {
  const values = (n: number) => Array.from({ length: n }, () => next() - 0.5);
  const raw = (v: number[]) => new Uint8Array(Float32Array.from(v).buffer);
  const w1 = values(6 * 8);
  const w2 = values(5 * 8);
  const initializer: ONNX.ITensorProto[] = [
    { name: 'fc1.weight', dataType: FLOAT, dims: [6, 8], rawData: raw(w1) },
    { name: 'fc2.weight', dataType: FLOAT, dims: [5, 8], floatData: w2 },
    { name: 'fc2.bias', dataType: FLOAT, dims: [5], rawData: raw(values(5)) },
    { name: 'shape', dataType: INT64, dims: [2], int64Data: [-1, 5] },
  ];
  const node: ONNX.INodeProto[] = [
    { opType: 'Flatten', input: ['x'], output: ['flat'], attribute: [{ name: 'axis', type: INT, i: 1 }] },
    {
      opType: 'Constant',
      input: [],
      output: ['fc1.bias'],
      attribute: [
        {
          name: 'value',
          type: onnx.AttributeProto.AttributeType.TENSOR,
          t: { dataType: FLOAT, dims: [8], floatData: values(8) },
        },
      ],
    },
    { opType: 'MatMul', input: ['flat', 'fc1.weight'], output: ['mm'] },
    { opType: 'Add', input: ['fc1.bias', 'mm'], output: ['pre1'] },
    { opType: 'Relu', input: ['pre1'], output: ['h1'] },
    {
      opType: 'Gemm',
      input: ['h1', 'fc2.weight', 'fc2.bias'],
      output: ['pre2'],
      attribute: [
        { name: 'alpha', type: FLOAT_ATTR, f: 0.5 },
        { name: 'beta', type: FLOAT_ATTR, f: 2 },
        { name: 'transB', type: INT, i: 1 },
      ],
    },
    { opType: 'Tanh', input: ['pre2'], output: ['h2'] },
    { opType: 'Sigmoid', input: ['h2'], output: ['h3'] },
    { opType: 'Reshape', input: ['h3', 'shape'], output: ['h4'] },
    { opType: 'Identity', input: ['h4'], output: ['y'] },
  ];
  const info = (name: string, dims: Array<number | string>): ONNX.IValueInfoProto => ({
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
  const model: ONNX.IModelProto = {
    irVersion: 6,
    producerName: 'pytorch',
    producerVersion: '1.13.1',
    opsetImport: [{ domain: '', version: 11 }],
    graph: {
      name: 'torch_jit',
      node,
      initializer,
      // older exporters list the initializers among the inputs too
      input: [info('x', ['N', 2, 3]), info('fc1.weight', [6, 8]), info('fc2.weight', [5, 8])],
      output: [info('y', ['N', 5])],
    },
  };
  return onnx.ModelProto.encode(model).finish();
}

describe('a model written as another tool writes it', () => {
  it('imports into a network that matches onnxruntime within 1e-5', async () => {
    const bytes = foreignModel(mulberry32(42));
    const network = fromONNX(bytes);
    expect(network.inputs()).toBe(6);
    expect(network.outputs()).toBe(5);
    // Flatten is free, MatMul+Add+Relu one layer, Gemm+Tanh one, Sigmoid of a Tanh a copy layer
    expect(network.layers.hidden.map((l) => l.size)).toEqual([8, 5]);
    const rows = randomRows(4, 6, mulberry32(1));
    const model = await session(bytes);
    // the model reads [N, 2, 3]; the network reads the same numbers flattened, row-major
    const result = await model.run({ x: tensor(rows).reshape([4, 2, 3]) });
    expect(maxDifference(outputsOf(network, rows), rowsOf(result.y))).toBeLessThan(1e-5);
  });

  it('reads weights stored as doubles (typed or raw) and a reshape target as raw int64', () => {
    const { DOUBLE } = onnx.TensorProto.DataType;
    const weights = [0.1, -0.2, 0.3, 0.4, -0.5, 0.6];
    const bytes = onnx.ModelProto.encode({
      irVersion: 7,
      opsetImport: [{ domain: '', version: 13 }],
      graph: {
        name: 'doubles',
        node: [
          { opType: 'MatMul', input: ['x', 'w'], output: ['z'] },
          { opType: 'Add', input: ['z', 'b'], output: ['s'] },
          { opType: 'Reshape', input: ['s', 'shape'], output: ['y'] },
        ],
        initializer: [
          { name: 'w', dataType: DOUBLE, dims: [2, 3], doubleData: weights },
          { name: 'b', dataType: DOUBLE, dims: [1, 3], rawData: new Uint8Array(Float64Array.from([1, 2, 3]).buffer) },
          { name: 'shape', dataType: INT64, dims: [2], rawData: new Uint8Array(BigInt64Array.from([0n, -1n]).buffer) },
        ],
        input: [
          {
            name: 'x',
            type: {
              tensorType: {
                elemType: onnx.TensorProto.DataType.DOUBLE,
                shape: { dim: [{ dimParam: 'N' }, { dimValue: 2 }] },
              },
            },
          },
        ],
        output: [
          {
            name: 'y',
            type: {
              tensorType: {
                elemType: onnx.TensorProto.DataType.DOUBLE,
                shape: { dim: [{ dimParam: 'N' }, { dimValue: 3 }] },
              },
            },
          },
        ],
      },
    }).finish();
    const network = fromONNX(bytes);
    // s_t = b_t + Σ_s x_s w[s][t], in double precision
    const [x0, x1] = [0.5, -2];
    const want = [0, 1, 2].map((t) => t + 1 + x0 * weights[t] + x1 * weights[3 + t]);
    expect(network.activate([x0, x1])).toEqual(want.map((v) => expect.closeTo(v, 14)));
  });

  it('is trainable: propagating a target moves the outputs toward it', () => {
    const network = fromONNX(foreignModel(mulberry32(43)));
    const input = [0.1, -0.2, 0.3, 0.4, -0.5, 0.6];
    const target = [0.9, 0.1, 0.9, 0.1, 0.9];
    const error = () => network.activate(input).reduce((sum, y, k) => sum + (y - target[k]) ** 2, 0);
    const before = error();
    for (let k = 0; k < 200; k++) {
      network.activate(input);
      network.propagate(0.3, target);
    }
    expect(error()).toBeLessThan(before / 4);
  });

  it('Softmax becomes a softmax layer matching onnxruntime (refused clearly by a core without SOFTMAX)', async () => {
    const w = Array.from({ length: 12 }, (_, k) => Math.fround(Math.sin(k)));
    const bytes = onnx.ModelProto.encode({
      irVersion: 7,
      opsetImport: [{ domain: '', version: 13 }],
      graph: {
        name: 'softmax',
        node: [
          { opType: 'MatMul', input: ['x', 'w'], output: ['z'] },
          { opType: 'Softmax', input: ['z'], output: ['p'], attribute: [{ name: 'axis', type: INT, i: -1 }] },
        ],
        initializer: [{ name: 'w', dataType: FLOAT, dims: [4, 3], floatData: w }],
        input: [
          {
            name: 'x',
            type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: 4 }] } } },
          },
        ],
        output: [
          {
            name: 'p',
            type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: 3 }] } } },
          },
        ],
      },
    }).finish();
    if (!('SOFTMAX' in Neuron.squash)) {
      expect(() => fromONNX(bytes)).toThrow(/Softmax needs Neuron\.squash\.SOFTMAX/);
      return;
    }
    const network = fromONNX(bytes);
    const rows = randomRows(3, 4, mulberry32(3));
    const result = await (await session(bytes)).run({ x: tensor(rows) });
    expect(maxDifference(outputsOf(network, rows), rowsOf(result.p))).toBeLessThan(1e-5);
  });
});
