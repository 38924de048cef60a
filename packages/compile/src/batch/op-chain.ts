/**
 * Which networks with layer-level projections ("ops") run batched: a chain input → layer → … →
 * output where each layer after the input is fed by the layer before it only, either through one
 * dense ALL_TO_ALL block (topology.ts) or through one CONVOLUTION, MAX_POOL or AVERAGE_POOL op.
 * Reading a network gives one stage per layer, with the live arrays of the network.
 */
import type { AveragePool, Convolution, Layer, MaxPool, Network } from '@synaptic/core';
import { checkUnit, type DenseLayer, fail, readDenseLayer, squashKernel } from './topology.js';

/** What every layer of a chain has: its units' biases, squash or layer function. */
export type LayerUnits = Pick<
  DenseLayer,
  'size' | 'bias' | 'biasGradient' | 'biasFixed' | 'layerFunction' | 'squash' | 'squashes'
>;

export type Stage =
  | { readonly kind: 'dense'; readonly units: DenseLayer; readonly dense: DenseLayer }
  | { readonly kind: 'conv'; readonly units: LayerUnits; readonly op: Convolution }
  | { readonly kind: 'pool'; readonly units: LayerUnits; readonly op: MaxPool | AveragePool };

export interface OpChain {
  readonly inputSize: number;
  /** per layer after the input, in order */
  readonly stages: readonly Stage[];
}

const KINDS = new Set(['CONVOLUTION', 'MAX_POOL', 'AVERAGE_POOL']);

/** Whether any layer of `network` is joined by an op (then `readOpChain` reads it). */
export function hasOps(network: Network): boolean {
  const { input, hidden, output } = network.layers;
  return [input, ...hidden, output].some((l) => l !== null && (l.opsIn.length > 0 || l.opsOut.length > 0));
}

function opUnits(layer: Layer, name: string): LayerUnits {
  const units = layer.list;
  if (units.length === 0) fail(`${name} is empty`);
  const fn = layer.layerFunction;
  if (fn !== null && (fn.learnable || layer.groupSize() !== units.length))
    fail(
      `${name} runs ${fn.learnable ? fn.name : `${fn.name} over groups`} (compile() runs it; compileBatch does not yet)`,
    );
  const store = units[0].store;
  units.forEach((unit, j) => {
    checkUnit(unit, `unit ${j} of ${name}`);
    if (unit.inputs.length > 0) fail(`unit ${j} of ${name} has connections besides its layer-level projection`);
    if (unit.store !== store || unit.index !== units[0].index + j)
      fail(`${name}'s units are not stored together (the layer was assembled from other layers' units)`);
  });
  const m = units.length;
  const first = units[0].index;
  const biasGradient = (store.biasGradient ??= new Float64Array(store.size));
  const squashes = units.map((u) => u.store.squash[u.index]);
  return {
    size: m,
    bias: store.bias.subarray(first, first + m),
    biasGradient: biasGradient.subarray(first, first + m),
    biasFixed: store.biasFixed ? store.biasFixed.subarray(first, first + m) : null,
    layerFunction: fn,
    squash: fn ? 'CUSTOM' : squashKernel(squashes),
    squashes,
  };
}

/** The chain of `network`, or a `BatchUnsupportedError` naming the layer that does not fit. */
export function readOpChain(network: Network): OpChain {
  const { input, hidden, output } = network.layers;
  if (input === null || output === null) fail('the network has no input or output layer');
  const all = [input, ...hidden, output];
  if (input.opsIn.length > 0) fail('the input layer is the target of a layer-level projection');
  input.list.forEach((unit, k) => {
    checkUnit(unit, `input unit ${k}`);
    if (unit.inputs.length > 0) fail(`input unit ${k} has incoming connections`);
  });
  const stages: Stage[] = [];
  for (let l = 1; l < all.length; l++) {
    const layer = all[l];
    const name = l === all.length - 1 ? 'the output layer' : `hidden layer ${l - 1}`;
    const before = l === 1 ? 'the input layer' : `hidden layer ${l - 2}`;
    for (const op of all[l - 1].opsOut)
      if (op.target !== layer)
        fail(`${before} feeds a layer-level projection (${op.kind}) into a layer other than the next one`);
    if (layer.opsIn.length === 0) {
      const dense = readDenseLayer(all, l, name);
      stages.push({ kind: 'dense', units: dense, dense });
      continue;
    }
    const op = layer.opsIn[0];
    if (layer.opsIn.length > 1)
      fail(`${name} is the target of ${layer.opsIn.length} layer-level projections (batched execution runs one)`);
    if (!KINDS.has(op.kind))
      fail(`${name} is joined by a ${op.kind} projection, which batched execution does not run yet`);
    if (op.sources.length !== 1 || op.sources[0] !== all[l - 1])
      fail(`${name}'s ${op.kind} does not read the layer before it`);
    const units = opUnits(layer, name);
    if (op.kind === 'CONVOLUTION') stages.push({ kind: 'conv', units, op: op as Convolution });
    else stages.push({ kind: 'pool', units, op: op as MaxPool | AveragePool });
  }
  return { inputSize: input.list.length, stages };
}
