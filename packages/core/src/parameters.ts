/**
 * Parameters apart from connections: the trained numbers of a network as tensors over its own
 * storage. A weight tensor is a block's weight array (one entry per slot); a bias tensor is a run
 * of a store's biases. `value` is live (writing it changes the network) and `gradient` is where
 * `backward` adds ∂E/∂θ.
 */
import type { Layer } from './layer.js';
import { DENSE, LIST, type Block } from './storage/block.js';
import type { NeuronStore } from './storage/neuron-store.js';

export interface Parameter {
  /** e.g. "hidden[0]->output.weight" or "output.bias" */
  readonly name: string;
  /** the numbers themselves, live */
  readonly value: Float64Array;
  /** ∂E/∂θ summed by `backward` since the last `zeroGradients()`, entry by entry */
  readonly gradient: Float64Array;
  /**
   * 1 where an entry is fixed or is no parameter at all (the unused diagonal of ALL_TO_ELSE):
   * optimizers must leave those entries alone. null when every entry is trained.
   */
  readonly fixed: Uint8Array | null;
}

function layerName(layer: Layer, index: number, count: number): string {
  if (layer.label) return layer.label;
  if (index === 0) return 'input';
  if (index === count - 1) return 'output';
  return `hidden[${index - 1}]`;
}

/** A block's weights as a parameter; null when all of them are fixed. */
function blockParameter(block: Block, name: string): Parameter | null {
  const length = block.kind === LIST ? block.length : block.weight.length;
  let fixed: Uint8Array | null = block.fixed ? block.fixed.subarray(0, length) : null;
  if (block.kind === DENSE && block.skipDiagonal) {
    // the diagonal of a layer projected onto itself holds no connection
    const mask = new Uint8Array(length);
    if (fixed) mask.set(fixed);
    for (let t = 0, n = block.from.length; t < block.to.length; t++) mask[t * n + t] = 1;
    fixed = mask;
  }
  if (fixed?.every((f) => f === 1)) return null;
  const gradient = block.ensureGradient();
  return {
    name,
    value: block.weight.subarray(0, length),
    gradient: gradient.subarray(0, length),
    fixed,
  };
}

function biasParameter(store: NeuronStore, a: number, b: number, name: string): Parameter | null {
  const fixed = store.biasFixed ? store.biasFixed.subarray(a, b) : null;
  if (fixed?.every((f) => f === 1)) return null;
  const gradient = (store.biasGradient ??= new Float64Array(store.size));
  return { name, value: store.bias.subarray(a, b), gradient: gradient.subarray(a, b), fixed };
}

/**
 * Every trained number of `layers` (the first is the input layer, whose biases are not trained)
 * exactly once: per layer its biases, then the blocks of connections into its units, in order.
 * Self-connections are not parameters (LSTM-g keeps them fixed); nor are fully fixed tensors.
 * After a layer's blocks come the tensors of the ops into it (a convolution's kernel and biases).
 */
export function collectParameters(layers: readonly Layer[]): Parameter[] {
  const tensors: Parameter[] = [];
  const seen = new Set<Block>();
  const arrays = new Set<Float64Array>();
  layers.forEach((layer, l) => {
    const lname = layerName(layer, l, layers.length);
    if (l > 0) {
      const runs = storeRuns(layer);
      for (const { store, a, b, suffix } of runs) {
        const p = biasParameter(store, a, b, `${lname}.bias${suffix}`);
        if (p) tensors.push(p);
      }
      // LAYER_NORM's γ and β, per unit
      if (layer.layerFunction?.learnable) {
        for (const { store, a, b, suffix } of runs) {
          const { gamma } = store.ensureNorm();
          tensors.push({
            name: `${lname}.gamma${suffix}`,
            value: gamma.subarray(a, b),
            gradient: store.gammaGradient!.subarray(a, b),
            fixed: null,
          });
        }
        for (const { store, a, b, suffix } of runs) {
          store.ensureNorm();
          tensors.push({
            name: `${lname}.beta${suffix}`,
            value: store.beta!.subarray(a, b),
            gradient: store.betaGradient!.subarray(a, b),
            fixed: null,
          });
        }
      }
    }
    layer.list.forEach((unit, k) => {
      for (const seg of unit.inputs) {
        const block = seg.block;
        if (seen.has(block)) continue;
        seen.add(block);
        // tied blocks share one weight array: one parameter
        if (arrays.has(block.weight)) continue;
        arrays.add(block.weight);
        // connections from outside the network are trained as well (they feed its units)
        const lc = block.layerConnection;
        const name = lc ? `${lc.from.label ?? layerNameOf(lc.from, layers)}->${lname}.weight` : `${lname}[${k}].weight`;
        const p = blockParameter(block, name);
        if (p) tensors.push(p);
      }
    });
    // the tensors of the layer-level projections (ops/) into the layer: a kernel, a bias per map
    layer.opsIn.forEach((op, o) => {
      const prefix = layer.opsIn.length === 1 ? lname : `${lname}.${op.kind.toLowerCase()}[${o}]`;
      for (const t of op.tensors) {
        if (t.fixed?.every((f) => f === 1)) continue;
        tensors.push({ name: `${prefix}.${t.name}`, value: t.value, gradient: t.gradient, fixed: t.fixed });
      }
    });
  });
  return tensors;
}

/** A layer's units as runs of consecutive slots of one store (usually one run: the whole store). */
function storeRuns(layer: Layer): Array<{ store: NeuronStore; a: number; b: number; suffix: string }> {
  const runs: Array<{ store: NeuronStore; a: number; b: number; suffix: string }> = [];
  const list = layer.list;
  let start = 0;
  for (let k = 1; k <= list.length; k++) {
    const prev = list[k - 1];
    const cur = list[k];
    if (cur !== undefined && cur.store === prev.store && cur.index === prev.index + 1) continue;
    const first = list[start];
    const whole = start === 0 && k === list.length;
    runs.push({ store: first.store, a: first.index, b: prev.index + 1, suffix: whole ? '' : `[${start}..${k - 1}]` });
    start = k;
  }
  return runs;
}

function layerNameOf(layer: Layer, layers: readonly Layer[]): string {
  const index = layers.indexOf(layer);
  return index < 0 ? 'external' : layerName(layer, index, layers.length);
}
