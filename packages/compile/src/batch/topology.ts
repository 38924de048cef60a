/**
 * Which networks run as matrix products: layered ones, where each layer after the input takes one
 * dense ALL_TO_ALL block from the layer before it and nothing else (no gates, no self-connections,
 * no neuron-level links, no skips). Reading a network gives its `DenseChain`: per layer the live
 * arrays of the network (weights, biases, their gradients and fixed masks) and its activation.
 */
import {
  type Block,
  DENSE,
  type Layer,
  type LayerFunction,
  type Network,
  type Neuron,
  type SquashFunction,
  squash,
  SynapticError,
} from '@synaptic/core';

/** A network that batched execution cannot run, with the reason. */
export class BatchUnsupportedError extends SynapticError {
  override name = 'BatchUnsupportedError';
}

export type SquashKernel = 'LOGISTIC' | 'TANH' | 'IDENTITY' | 'HLIM' | 'RELU' | 'CUSTOM';

export interface DenseLayer {
  /** the block of connections from the layer before */
  readonly block: Block;
  /** units of this layer (m) and of the layer before (n) */
  readonly size: number;
  readonly inputs: number;
  /** m × n, row-major by target unit: the block's own weight array */
  readonly weight: Float64Array;
  readonly weightGradient: Float64Array;
  readonly weightFixed: Uint8Array | null;
  /** the layer's biases (a run of its store) and their gradient */
  readonly bias: Float64Array;
  readonly biasGradient: Float64Array;
  readonly biasFixed: Uint8Array | null;
  /** the softmax (core's kernel), or null: every unit squashes its own state */
  readonly layerFunction: LayerFunction | null;
  readonly squash: SquashKernel;
  /** each unit's own function, used when `squash` is CUSTOM */
  readonly squashes: readonly SquashFunction[];
}

export interface DenseChain {
  readonly inputSize: number;
  readonly layers: readonly DenseLayer[];
}

export function fail(problem: string): never {
  throw new BatchUnsupportedError(
    `compileBatch: ${problem}; batched execution runs layered networks (dense ALL_TO_ALL projections from each layer to the next, no gates, no self-connections); use compile() or the network itself for this one`,
  );
}

export function squashKernel(fns: readonly SquashFunction[]): SquashKernel {
  const first = fns[0];
  if (!fns.every((f) => f === first)) return 'CUSTOM';
  for (const name of ['LOGISTIC', 'TANH', 'IDENTITY', 'HLIM', 'RELU'] as const) if (squash[name] === first) return name;
  return 'CUSTOM';
}

export function checkUnit(unit: Neuron, where: string): void {
  if (unit.store.selfWeight[unit.index] !== 0) fail(`${where} has a self-connection`);
  if (unit.selfGater !== null || unit.gatedGroups.length > 0) fail(`${where} gates a connection`);
}

/** The dense chain of `network`, or a `BatchUnsupportedError` naming what is not a dense layer. */
export function readDenseChain(network: Network): DenseChain {
  const { input, hidden, output } = network.layers;
  if (input === null || output === null) fail('the network has no input or output layer');
  const all = [input, ...hidden, output];
  all.forEach((layer, l) => {
    const op = layer.opsIn[0] ?? layer.opsOut[0];
    if (op !== undefined)
      fail(
        `${l === 0 ? 'the input layer' : l === all.length - 1 ? 'the output layer' : `hidden layer ${l - 1}`} is joined by a layer-level projection (${op.kind}), which batched execution does not run yet`,
      );
  });
  input.list.forEach((unit, k) => {
    checkUnit(unit, `input unit ${k}`);
    if (unit.inputs.length > 0) fail(`input unit ${k} has incoming connections`);
  });
  const layers: DenseLayer[] = [];
  for (let l = 1; l < all.length; l++)
    layers.push(readDenseLayer(all, l, l === all.length - 1 ? 'the output layer' : `hidden layer ${l - 1}`));
  return { inputSize: input.list.length, layers };
}

/** Layer `l` of `all` (input first) as a dense layer fed by layer l − 1 only, or a `BatchUnsupportedError` naming it `name`. */
export function readDenseLayer(all: readonly Layer[], l: number, name: string): DenseLayer {
  const previous = all[l - 1].list;
  const units = all[l].list;
  if (units.length === 0) fail(`${name} is empty`);
  const fn = all[l].layerFunction;
  if (fn !== null && (fn.learnable || all[l].groupSize() !== units.length))
    fail(
      `${name} runs ${fn.learnable ? fn.name : `${fn.name} over groups`} (compile() runs it; compileBatch does not yet)`,
    );
  const block = units[0].inputs[0]?.block;
  if (block === undefined) fail(`${name} has no connections from the layer before it`);
  if (block.kind !== DENSE || block.skipDiagonal || block.selfDiagonal)
    fail(`${name} is not projected ALL_TO_ALL from the layer before it`);
  if (block.to.length !== units.length || block.from.length !== previous.length)
    fail(`${name}'s projection does not join the whole layer before it to the whole layer`);
  if (block.gater?.some((g) => g !== null)) fail(`a connection into ${name} is gated`);
  const store = units[0].store;
  units.forEach((unit, j) => {
    checkUnit(unit, `unit ${j} of ${name}`);
    const seg = unit.inputs[0];
    if (unit.inputs.length !== 1 || seg.block !== block || seg.a !== j)
      fail(`unit ${j} of ${name} has connections other than from the layer before it`);
    if (block.to[j] !== unit) fail(`${name}'s projection does not join the whole layer before it to the whole layer`);
    if (unit.store !== store || unit.index !== units[0].index + j)
      fail(`${name}'s units are not stored together (the layer was assembled from other layers' units)`);
  });
  previous.forEach((unit, i) => {
    if (block.from[i] !== unit) fail(`${name}'s projection does not join the whole layer before it to the whole layer`);
  });
  const m = units.length;
  const n = previous.length;
  const first = units[0].index;
  const squashes = units.map((u) => u.store.squash[u.index]);
  return {
    block,
    size: m,
    inputs: n,
    weight: block.weight.subarray(0, m * n),
    // read when a batch needs them (the online kernel never does): allocated then, not when the chain is read
    get weightGradient() {
      return block.ensureGradient().subarray(0, m * n);
    },
    weightFixed: block.fixed ? block.fixed.subarray(0, m * n) : null,
    bias: store.bias.subarray(first, first + m),
    get biasGradient() {
      return (store.biasGradient ??= new Float64Array(store.size)).subarray(first, first + m);
    },
    biasFixed: store.biasFixed ? store.biasFixed.subarray(first, first + m) : null,
    layerFunction: all[l].layerFunction,
    squash: all[l].layerFunction ? 'CUSTOM' : squashKernel(squashes),
    squashes,
  };
}
