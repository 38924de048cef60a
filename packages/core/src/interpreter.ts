/**
 * The reference semantics of LSTM-g (Monner & Reggia 2012), one unit at a time, exactly in
 * synaptic 1.x's order of operations, so results match 1.x's interpreter to the last bit.
 * Everything here reads and writes the typed arrays of `NeuronStore` and `Block`.
 */
import type { GatedGroup } from './storage/block.js';
import type { Neuron } from './neuron.js';
import type { Bounds } from './kinds/walk.js';

/**
 * Every loop below runs over a segment's connections as its block kind lays them out (`kinds/`):
 * k from `first` to `end` but `skip`, slot base + step·k, the unit at the other end from[k] or to[k].
 * One scratch walk per function, so a step allocates nothing.
 */
const walk = (): Bounds => ({ first: 0, end: 0, skip: -1, base: 0, step: 0 });
const STATE = walk();
const TRACES = walk();
const ERROR = walk();
const UPDATE = walk();

/** Influence of gater j on unit k: how k's state depends on j's activation (used by eq. 18 and 22). */
export function influence(j: Neuron, group: GatedGroup): number {
  const k = group.neuron;
  // if j gates k's self-connection, k's previous state passes through the gate
  let inf = k.selfGater === j ? k.store.old[k.index] : 0;
  const { blocks, slots } = group;
  for (let r = 0; r < blocks.length; r++) {
    const block = blocks[r];
    if (block === null) {
      // k's self-connection: 1.x counts w_kk * y_k as a gated input too
      inf += k.store.selfWeight[k.index] * k.store.activation[k.index];
    } else {
      const slot = slots[r];
      const from = block.sourceOf(slot);
      inf += block.weight[slot] * from.store.activation[from.index];
    }
  }
  return inf;
}

/** Activates a non-input unit: eq. 15 (state), 16 (activation), 17 and 18 (traces). */
export function activateUnit(j: Neuron): number {
  const state = unitState(j);
  // eq. 16
  const squash = j.store.squash[j.index];
  return unitTraces(j, squash(state), squash(state, true));
}

/** Eq. 15 for unit j: s_j = g_jj w_jj s_j + b_j + Σ_i g_ji w_ji y_i (the old state is kept). */
export function unitState(j: Neuron): number {
  const st = j.store;
  const i = j.index;
  const previous = st.state[i];
  st.old[i] = previous;
  const selfGain = st.selfGain[i] * st.selfWeight[i];

  // eq. 15: s_j = g_jj w_jj s_j + b_j + Σ_i g_ji w_ji y_i
  let state = selfGain * previous + st.bias[i];
  for (const seg of j.inputs) {
    const block = seg.block;
    const w = block.weight;
    const g = block.gain;
    const from = block.from;
    const { first, end, skip, base, step } = block.inputsOf(seg, STATE);
    for (let k = first, slot = base + step * first; k < end; k++, slot += step) {
      if (k === skip) continue;
      const src = from[k];
      const y = src.store.activation[src.index];
      state += g === null ? y * w[slot] : y * w[slot] * g[slot];
    }
  }
  st.state[i] = state;
  return state;
}

/**
 * The rest of a unit's activation, once y_j and f'_j are known (from its squash, or from its
 * layer's function): eq. 17 and 18 (traces), then the gains of what j gates become y_j.
 */
export function unitTraces(j: Neuron, activation: number, derivative: number): number {
  const st = j.store;
  const i = j.index;
  const selfGain = st.selfGain[i] * st.selfWeight[i];
  st.activation[i] = activation;
  st.derivative[i] = derivative;

  // influences of j on every unit it gates, before any trace moves, and g_kk w_kk of each gated
  // unit: how much of an extended trace carries over
  const groups = j.gatedGroups;
  const gates = groups.length > 0;
  for (const group of groups) {
    const k = group.neuron;
    group.influence = influence(j, group);
    group.decay = k.store.selfGain[k.index] * k.store.selfWeight[k.index];
  }

  // eq. 17: ε_ji = g_jj w_jj ε_ji + g_ji y_i ; eq. 18: ε^k_ji = g_kk w_kk ε^k_ji + f'_j ε_ji inf_jk
  let ordinal = 0;
  for (const seg of j.inputs) {
    const block = seg.block;
    const e = block.elig;
    const g = block.gain;
    const from = block.from;
    const { first, end, skip, base, step } = block.inputsOf(seg, TRACES);
    for (let k = first, slot = base + step * first; k < end; k++, slot += step) {
      if (k === skip) continue;
      const src = from[k];
      const y = src.store.activation[src.index];
      const trace = selfGain * e[slot] + (g === null ? y : g[slot] * y);
      e[slot] = trace;
      if (gates) extend(groups, ordinal, derivative, trace);
      ordinal++;
    }
  }

  // the gains of every connection j gates become y_j
  for (const group of groups) {
    const { blocks, slots } = group;
    for (let r = 0; r < blocks.length; r++) {
      const block = blocks[r];
      if (block === null) group.neuron.store.selfGain[group.neuron.index] = activation;
      else block.gain![slots[r]] = activation;
    }
  }
  return activation;
}

