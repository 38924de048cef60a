/**
 * NaN and Infinity never leave the network silently. Two checks, placed off the per-unit paths:
 * - the output vector of `activate`, once per call;
 * - the trained numbers (weights and biases) after `propagate`: they are copied into one reused
 *   buffer before, scanned once after, and put back when one is not finite, so a rejected
 *   propagation changes no weight. An executor with `propagateChecked` does that itself, in the
 *   loops that write them (compiled code keeps the old value of each number it writes), and the
 *   guard only names the culprit and has the executor undo the step (`reject`).
 */
import { NonFiniteError } from './errors.js';
import type { Layer } from './layer.js';
import type { Neuron } from './neuron.js';
import { LIST, type Block } from './storage/block.js';
import type { NeuronStore } from './storage/neuron-store.js';

/** A unit's place in network order (input layer, hidden layers, output layer), for messages. */
export function unitIndex(layers: readonly Layer[], neuron: Neuron): number {
  let offset = 0;
  for (const layer of layers) {
    const k = layer.list.indexOf(neuron);
    if (k !== -1) return offset + k;
    offset += layer.size;
  }
  return -1;
}

function describeNumber(value: number): string {
  return Number.isNaN(value) ? 'NaN' : String(value);
}

/** Throws a `NonFiniteError` naming the first output unit whose activation is not finite. */
export function checkOutputs(output: ArrayLike<number>, layers: readonly Layer[]): void {
  let acc = 0;
  for (let k = 0; k < output.length; k++) acc += output[k] - output[k];
  if (acc === 0) return;
  let before = 0;
  for (let l = 0; l < layers.length - 1; l++) before += layers[l].size;
  for (let k = 0; k < output.length; k++) {
    const y = output[k];
    if (!Number.isFinite(y)) {
      throw new NonFiniteError(
        `activate: output ${k} (unit ${before + k}) is ${describeNumber(y)}: the weights, biases or inputs are too large for floating point`,
        before + k,
      );
    }
  }
}

interface Tracked {
  /** the live numbers: a block's weights, a store's biases or an op's tensor */
  values: Float64Array;
  block: Block | null;
  store: NeuronStore | null;
  /** an op's tensor: what to call it */
  tensor?: string;
}

/** Saves and checks the trained numbers of a network around `propagate`. */
export class PropagationGuard {
  private version = Number.NaN;
  private tracked: Tracked[] = [];
  private backup = new Float64Array(0);

  /** Copies every weight and bias of `layers` (structure `version`) into the backup. */
  save(layers: readonly Layer[], version: number): void {
    if (version !== this.version) this.track(layers, version);
    let at = 0;
    for (const { values } of this.tracked) {
      this.backup.set(values, at);
      at += values.length;
    }
  }

  /** After `propagate`: throws (having put the saved numbers back) if one is not finite. */
  check(layers: readonly Layer[], rate: number): void {
    let acc = 0;
    for (const { values } of this.tracked) for (let i = 0; i < values.length; i++) acc += values[i] - values[i];
    if (acc === 0) return;
    this.fail(layers, rate, () => this.restore());
  }

  /** After an executor's `propagateChecked` found a number that is not finite: undo it and throw. */
  reject(layers: readonly Layer[], version: number, rate: number, executor: { undoPropagate?(): void }): never {
    if (version !== this.version) this.track(layers, version);
    this.fail(layers, rate, () => executor.undoPropagate?.());
  }

  private fail(layers: readonly Layer[], rate: number, undo: () => void): never {
    const bad = this.firstBad();
    undo();
    let unit = -1;
    let what = 'a number';
    if (bad) {
      const { entry, index } = bad;
      if (entry.block) {
        const target = entry.block.targetOf(index);
        unit = unitIndex(layers, target);
        const id = entry.block.ids ? entry.block.ids[index] : entry.block.firstId + index;
        what = `the weight of connection ${id} into unit ${unit}`;
      } else if (entry.tensor !== undefined) {
        what = `entry ${index} of ${entry.tensor}`;
      } else if (entry.store) {
        const neuron = layers.flatMap((l) => l.list).find((n) => n.store === entry.store && n.index === index);
        unit = neuron ? unitIndex(layers, neuron) : -1;
        what = `the bias of unit ${unit}`;
      }
    }
    throw new NonFiniteError(
      `propagate at rate ${rate}: ${what} would become ${bad ? describeNumber(bad.value) : 'NaN'}; the propagation was undone (the weights are as they were)`,
      unit === -1 ? null : unit,
    );
  }

  private firstBad(): { entry: Tracked; index: number; value: number } | null {
    for (const entry of this.tracked) {
      const { values } = entry;
      for (let i = 0; i < values.length; i++)
        if (!Number.isFinite(values[i])) return { entry, index: i, value: values[i] };
    }
    return null;
  }

  private restore(): void {
    let at = 0;
    for (const { values } of this.tracked) {
      values.set(this.backup.subarray(at, at + values.length));
      at += values.length;
    }
  }

  private track(layers: readonly Layer[], version: number): void {
    const blocks = new Set<Block>();
    const stores = new Set<NeuronStore>();
    const tracked: Tracked[] = [];
    layers.forEach((layer, l) => {
      for (const unit of layer.list) {
        if (l > 0 && !stores.has(unit.store)) {
          stores.add(unit.store);
          tracked.push({ values: unit.store.bias, block: null, store: unit.store });
          // LAYER_NORM's γ and β (reported as "a number")
          if (unit.store.gamma !== null) tracked.push({ values: unit.store.gamma, block: null, store: null });
          if (unit.store.beta !== null) tracked.push({ values: unit.store.beta, block: null, store: null });
        }
        for (const seg of unit.inputs) {
          const block = seg.block;
          if (blocks.has(block)) continue;
          blocks.add(block);
          const length = block.kind === LIST ? block.length : block.weight.length;
          tracked.push({ values: block.weight.subarray(0, length), block, store: null });
        }
      }
      layer.opsIn.forEach((op, o) => {
        for (const t of op.tensors)
          tracked.push({
            values: t.value,
            block: null,
            store: null,
            tensor: `the ${t.name} of op ${o} (${op.kind}) into layer ${l}`,
          });
      });
    });
    let total = 0;
    for (const t of tracked) total += t.values.length;
    if (this.backup.length < total) this.backup = new Float64Array(total);
    this.tracked = tracked;
    this.version = version;
  }
}
