/**
 * Reads a network into a plan of one activation step: for every non-input unit, the terms of
 * eq. 15 of Monner & Reggia (2012), s_j = g_jj w_jj s_j(prev) + b_j + Σ_i g_ji w_ji y_i, with each
 * y_i and g_ji marked as this step's value or the previous step's, following the interpreter's
 * order: layers in order (input, hidden..., output), units in order, and a gater's gains becoming
 * its activation right after it activates.
 */
import { forEachInputSlot, type Layer, type Network, type Neuron, squashName } from '@synaptic/core';
import { ONNXExportError } from './errors.js';

/** A unit by position: `layer` 0 is the input layer, then the hidden layers, then the output layer. */
export interface UnitRef {
  layer: number;
  pos: number;
}

/** g_ji w_ji y_i: `gater` null means a constant gain, already multiplied into `weight`. */
export interface Contribution {
  source: UnitRef;
  weight: number;
  gater: UnitRef | null;
}

/** g_jj w_jj s_j(prev): `gater` null means a constant gain, already multiplied into `weight`. */
export interface SelfTerm {
  weight: number;
  gater: UnitRef | null;
}

export interface UnitPlan {
  bias: number;
  squash: string;
  contributions: Contribution[];
  self: SelfTerm | null;
}

/** A run of units of one layer that can be computed as one vector: none reads another's new value. */
export interface Chunk {
  start: number;
  end: number;
  squash: string;
}

export interface LayerPlan {
  /** `hidden0`, `hidden1`, ..., `output`: the names of carried values use these. */
  name: string;
  size: number;
  /**
   * A softmax layer: every unit's state is computed before any of its activations (and the gains
   * its units set) change, so within the layer every read is of the previous step's values.
   */
  softmax: boolean;
  units: UnitPlan[];
  chunks: Chunk[];
}

export interface StepPlan {
  inputs: number;
  /** index 0 is the input layer (no units to compute) */
  layers: LayerPlan[];
}

/** Whether y_u (or u's gain) read while computing unit j is this step's value. */
export function isNew(u: UnitRef, j: UnitRef, plan: StepPlan): boolean {
  if (u.layer === j.layer) return !plan.layers[u.layer].softmax && u.pos < j.pos;
  return u.layer === 0 || u.layer < j.layer;
}

export function networkLayers(network: Network): Layer[] {
  if (network === null || typeof network !== 'object' || typeof network.restore !== 'function' || !network.layers)
    throw new ONNXExportError('toONNX expects a Network (from @synaptic/core or @synaptic/architect)');
  const { input, hidden, output } = network.layers;
  if (!input || !output)
    throw new ONNXExportError('toONNX: this network has no layers yet (call set({ input, hidden, output }) first)');
  return [input, ...hidden, output];
}

export function layerName(index: number, count: number): string {
  return index === count - 1 ? 'output' : `hidden${index - 1}`;
}

export function planStep(network: Network): StepPlan {
  const layers = networkLayers(network);
  network.restore();
  const where = new Map<Neuron, UnitRef>();
  layers.forEach((layer, l) => {
    layer.list.forEach((neuron, pos) => {
      if (where.has(neuron))
        throw new ONNXExportError(`toONNX: unit ${neuron.ID} belongs to two layers of the network`);
      where.set(neuron, { layer: l, pos });
    });
  });
  const locate = (n: Neuron, role: string, of: Neuron): UnitRef => {
    const ref = where.get(n);
    if (!ref)
      throw new ONNXExportError(
        `toONNX: unit ${of.ID} reads unit ${n.ID} (as ${role}), which is in none of the network's layers`,
      );
    return ref;
  };

  const plans: LayerPlan[] = layers.map((layer, l) => {
    const name = l === 0 ? 'input' : layerName(l, layers.length);
    if (l === 0) return { name, size: layer.size, softmax: false, units: [], chunks: [] };
    if (layer.opsIn.length > 0)
      throw new ONNXExportError(
        `toONNX: layer ${name} is computed by a layer-level projection (${layer.opsIn[0].kind}), which has no ONNX export yet`,
      );
    const fn = layer.layerFunction;
    if (fn !== null && fn.name !== 'SOFTMAX')
      throw new ONNXExportError(`toONNX: layer ${name} computes ${fn.name}, which has no ONNX export yet`);
    if (fn !== null && layer.groupSize() !== layer.size)
      throw new ONNXExportError(
        `toONNX: layer ${name} runs ${fn.name} over groups of ${layer.groupSize()} units, which has no ONNX export yet (export it with the whole layer as one group)`,
      );
    const softmax = fn !== null;
    const units = layer.list.map((neuron) => planUnit(neuron, locate, name, softmax));
    const chunks =
      softmax && units.length > 0 ? [{ start: 0, end: units.length, squash: 'SOFTMAX' }] : chunkLayer(units, l);
    return { name, size: layer.size, softmax, units, chunks };
  });
  return { inputs: layers[0].size, layers: plans };
}

type Locate = (n: Neuron, role: string, of: Neuron) => UnitRef;

function planUnit(j: Neuron, locate: Locate, layer: string, softmax: boolean): UnitPlan {
  const st = j.store;
  const i = j.index;
  const squash = softmax ? 'SOFTMAX' : squashName(st.squash[i]);
  if (squash === null)
    throw new ONNXExportError(
      `toONNX: unit ${j.ID} of layer ${layer} has a custom squash function, which ONNX cannot express (use one of Neuron.squash)`,
    );
  // a gater in the input layer never updates its gains (the input layer only takes values)
  const dynamic = (gater: Neuron | null): UnitRef | null => {
    if (gater === null) return null;
    const ref = locate(gater, 'gater', j);
    return ref.layer === 0 ? null : ref;
  };
  const contributions: Contribution[] = [];
  for (const seg of j.inputs) {
    const block = seg.block;
    forEachInputSlot(seg, (slot) => {
      const source = locate(block.sourceOf(slot), 'source', j);
      const gater = dynamic(block.gater?.[slot] ?? null);
      const gain = gater === null && block.gain ? block.gain[slot] : 1;
      contributions.push({ source, weight: block.weight[slot] * gain, gater });
    });
  }
  let self: SelfTerm | null = null;
  const w = st.selfWeight[i];
  if (w !== 0) {
    const gater = dynamic(j.selfGater);
    self = { weight: gater === null ? w * st.selfGain[i] : w, gater };
  }
  const checked = [st.bias[i], ...contributions.map((c) => c.weight), self?.weight ?? 0];
  if (!checked.every(Number.isFinite))
    throw new ONNXExportError(`toONNX: unit ${j.ID} of layer ${layer} has a weight or bias that is not finite`);
  return { bias: st.bias[i], squash, contributions, self };
}

/**
 * Splits a layer into runs of units computed together: a run ends before a unit that reads the
 * new activation (or gain) of a unit earlier in the same run, or that has another squash.
 */
function chunkLayer(units: UnitPlan[], l: number): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  for (let p = 0; p < units.length; p++) {
    const u = units[p];
    const reads = (r: UnitRef | null) => r !== null && r.layer === l && r.pos >= start && r.pos < p;
    const split =
      p > start &&
      (u.squash !== units[start].squash ||
        u.contributions.some((c) => reads(c.source) || reads(c.gater)) ||
        reads(u.self?.gater ?? null));
    if (split) {
      chunks.push({ start, end: p, squash: units[start].squash });
      start = p;
    }
  }
  if (units.length > 0) chunks.push({ start, end: units.length, squash: units[start].squash });
  return chunks;
}
