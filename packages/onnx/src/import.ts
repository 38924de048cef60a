/**
 * Reads an ONNX model of a multilayer perceptron (as PyTorch, Keras or scikit-learn write them, or
 * as `toONNX` writes a layered network) into a trainable network: every Gemm or MatMul (plus Add)
 * becomes a layer with an ALL_TO_ALL projection from the layer it reads, every activation that
 * follows it that layer's squash.
 */
import { Layer, Network, Neuron, type SquashFunction } from '@synaptic/core';
import { ONNXImportError } from './errors.js';
import { onnx } from './proto.js';
import { attributes, decode, inputDims } from './read-model.js';
import { type ConstTensor, readTensor } from './tensor.js';

/** A computed tensor: the activations of a layer, shape [batch, ...dims] (flat when dims has one entry). */
interface LayerValue {
  layer: Layer;
  dims: number[];
  /** made by Gemm or MatMul (+ Add) with its squash still IDENTITY: an activation or bias can fold into it */
  open: boolean;
}

const CONVOLUTION = new Set(['Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool']);
const ACTIVATIONS: Record<string, string> = { Sigmoid: 'LOGISTIC', Tanh: 'TANH', Relu: 'RELU', Softmax: 'SOFTMAX' };

function squashFor(name: string, op: string): SquashFunction {
  const fn = (Neuron.squash as Readonly<Record<string, SquashFunction | undefined>>)[name];
  if (!fn)
    throw new ONNXImportError(
      `fromONNX: ${op} needs Neuron.squash.${name}, which this version of @synaptic/core does not have`,
    );
  return fn;
}

