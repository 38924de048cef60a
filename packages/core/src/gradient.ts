/**
 * Gradients apart from updates: `backward` runs the error back-flow of LSTM-g (eq. 21-23) and adds
 * −(δP_j ε_ji + Σ_k δ_k ε^k_ji) (eq. 24 without the rate) to each weight's gradient and −δ_j to each
 * bias's, so θ −= rate · gradient descends E. Nothing the next `activate` reads is changed.
 *
 * Extended traces toward a unit k without a self-connection have no memory: ε^k_ji = f'_j ε_ji inf_jk
 * with inf_jk as it is now, so they are rebuilt here from the current influence, which makes the
 * gradient exact on graphs without recurrence. Toward a self-connected k, the stored trace is
 * LSTM-g's truncated gradient (eq. 18).
 */
import { influence, projectedError } from './interpreter.js';
import type { LayerFunction } from './layer-function.js';
import { accumulateNormGradient, functionLayerErrors } from './layer-interpreter.js';
import type { Layer } from './layer.js';
import type { Neuron } from './neuron.js';
import { backwardOpLayer } from './ops/schedule.js';
import type { Bounds } from './kinds/walk.js';

/** the scratch walk of `accumulateUnit` (see interpreter.ts) */
const ACCUMULATE: Bounds = { first: 0, end: 0, skip: -1, base: 0, step: 0 };

/** How the output error is given: ∂E/∂y (a cost's gradient) or ∂E/∂s (through the output's function). */
export interface OutputError {
  readonly values: ArrayLike<number>;
  readonly atState: boolean;
}

/**
 * Back-flow into unit j. An output unit (`dEdy` = ∂E/∂y_j given) takes its error from the cost
 * alone, δ_j = −f'_j ∂E/∂y_j (eq. 10 with the cost's true derivative): whatever an output unit
 * projects to or gates activates before it, so those links are recurrent and LSTM-g truncates them.
 */
export function backwardUnit(j: Neuron, dEdy?: number, extra?: number): void {
  const st = j.store;
  const i = j.index;
  const derivative = st.derivative[i];
  if (dEdy !== undefined) {
    const projected = -derivative * dEdy;
    st.projected[i] = projected;
    st.gated[i] = 0;
    st.responsibility[i] = projected;
    accumulateUnit(j, projected, false);
    return;
  }
  // eq. 21, eq. 22, eq. 23
  // (plus what layer-level projections bring back, `extra`)
  const projected = derivative * (extra === undefined ? projectedError(j) : projectedError(j) + extra);
  let gatedSum = 0;
  let memoryless = 0;
  for (const group of j.gatedGroups) {
    const k = group.neuron;
    const share = k.store.responsibility[k.index] * influence(j, group);
    gatedSum += share;
    if (k.store.selfWeight[k.index] === 0) memoryless += share;
  }
  const gated = derivative * gatedSum;
  st.projected[i] = projected;
  st.gated[i] = gated;
  st.responsibility[i] = projected + gated;
  accumulateUnit(j, projected + derivative * memoryless);
}

/**
 * Back-flow into a layer running a layer function, through the Jacobian of each group of `group`
 * units; a learnable function's ∂E/∂γ and ∂E/∂β are added to the stores' gradients.
 */
export function backwardFunctionLayer(
  units: readonly Neuron[],
  fn: LayerFunction,
  output: OutputError | null,
  group: number = units.length,
  extra: Float64Array | null = null,
): void {
  let external: Float64Array | null = null;
  if (output !== null) {
    external = new Float64Array(units.length);
    for (let j = 0; j < units.length; j++) external[j] = -output.values[j];
  }
  const sc = functionLayerErrors(units, fn, external, output?.atState ?? false, group, extra);
  accumulateNormGradient(units, fn, sc, group);
  for (let j = 0; j < units.length; j++) {
    const { store, index } = units[j];
    store.projected[index] = sc.projected[j];
    store.gated[index] = sc.gated[j];
    store.responsibility[index] = sc.projected[j] + sc.gated[j];
  }
  for (let j = units.length - 1; j >= 0; j--)
    accumulateUnit(units[j], sc.projected[j] + sc.memoryless[j], output === null);
}

/**
 * Adds −∂E/∂w_ji = (coefficient · ε_ji + Σ_k δ_k ε^k_ji over self-connected k) to the gradients of
 * j's incoming weights, and −δ_j to its bias's; fixed ones are left at 0.
 */
function accumulateUnit(j: Neuron, coefficient: number, gates = true): void {
  const st = j.store;
  const i = j.index;
  const groups = j.gatedGroups;
  let stored = 0;
  for (const group of groups) {
    const k = group.neuron;
    const memory = gates && k.store.selfWeight[k.index] !== 0;
    group.delta = memory ? k.store.responsibility[k.index] : 0;
    if (memory) stored++;
  }
  let ordinal = 0;
  for (const seg of j.inputs) {
    const block = seg.block;
    const e = block.elig;
    const grad = block.ensureGradient();
    const fixed = block.fixed;
    const { first, end, skip, base, step } = block.inputsOf(seg, ACCUMULATE);
    for (let k = first, slot = base + step * first; k < end; k++, slot += step) {
      if (k === skip) continue;
      let g = coefficient * e[slot];
      if (stored > 0) for (let q = 0; q < groups.length; q++) g += groups[q].delta * groups[q].xtrace[ordinal];
      if (fixed === null || fixed[slot] === 0) grad[slot] -= g;
      ordinal++;
    }
  }
  const bg = (st.biasGradient ??= new Float64Array(st.size));
  if (st.biasFixed === null || st.biasFixed[i] === 0) bg[i] -= st.responsibility[i];
}

/** Back-flow through `layers` (input first): the output layer receives `output`, the rest in reverse. */
export function backwardLayers(layers: readonly Layer[], output: OutputError): void {
  for (let l = layers.length - 1; l >= 1; l--) {
    const layer = layers[l];
    const out = l === layers.length - 1 ? output : null;
    const list = layer.list;
    if (layer.opsIn.length > 0 || layer.opsOut.length > 0) backwardOpLayer(layer, out);
    else if (layer.layerFunction !== null) backwardFunctionLayer(list, layer.layerFunction, out, layer.groupSize());
    else for (let j = list.length - 1; j >= 0; j--) backwardUnit(list[j], out ? out.values[j] : undefined);
  }
}

/**
 * ∂E/∂s of the categorical cross-entropy E = −Σ t_k ln y_k through a softmax run over groups of
 * `group` outputs: ∂E/∂s_k = y_k Σ_{i in k's group} t_i − t_k.
 */
export function softmaxCrossEntropyAtState(
  t: ArrayLike<number>,
  y: ArrayLike<number>,
  group: number,
  into: Float64Array,
): void {
  for (let at = 0; at < t.length; at += group) {
    let total = 0;
    for (let k = at; k < at + group; k++) total += t[k];
    for (let k = at; k < at + group; k++) into[k] = y[k] * total - t[k];
  }
}
