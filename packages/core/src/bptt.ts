/**
 * Back-propagation through time: the exact gradient of a summed cost over an episode, for any graph
 * (gates, self-connections, recurrent links, layer functions). The episode runs forward through
 * `activate`, step by step, and each step's states and activations are recorded; then the recorded
 * computation of eq. 15-16 is reversed, step by step and, within a step, event by event in reverse
 * schedule order (bptt-plan.ts says which step's value each read saw):
 *
 *   s_j(t) = g_jj w_jj s_j(t−1) + b_j + Σ_i g_ji w_ji y_i,   y_j(t) = f(s_j(t)) (or the layer function)
 *
 * ∂E/∂s_j = f'(s_j) ∂E/∂y_j (the layer function's Jacobian for its layers) plus what flows back
 * from s_j(t+1) through the self-connection; then ∂E/∂b_j += ∂E/∂s_j, ∂E/∂w_ji += ∂E/∂s_j g_ji y_i,
 * and ∂E/∂s_j w_ji g_ji flows to y_i, ∂E/∂s_j w_ji y_i to the gater's activation, ∂E/∂s_j w_jj s_j(t−1)
 * to the self-connection's gater. Values from before the episode (and units outside the network)
 * are constants.
 */
import { buildBpttPlan, CURRENT, PREVIOUS, type BpttPlan } from './bptt-plan.js';
import { categoricalCrossEntropy, type CostFunction, costGradient } from './cost.js';
import { backwardGroups } from './layer-function.js';
import type { Layer } from './layer.js';
import { softmaxCrossEntropyAtState } from './gradient.js';

/** What `bptt` records of an episode, per step: every unit's state and activation. */
export interface EpisodeRecord {
  readonly steps: number;
  /** state of unit u at step t: states[t * size + u] */
  readonly states: Float64Array;
  readonly activations: Float64Array;
  /** before the episode: states, activations (every unit read, constants too), gains of the entries, g_jj */
  readonly states0: Float64Array;
  readonly activations0: Float64Array;
  readonly gains0: Float64Array;
  readonly selfGains0: Float64Array;
}

const plans = new WeakMap<object, BpttPlan>();

/** The tables for these layers at this structure version (cached per network). */
export function bpttPlanOf(owner: object, layers: readonly Layer[], version: number): BpttPlan {
  let plan = plans.get(owner);
  if (plan === undefined || plan.version !== version) {
    plan = buildBpttPlan(layers, version);
    plans.set(owner, plan);
  }
  return plan;
}

const records = new WeakMap<BpttPlan, EpisodeRecord>();

/** Copies what the episode starts from (into the arrays of the plan's last record when they are large enough). */
export function recordStart(plan: BpttPlan, steps: number): EpisodeRecord {
  const { units, size } = plan;
  const all = units.length;
  const entries = plan.entBlock.length;
  const old = records.get(plan);
  const reuse = old !== undefined && old.states.length >= steps * size;
  const states0 = reuse ? old.states0 : new Float64Array(size);
  const activations0 = reuse ? old.activations0 : new Float64Array(all);
  const selfGains0 = reuse ? old.selfGains0 : new Float64Array(size);
  for (let u = 0; u < all; u++) {
    const { store, index } = units[u];
    activations0[u] = store.activation[index];
    if (u < size) {
      states0[u] = store.state[index];
      selfGains0[u] = store.selfGain[index];
    }
  }
  const gains0 = reuse ? old.gains0 : new Float64Array(entries);
  for (let e = 0; e < entries; e++) {
    const gain = plan.blocks[plan.entBlock[e]].gain;
    gains0[e] = gain === null ? 1 : gain[plan.entSlot[e]];
  }
  const record: EpisodeRecord = {
    steps,
    states: reuse ? old.states : new Float64Array(steps * size),
    activations: reuse ? old.activations : new Float64Array(steps * size),
    states0,
    activations0,
    gains0,
    selfGains0,
  };
  records.set(plan, record);
  return record;
}

/** Copies the network's states and activations after step t. */
export function recordStep(plan: BpttPlan, record: EpisodeRecord, t: number): void {
  const { units, size } = plan;
  const at = t * size;
  for (let u = 0; u < size; u++) {
    const { store, index } = units[u];
    record.states[at + u] = store.state[index];
    record.activations[at + u] = store.activation[index];
  }
}