/** Reads an ONNX model into a network. Throws an `ONNXImportError` naming the node it cannot read. */
export function fromONNX(bytes: Uint8Array | ArrayBuffer): Network {
  const graph = decode(bytes).graph;
  if (!graph) throw new ONNXImportError('fromONNX: the model has no graph');
  const consts = new Map<string, ConstTensor>();
  for (const t of graph.initializer ?? []) consts.set(t.name ?? '', readTensor(t, `initializer ${t.name}`));
  const dataInputs = (graph.input ?? []).filter((i) => !consts.has(i.name ?? ''));
  if (dataInputs.length !== 1)
    throw new ONNXImportError(
      `fromONNX: a network has one input, this graph has ${dataInputs.length} (${dataInputs.map((i) => i.name).join(', ')}); step functions with carried state cannot be imported`,
    );
  if ((graph.output ?? []).length !== 1)
    throw new ONNXImportError(`fromONNX: a network has one output, this graph has ${(graph.output ?? []).length}`);

  const uses = new Map<string, number>();
  const use = (name: string) => uses.set(name, (uses.get(name) ?? 0) + 1);
  for (const node of graph.node ?? []) for (const name of node.input ?? []) if (name) use(name);
  use(graph.output![0].name ?? '');

  const input = dataInputs[0];
  const dims = inputDims(input);
  const inputLayer = new Layer(dims.reduce((a, d) => a * d, 1));
  const layers: Layer[] = [inputLayer];
  const values = new Map<string, LayerValue>([[input.name ?? '', { layer: inputLayer, dims, open: false }]]);

  /** Greater(s, 0) outputs, waiting for the Cast that makes them a hard limit */
  const comparisons = new Map<string, LayerValue>();
  const newLayer = (size: number, squash?: SquashFunction): Layer => {
    const layer = new Layer(size);
    layer.set({ bias: 0, squash: squash ?? Neuron.squash.IDENTITY });
    layers.push(layer);
    return layer;
  };

  for (const node of graph.node ?? []) {
    const op = node.opType ?? '';
    const where = `node ${node.name || op} (${op})`;
    const inputs = (node.input ?? []).filter((name) => name !== '');
    const outputs = node.output ?? [];
    const attr = attributes(node);
    const layerIn = (k: number): LayerValue => {
      const v = values.get(inputs[k]);
      if (!v) {
        if (consts.has(inputs[k]))
          throw new ONNXImportError(
            `fromONNX: ${where}: input ${k + 1} must be computed from the graph input, not a constant`,
          );
        throw new ONNXImportError(`fromONNX: ${where}: input ${inputs[k]} is not computed before this node`);
      }
      return v;
    };
    const constIn = (k: number): ConstTensor => {
      const c = consts.get(inputs[k]);
      if (!c)
        throw new ONNXImportError(
          `fromONNX: ${where}: input ${k + 1} (${inputs[k]}) must be a constant (an initializer)`,
        );
      return c;
    };
    const flat = (v: LayerValue): number => {
      if (v.dims.length !== 1)
        throw new ONNXImportError(
          `fromONNX: ${where} reads a tensor of shape [batch, ${v.dims.join(', ')}]; flatten it first (only [batch, n] is supported)`,
        );
      return v.dims[0];
    };
    const set = (v: LayerValue) => values.set(outputs[0], v);
    const openFor = (v: LayerValue, name: string) => v.open && uses.get(name) === 1;

    if (CONVOLUTION.has(op))
      throw new ONNXImportError(`fromONNX: ${where}: convolution and pooling are not in @synaptic/core yet`);
    switch (op) {
      case 'Constant': {
        const t = node.attribute?.find((a) => a.name === 'value')?.t;
        if (!t)
          throw new ONNXImportError(`fromONNX: ${where}: only Constant nodes with a tensor \`value\` are supported`);
        consts.set(outputs[0], readTensor(t, where));
        break;
      }
      case 'Gemm':
      case 'MatMul': {
        const x = layerIn(0);
        const n = flat(x);
        const b = constIn(1);
        const transB = op === 'Gemm' && (attr.transB ?? 0) !== 0;
        if (op === 'Gemm' && (attr.transA ?? 0) !== 0)
          throw new ONNXImportError(`fromONNX: ${where}: transA=1 is not supported (the batch is the first axis)`);
        if (b.dims.length !== 2)
          throw new ONNXImportError(
            `fromONNX: ${where}: the weights must be a matrix, got shape ${JSON.stringify(b.dims)}`,
          );
        const [rows, cols] = b.dims;
        const m = transB ? rows : cols;
        if ((transB ? cols : rows) !== n)
          throw new ONNXImportError(
            `fromONNX: ${where}: weights of shape ${JSON.stringify(b.dims)} do not fit an input of ${n}`,
          );
        const alpha = op === 'Gemm' ? (attr.alpha ?? 1) : 1;
        const weights = new Float64Array(n * m);
        // 1.x's order of an ALL_TO_ALL projection: source by source, then target by target
        for (let s = 0; s < n; s++)
          for (let t = 0; t < m; t++) weights[s * m + t] = alpha * b.data[transB ? t * cols + s : s * cols + t];
        checkFinite(weights, where);
        const layer = newLayer(m);
        x.layer.project(layer, Layer.connectionType.ALL_TO_ALL, weights);
        if (op === 'Gemm' && inputs.length > 2) addBias(layer, constIn(2), attr.beta ?? 1, where);
        set({ layer, dims: [m], open: true });
        break;
      }
      case 'Add': {
        const k = values.has(inputs[0]) ? 0 : 1;
        const x = layerIn(k);
        if (!consts.has(inputs[1 - k]))
          throw new ONNXImportError(
            `fromONNX: ${where}: adding two computed tensors (a skip connection) is not supported`,
          );
        if (!openFor(x, inputs[k]))
          throw new ONNXImportError(`fromONNX: ${where}: a bias must be added right after Gemm or MatMul`);
        flat(x);
        addBias(x.layer, constIn(1 - k), 1, where);
        set(x);
        break;
      }
      case 'Sigmoid':
      case 'Tanh':
      case 'Relu':
      case 'Softmax': {
        const x = layerIn(0);
        const n = flat(x);
        if (op === 'Softmax') {
          const axis = attr.axis ?? -1;
          if (axis !== -1 && axis !== 1)
            throw new ONNXImportError(`fromONNX: ${where}: softmax over axis ${axis} of a [batch, n] tensor`);
        }
        const fn = squashFor(ACTIVATIONS[op], op);
        if (openFor(x, inputs[0])) {
          x.layer.set({ squash: fn });
          set({ layer: x.layer, dims: [n], open: false });
        } else {
          // an activation of something already squashed: a layer that copies it (ONE_TO_ONE, weight 1)
          const layer = newLayer(n, fn);
          x.layer.project(layer, Layer.connectionType.ONE_TO_ONE, 1);
          set({ layer, dims: [n], open: false });
        }
        break;
      }
      case 'Greater': {
        // HLIM as toONNX writes it: Cast(Greater(s, 0), float)
        const x = layerIn(0);
        const zero = constIn(1);
        if (!openFor(x, inputs[0]) || zero.data.length !== 1 || zero.data[0] !== 0)
          throw new ONNXImportError(
            `fromONNX: ${where}: only Greater(Gemm or MatMul output, 0) followed by Cast (a hard limit) is supported`,
          );
        comparisons.set(outputs[0], x);
        break;
      }
      case 'Cast': {
        const x = comparisons.get(inputs[0]);
        const to = attr.to ?? 0;
        if (
          !x ||
          uses.get(inputs[0]) !== 1 ||
          (to !== onnx.TensorProto.DataType.FLOAT && to !== onnx.TensorProto.DataType.DOUBLE)
        )
          throw new ONNXImportError(`fromONNX: ${where}: only Cast(Greater(s, 0), float) (a hard limit) is supported`);
        x.layer.set({ squash: Neuron.squash.HLIM });
        set({ layer: x.layer, dims: x.dims, open: false });
        break;
      }
      case 'Identity':
      case 'Dropout':
        set({ ...layerIn(0), open: false });
        break;
      case 'Flatten': {
        const x = layerIn(0);
        const axis = attr.axis ?? 1;
        if (axis !== 1) throw new ONNXImportError(`fromONNX: ${where}: only axis=1 (keep the batch) is supported`);
        set({ layer: x.layer, dims: [x.dims.reduce((a, d) => a * d, 1)], open: false });
        break;
      }
      case 'Reshape': {
        const x = layerIn(0);
        const size = x.dims.reduce((a, d) => a * d, 1);
        const shape = Array.from(constIn(1).data);
        if (!(shape.length === 2 && [0, -1].includes(shape[0]) && [size, -1].includes(shape[1])))
          throw new ONNXImportError(
            `fromONNX: ${where}: only reshapes to [batch, ${size}] are supported, got ${JSON.stringify(shape)}`,
          );
        set({ layer: x.layer, dims: [size], open: false });
        break;
      }
      default:
        throw new ONNXImportError(
          `fromONNX: ${where}: unsupported op (supported: Gemm, MatMul, Add, Sigmoid, Tanh, Relu, Softmax, Greater+Cast, Identity, Dropout, Flatten, Reshape)`,
        );
    }
  }

  const out = values.get(graph.output![0].name ?? '');
  if (!out)
    throw new ONNXImportError(`fromONNX: the graph output ${graph.output![0].name} is not computed by the graph`);
  if (out.layer === inputLayer || out.dims.length !== 1)
    throw new ONNXImportError('fromONNX: the graph output must be a [batch, n] tensor computed by at least one layer');
  if (out.layer !== layers[layers.length - 1])
    throw new ONNXImportError('fromONNX: the graph output must be the last layer the graph computes');
  return new Network({ input: inputLayer, hidden: layers.slice(1, -1), output: out.layer });
}

function addBias(layer: Layer, c: ConstTensor, beta: number, where: string): void {
  const m = layer.size;
  const size = c.data.length;
  const rows = c.dims.length === 2 ? c.dims[0] : 1;
  if (!(size === m || size === 1) || rows !== 1)
    throw new ONNXImportError(`fromONNX: ${where}: a bias of shape ${JSON.stringify(c.dims)} for ${m} units`);
  const bias = Float64Array.from(layer.list, (_, t) => beta * c.data[size === 1 ? 0 : t]);
  checkFinite(bias, where);
  layer.list.forEach((neuron, t) => {
    neuron.bias += bias[t];
  });
}

function checkFinite(values: Float64Array, where: string): void {
  if (!values.every(Number.isFinite)) throw new ONNXImportError(`fromONNX: ${where}: a weight is not finite`);
}