function extend(groups: GatedGroup[], ordinal: number, derivative: number, trace: number): void {
  for (let q = 0; q < groups.length; q++) {
    const group = groups[q];
    const xt = group.xtrace;
    // eq. 18
    xt[ordinal] = group.decay * xt[ordinal] + derivative * trace * group.influence;
  }
}

/**
 * Eq. 21's sum for unit j, before the squash derivative: Σ_k δ_k g_kj w_kj over the connections
 * j projects (the error reaching y_j through them).
 */
export function projectedError(j: Neuron): number {
  let error = 0;
  for (const seg of j.outputs) {
    const block = seg.block;
    const w = block.weight;
    const g = block.gain;
    const to = block.to;
    const { first, end, skip, base, step } = block.outputsOf(seg, ERROR);
    for (let k = first, slot = base + step * first; k < end; k++, slot += step) {
      if (k === skip) continue;
      const unit = to[k];
      const r = unit.store.responsibility[unit.index];
      error += g === null ? r * w[slot] : r * g[slot] * w[slot];
    }
  }
  return error;
}

/** Eq. 22's sum for unit j, before the squash derivative: Σ_k δ_k inf_jk over the units j gates. */
export function gatedError(j: Neuron): number {
  let error = 0;
  for (const group of j.gatedGroups) {
    const k = group.neuron;
    error += k.store.responsibility[k.index] * influence(j, group);
  }
  return error;
}

/**
 * Back-propagates into unit j and adjusts its incoming weights and bias: eq. 10 for output
 * units (δ = t − y, no derivative, as 1.x), eq. 21–23 for the rest, eq. 24 for the weights.
 */
export function propagateUnit(j: Neuron, rate: number, target?: number): void {
  const st = j.store;
  const i = j.index;
  if (target !== undefined) {
    // eq. 10
    const error = target - st.activation[i];
    st.projected[i] = error;
    st.responsibility[i] = error;
  } else {
    const derivative = st.derivative[i];
    // eq. 21: δP_j = f'_j Σ_k δ_k g_kj w_kj; eq. 22: δG_j = f'_j Σ_k δ_k inf_jk; eq. 23
    const projected = derivative * projectedError(j);
    const gated = derivative * gatedError(j);
    st.projected[i] = projected;
    st.gated[i] = gated;
    st.responsibility[i] = projected + gated;
  }
  updateUnit(j, rate);
}

/** Eq. 24 for unit j's incoming weights, Δw_ji = α (δP_j ε_ji + Σ_k δ_k ε^k_ji), and its bias, Δb_j = α δ_j. */
export function updateUnit(j: Neuron, rate: number): void {
  const st = j.store;
  const i = j.index;
  const groups = j.gatedGroups;
  const projected = st.projected[i];
  const gates = groups.length > 0;
  for (const group of groups) group.delta = group.neuron.store.responsibility[group.neuron.index];
  let ordinal = 0;
  for (const seg of j.inputs) {
    const block = seg.block;
    const w = block.weight;
    const e = block.elig;
    const fixed = block.fixed;
    const { first, end, skip, base, step } = block.inputsOf(seg, UPDATE);
    for (let k = first, slot = base + step * first; k < end; k++, slot += step) {
      if (k === skip) continue;
      let gradient = projected * e[slot];
      if (gates) for (let q = 0; q < groups.length; q++) gradient += groups[q].delta * groups[q].xtrace[ordinal];
      if (fixed === null || fixed[slot] === 0) w[slot] += rate * gradient;
      ordinal++;
    }
  }
  if (st.biasFixed === null || st.biasFixed[i] === 0) st.bias[i] += rate * st.responsibility[i];
}