/** The cost's part of ∂E/∂y (and, for a softmax output with cross-entropy, of ∂E/∂s) at step t; returns E_t. */
export type StepCost = (t: number, dEdy: Float64Array, dEds: Float64Array) => number;

/** E_t of `costFn` at each step: ∂E/∂y through the output, or ∂E/∂s for a softmax output with cross-entropy. */
export function stepCost(
  plan: BpttPlan,
  record: EpisodeRecord,
  targets: ReadonlyArray<ArrayLike<number>>,
  costFn: CostFunction,
  categorical: { group: number } | null,
): StepCost {
  const gradient = costGradient(costFn);
  const m = plan.outputs.length;
  const y = new Float64Array(m);
  const into = new Float64Array(m);
  return (t, dEdy, dEds) => {
    for (let k = 0; k < m; k++) y[k] = record.activations[t * plan.size + plan.outputs[k]];
    const target = targets[t];
    if (categorical !== null) {
      softmaxCrossEntropyAtState(target, y, categorical.group, into);
      for (let k = 0; k < m; k++) dEds[plan.outputs[k]] += into[k];
      return categoricalCrossEntropy(Array.from(target), Array.from(y));
    }
    into.fill(0);
    const t1 = Array.from(target);
    const y1 = Array.from(y);
    gradient(t1, y1, into);
    for (let k = 0; k < m; k++) dEdy[plan.outputs[k]] += into[k];
    return costFn(t1, y1);
  };
}

/**
 * The reverse pass: adds ∂E/∂θ of the whole episode to the gradients of biases, weights, γ and β.
 * `cost(t, ∂E/∂y, ∂E/∂s)` adds the cost's derivatives of step t.
 */
