import type { Network } from '@synaptic/core';
import { ONNXExportError } from './errors.js';
import { batchTensorInfo } from './graph-builder.js';
import { planStep, type StepPlan } from './plan.js';
import { IR_VERSION, OPSET, onnx, type ONNX } from './proto.js';
import { type CarriedKind, StepGraph } from './step-graph.js';

export interface ToONNXOptions {
  /** The graph's name; default `synaptic`. */
  name?: string;
  /** A description stored in the model (shown by Netron); the carried values are described after it. */
  docString?: string;
}

/** A value a recurrent or gated step function carries from one step to the next. */
export interface CarriedValue {
  /** the graph input holding the previous step's value, e.g. `state.hidden2` */
  input: string;
  /** the graph output holding this step's value, to feed back as `input` next step: e.g. `state.hidden2.next` */
  output: string;
  /** `state` (s_j), `activation` (y_j) or `gain` (the gains a gater layer set, g = its y) */
  kind: CarriedKind;
  /** `hidden0`, `hidden1`, ... (in `network.layers.hidden` order) or `output` */
  layer: string;
  size: number;
}

/** The inputs and outputs of the graph `toONNX` writes for a network. */
export interface StepSignature {
  inputs: number;
  outputs: number;
  /** empty for a feed-forward network: then the graph maps `input` to `output` and nothing else */
  carried: CarriedValue[];
}

const ORDER: CarriedKind[] = ['state', 'activation', 'gain'];

function buildGraph(network: Network): { plan: StepPlan; graph: StepGraph; carried: CarriedValue[] } {
  const plan = planStep(network);
  const graph = new StepGraph(plan);
  graph.build();
  const carried: CarriedValue[] = [];
  plan.layers.forEach((layer, l) => {
    for (const kind of ORDER) {
      if (!graph.carried.has(`${kind}:${l}`)) continue;
      const input = graph.carriedName(kind, l);
      carried.push({ input, output: `${input}.next`, kind, layer: layer.name, size: layer.size });
    }
  });
  return { plan, graph, carried };
}

/** The graph's carried inputs and outputs for this network, without writing the model. */
export function stepSignature(network: Network): StepSignature {
  const { plan, carried } = buildGraph(network);
  return { inputs: plan.inputs, outputs: plan.layers[plan.layers.length - 1].size, carried };
}

/**
 * The network's current carried values, by graph input name, each a Float32Array of one row (batch
 * 1): feed them with the first step to continue where the network is. A new network starts at
 * states 0, activations 0 and gains 1.
 */
export function currentState(network: Network): Record<string, Float32Array> {
  const { carried } = buildGraph(network);
  const { input, hidden, output } = network.layers;
  const layers = [input!, ...hidden, output!];
  const byName = new Map(layers.map((layer, l) => [l === layers.length - 1 ? 'output' : `hidden${l - 1}`, layer]));
  const values: Record<string, Float32Array> = {};
  for (const c of carried) {
    const layer = byName.get(c.layer)!;
    values[c.input] = Float32Array.from(layer.list, (neuron) => {
      const { store, index } = neuron;
      const value =
        c.kind === 'state'
          ? store.state[index]
          : c.kind === 'activation'
            ? store.activation[index]
            : currentGain(neuron, c.layer);
      if (!Number.isFinite(value))
        throw new ONNXExportError(`currentState: the ${c.kind} of unit ${neuron.ID} of layer ${c.layer} is ${value}`);
      return value;
    });
  }
  return values;
}

/** The gain every connection gated by `gater` has now (they all take its activation when it activates). */
function currentGain(gater: Network['layers']['hidden'][number]['list'][number], layer: string): number {
  const gains: number[] = [];
  for (const group of gater.gatedGroups) {
    group.blocks.forEach((block, r) => {
      gains.push(block === null ? group.neuron.store.selfGain[group.neuron.index] : block.gain![group.slots[r]]);
    });
  }
  if (gains.length === 0) return 1;
  if (gains.some((g) => g !== gains[0]))
    throw new ONNXExportError(
      `currentState: the connections gated by unit ${gater.ID} of layer ${layer} have different gains (gated after it last activated); activate the network once first`,
    );
  return gains[0];
}

/**
 * Writes `network` as an ONNX model (opset 13, float32). The graph's input is `input`, shape
 * [batch, inputs], and its output `output`, shape [batch, outputs]. A feed-forward layered network
 * becomes Gemm and activation ops; a recurrent or gated one becomes one step function that also
 * reads the previous step's carried values and writes this step's (see `stepSignature`).
 * Throws an `ONNXExportError` for what ONNX cannot express (custom squash functions, units outside
 * the network's layers).
 */
export function toONNX(network: Network, options: ToONNXOptions = {}): Uint8Array {
  if (options === null || typeof options !== 'object')
    throw new ONNXExportError('toONNX: options must be an object like { name }');
  for (const key of ['name', 'docString'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || value === ''))
      throw new ONNXExportError(`toONNX: option ${key} must be a non-empty string`);
  }
  const { plan, graph, carried } = buildGraph(network);
  const b = graph.builder;
  const outputLayer = plan.layers.length - 1;

  // graph outputs are distinct names: rename the tensor a node made, or copy one already named
  const renamed = new Map<string, string>();
  const expose = (tensor: string, name: string) => {
    const current = renamed.get(tensor);
    if (current === undefined && b.producer(tensor)) {
      b.rename(tensor, name);
      renamed.set(tensor, name);
      return;
    }
    b.nodes.push({ opType: 'Identity', name: b.fresh('Identity_node'), input: [current ?? tensor], output: [name] });
  };
  expose(graph.newActivation(outputLayer).name, 'output');
  for (const c of carried) {
    const l = plan.layers.findIndex((layer) => layer.name === c.layer);
    expose((c.kind === 'state' ? graph.newState(l) : graph.newActivation(l)).name, c.output);
  }

  const doc = [
    options.docString ?? 'A synaptic network, exported by @synaptic/onnx.',
    carried.length === 0
      ? 'Feed-forward: output = f(input).'
      : `One activation step. Carried values (feed each output back as the input of the same name without ".next"; start from zeros, gains from ones): ${carried.map((c) => `${c.input} -> ${c.output} [batch, ${c.size}]`).join(', ')}.`,
  ].join(' ');
  const model: ONNX.IModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: '@synaptic/onnx',
    producerVersion: '0.1.0',
    docString: doc,
    graph: {
      name: options.name ?? 'synaptic',
      docString: doc,
      node: b.nodes,
      initializer: b.initializers,
      input: [
        batchTensorInfo('input', plan.inputs, 'the input layer'),
        ...carried.map((c) => batchTensorInfo(c.input, c.size, `previous ${c.kind} of layer ${c.layer}`)),
      ],
      output: [
        batchTensorInfo('output', plan.layers[outputLayer].size, 'the output layer'),
        ...carried.map((c) => batchTensorInfo(c.output, c.size, `new ${c.kind} of layer ${c.layer}`)),
      ],
    },
    metadataProps: [{ key: 'synaptic.carried', value: JSON.stringify(carried) }],
  };
  return onnx.ModelProto.encode(model).finish();
}