export function reverseEpisode(plan: BpttPlan, record: EpisodeRecord, cost: StepCost): number {
  const { size, units, events, inStart, entBlock, entSlot, entSource, entSourceWhen, entGater, entGaterWhen } = plan;
  const T = record.steps;
  const S = record.states;
  const Y = record.activations;
  const { states0: S0, activations0: Y0, gains0: G0, selfGains0: SG0 } = record;
  let aY = new Float64Array(size);
  let aYp = new Float64Array(size);
  let aS = new Float64Array(size);
  let aSp = new Float64Array(size);
  const weights = plan.blocks.map((b) => b.weight);
  const grads = plan.blocks.map((b) => b.ensureGradient());
  const fixed = plan.blocks.map((b) => b.fixed);
  // per unit: its store's arrays, so the inner loops index typed arrays only
  const biasGrad = units.slice(0, size).map((u) => (u.store.biasGradient ??= new Float64Array(u.store.size)));
  const biasFixed = units.slice(0, size).map((u) => u.store.biasFixed);
  const slot = Int32Array.from(units.slice(0, size), (u) => u.index);
  const selfWeight = Float64Array.from(units.slice(0, size), (u) => u.store.selfWeight[u.index]);
  const scratch = plan.layers.map((l) => {
    const n = l.units.length;
    const f = () => new Float64Array(n);
    return { state: f(), activation: f(), error: f(), into: f(), gain: f(), shift: f(), gGrad: f(), bGrad: f() };
  });
  let total = 0;

  // y_u as unit j read it at step t
  const value = (u: number, when: number, t: number): number =>
    when === CURRENT ? Y[t * size + u] : when === PREVIOUS ? (t > 0 ? Y[(t - 1) * size + u] : Y0[u]) : Y0[u];

  /** ∂E/∂s_j(t) = d: the state equation's inputs, at step t. */
  const distribute = (j: number, d: number, t: number) => {
    if (d === 0) return;
    const bf = biasFixed[j];
    if (bf === null || bf[slot[j]] === 0) biasGrad[j][slot[j]] += d;
    // where this step's and the previous step's values are (the previous of step 0: before the episode)
    const cur = t * size;
    const prevY = t > 0 ? Y : Y0;
    const prev = t > 0 ? (t - 1) * size : 0;
    for (let e = inStart[j], end = inStart[j + 1]; e < end; e++) {
      const b = entBlock[e];
      const s = entSlot[e];
      const src = entSource[e];
      const sw = entSourceWhen[e];
      const y = sw === CURRENT ? Y[cur + src] : sw === PREVIOUS ? prevY[prev + src] : Y0[src];
      const g = entGater[e];
      let gain: number;
      if (g < 0) gain = G0[e];
      else if (entGaterWhen[e] === CURRENT) gain = Y[cur + g];
      else gain = t > 0 ? Y[prev + g] : G0[e];
      const fx = fixed[b];
      if (fx === null || fx[s] === 0) grads[b][s] += d * gain * y;
      if (src < size) {
        const w = weights[b][s];
        if (sw === CURRENT) aY[src] += d * w * gain;
        else if (t > 0) aYp[src] += d * w * gain;
      }
      if (g >= 0) {
        const w = weights[b][s];
        if (entGaterWhen[e] === CURRENT) aY[g] += d * w * y;
        else if (t > 0) aYp[g] += d * w * y;
      }
    }
    const wjj = selfWeight[j];
    if (wjj !== 0 && t > 0) {
      const sg = plan.selfGater[j];
      const sgw = plan.selfGaterWhen[j];
      const gain = sg < 0 ? SG0[j] : value(sg, sgw, t);
      aSp[j] += d * gain * wjj;
      if (sg >= 0) {
        const previous = S[(t - 1) * size + j];
        if (sgw === CURRENT) aY[sg] += d * wjj * previous;
        else aYp[sg] += d * wjj * previous;
      }
    } else if (wjj !== 0) {
      // t = 0: s_j(−1) is a constant, but the gater's activation at step 0 is not
      const sg = plan.selfGater[j];
      if (sg >= 0 && plan.selfGaterWhen[j] === CURRENT) aY[sg] += d * wjj * S0[j];
    }
  };

  for (let t = T - 1; t >= 0; t--) {
    total += cost(t, aY, aS);
    for (let ev = events.length - 1; ev >= 0; ev--) {
      const event = events[ev];
      if (event >= 0) {
        const j = event;
        const sj = S[t * size + j];
        const unit = units[j];
        // eq. 16's derivative, f'(s_j)
        const d = aS[j] + unit.store.squash[unit.index](sj, true) * aY[j];
        distribute(j, d, t);
        continue;
      }
      const layer = plan.layers[-1 - event];
      const sc = scratch[-1 - event];
      const ids = layer.units;
      const n = ids.length;
      for (let k = 0; k < n; k++) {
        const u = ids[k];
        sc.state[k] = S[t * size + u];
        sc.activation[k] = Y[t * size + u];
        sc.error[k] = aY[u];
      }
      let params: { state: Float64Array; gain: Float64Array; shift: Float64Array } | undefined;
      if (layer.fn.learnable) {
        for (let k = 0; k < n; k++) {
          const { store, index } = layer.neurons[k];
          const { gamma, beta } = store.ensureNorm();
          sc.gain[k] = gamma[index];
          sc.shift[k] = beta[index];
        }
        params = { state: sc.state, gain: sc.gain, shift: sc.shift };
        sc.gGrad.fill(0);
        sc.bGrad.fill(0);
        for (let at = 0; at < n; at += layer.group)
          layer.fn.parameterGradient!(sc.error, sc.gGrad, sc.bGrad, layer.group, at, params);
        for (let k = 0; k < n; k++) {
          const { store, index } = layer.neurons[k];
          store.gammaGradient![index] += sc.gGrad[k];
          store.betaGradient![index] += sc.bGrad[k];
        }
      }
      if (n > 0) backwardGroups(layer.fn, sc.activation, sc.error, sc.into, n, layer.group, params);
      for (let k = 0; k < n; k++) distribute(ids[k], aS[ids[k]] + sc.into[k], t);
    }
    // the previous step's adjoints become the current ones
    const y = aY;
    aY = aYp;
    aYp = y;
    aYp.fill(0);
    const s = aS;
    aS = aSp;
    aSp = s;
    aSp.fill(0);
  }
  return total;
}
