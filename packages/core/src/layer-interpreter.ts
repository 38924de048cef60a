/**
 * The interpreter's steps for a layer that runs a layer function (layer-function.ts): every unit's
 * state first (eq. 15), then the function over each group of the layer (eq. 16 for the group), then
 * each unit's traces (eq. 17-18) with f'_j = ∂y_j/∂s_j. Backward, the errors of each group go through
 * the function's Jacobian (eq. 21-23 with the Jacobian in place of f'_j). A learnable function
 * (LAYER_NORM) also moves its γ and β: the error at y_j gives ∂E/∂γ_j and ∂E/∂β_j.
 */
import { gatedError, influence, projectedError, unitState, unitTraces, updateUnit } from './interpreter.js';
import { backwardGroups, forwardGroups, type LayerFunction, type LayerFunctionParams } from './layer-function.js';
import type { Neuron } from './neuron.js';

/** Reused scratch vectors of one layer, so a step allocates nothing. */
export class LayerScratch {
  readonly state: Float64Array;
  readonly activation: Float64Array;
  readonly derivative: Float64Array;
  /** the error at the activations: through projections (δP's sum), through gates, the memoryless part */
  readonly errorProjected: Float64Array;
  readonly errorGated: Float64Array;
  readonly errorMemoryless: Float64Array;
  /** −∂E/∂y_j as far as this step knows it (errorProjected + errorGated, or the cost's) */
  readonly errorAtY: Float64Array;
  readonly projected: Float64Array;
  readonly gated: Float64Array;
  readonly memoryless: Float64Array;
  readonly gamma: Float64Array;
  readonly beta: Float64Array;
  readonly gammaStep: Float64Array;
  readonly betaStep: Float64Array;
  readonly params: LayerFunctionParams;
  constructor(readonly size: number) {
    const f = () => new Float64Array(size);
    this.state = f();
    this.activation = f();
    this.derivative = f();
    this.errorProjected = f();
    this.errorGated = f();
    this.errorMemoryless = f();
    this.errorAtY = f();
    this.projected = f();
    this.gated = f();
    this.memoryless = f();
    this.gamma = f();
    this.beta = f();
    this.gammaStep = f();
    this.betaStep = f();
    this.params = { state: this.state, gain: this.gamma, shift: this.beta };
  }
}

const scratches = new WeakMap<readonly Neuron[], LayerScratch>();

/** @internal the scratch of a list of units (a layer's `list`), made once per list and size. */
export function scratchOf(units: readonly Neuron[]): LayerScratch {
  let scratch = scratches.get(units);
  if (scratch === undefined || scratch.size !== units.length) {
    scratch = new LayerScratch(units.length);
    scratches.set(units, scratch);
  }
  return scratch;
}

/** Copies the units' γ and β into the scratch (a learnable function); returns the kernels' params. */
function loadParams(units: readonly Neuron[], fn: LayerFunction, sc: LayerScratch): LayerFunctionParams | undefined {
  if (!fn.learnable) return undefined;
  for (let j = 0; j < units.length; j++) {
    const { store, index } = units[j];
    const { gamma, beta } = store.ensureNorm();
    sc.gamma[j] = gamma[index];
    sc.beta[j] = beta[index];
  }
  return sc.params;
}

/** Copies the units' states into the scratch. */
function loadStates(units: readonly Neuron[], sc: LayerScratch): void {
  for (let j = 0; j < units.length; j++) sc.state[j] = units[j].store.state[units[j].index];
}

/** Activates the units of a layer function, group by group; returns their activations. */
export function activateFunctionLayer(
  units: readonly Neuron[],
  fn: LayerFunction,
  into: number[],
  group: number = units.length,
): number[] {
  for (let j = 0; j < units.length; j++) unitState(units[j]);
  return squashFunctionLayer(units, fn, into, group);
}

/**
 * Eq. 16-18 for a layer function whose units' states are already in their stores (computed by
 * `unitState`, plus the sums of any ops into the layer): the function group by group, then the traces.
 */
export function squashFunctionLayer(
  units: readonly Neuron[],
  fn: LayerFunction,
  into: number[],
  group: number = units.length,
): number[] {
  const n = units.length;
  const sc = scratchOf(units);
  loadStates(units, sc);
  const params = loadParams(units, fn, sc);
  if (n > 0) forwardGroups(fn, sc.state, sc.activation, sc.derivative, n, group, params);
  for (let j = 0; j < n; j++) into[j] = unitTraces(units[j], sc.activation[j], sc.derivative[j]);
  return into;
}

/**
 * 1.x's online rule on a layer function: δ = t − y at an output (as for any output layer: with
 * cross-entropy this is the exact −∂E/∂s of a softmax), else the Jacobian back-flow; then eq. 24.
 * A learnable function moves γ and β by the rate times −∂E/∂γ, −∂E/∂β with −∂E/∂y = the error at y
 * (t − y at an output).
 */
export function propagateFunctionLayer(
  units: readonly Neuron[],
  fn: LayerFunction,
  rate: number,
  target?: ArrayLike<number>,
  group: number = units.length,
  extra: Float64Array | null = null,
): void {
  const n = units.length;
  let sc: LayerScratch;
  if (target !== undefined) {
    sc = scratchOf(units);
    for (let j = 0; j < n; j++) {
      const { store, index } = units[j];
      const error = target[j] - store.activation[index];
      store.projected[index] = error;
      store.responsibility[index] = error;
      sc.errorAtY[j] = error;
    }
  } else {
    sc = functionLayerErrors(units, fn, null, false, group, extra);
    for (let j = 0; j < n; j++) {
      const { store, index } = units[j];
      store.projected[index] = sc.projected[j];
      store.gated[index] = sc.gated[j];
      store.responsibility[index] = sc.projected[j] + sc.gated[j];
    }
  }
  for (let j = n - 1; j >= 0; j--) updateUnit(units[j], rate);
  if (fn.learnable && n > 0) {
    // the error at y is −∂E/∂y, so the steps are −∂E/∂γ and −∂E/∂β
    normSteps(units, fn, sc, group);
    for (let j = 0; j < n; j++) {
      const { store, index } = units[j];
      store.gamma![index] += rate * sc.gammaStep[j];
      store.beta![index] += rate * sc.betaStep[j];
    }
  }
}

/**
 * The errors of a function layer's units, through the Jacobian of each group: `projected` (δP,
 * eq. 21), `gated` (δG, eq. 22) and `memoryless` (the part of δG from units without a
 * self-connection, whose extended traces have no memory); `errorAtY` is the error at the
 * activations. `external` is −∂E/∂y (or, with `atState`, −∂E/∂s) from a cost.
 * `extra` is the error reaching the activations through layer-level projections (ops/), if any.
 */
export function functionLayerErrors(
  units: readonly Neuron[],
  fn: LayerFunction,
  external: ArrayLike<number> | null,
  atState: boolean,
  group: number = units.length,
  extra: Float64Array | null = null,
): LayerScratch {
  const n = units.length;
  const sc = scratchOf(units);
  // an output layer (external error given) takes its error from the cost alone, as in gradient.ts
  for (let j = 0; j < n; j++) {
    const unit = units[j];
    sc.activation[j] = unit.store.activation[unit.index];
    sc.state[j] = unit.store.state[unit.index];
    sc.errorProjected[j] =
      external === null ? projectedError(unit) + (extra === null ? 0 : extra[j]) : atState ? 0 : external[j];
    sc.errorGated[j] = external === null ? gatedError(unit) : 0;
    sc.errorMemoryless[j] = external === null ? memorylessGatedError(unit) : 0;
    sc.errorAtY[j] = sc.errorProjected[j] + sc.errorGated[j];
  }
  if (n === 0) return sc;
  const params = loadParams(units, fn, sc);
  backwardGroups(fn, sc.activation, sc.errorProjected, sc.projected, n, group, params);
  if (external !== null && atState) for (let j = 0; j < n; j++) sc.projected[j] += external[j];
  backwardGroups(fn, sc.activation, sc.errorGated, sc.gated, n, group, params);
  backwardGroups(fn, sc.activation, sc.errorMemoryless, sc.memoryless, n, group, params);
  return sc;
}

/** Σ_k δ_k inf_jk over the units j gates that have no self-connection (their ε^k_ji have no memory). */
export function memorylessGatedError(j: Neuron): number {
  let error = 0;
  for (const group of j.gatedGroups) {
    const k = group.neuron;
    if (k.store.selfWeight[k.index] !== 0) continue;
    error += k.store.responsibility[k.index] * influence(j, group);
  }
  return error;
}

/** Adds ∂E/∂γ and ∂E/∂β of a learnable function's layer to the stores' gradients, from `errorAtY` (−∂E/∂y). */
export function accumulateNormGradient(
  units: readonly Neuron[],
  fn: LayerFunction,
  sc: LayerScratch,
  group: number = units.length,
): void {
  const n = units.length;
  if (!fn.learnable || n === 0) return;
  normSteps(units, fn, sc, group);
  for (let j = 0; j < n; j++) {
    const { store, index } = units[j];
    store.ensureNorm();
    // errorAtY is −∂E/∂y: subtract
    store.gammaGradient![index] -= sc.gammaStep[j];
    store.betaGradient![index] -= sc.betaStep[j];
  }
}

/** Into `sc.gammaStep` and `sc.betaStep`: Σ over each group of (errorAtY · ∂y/∂γ, errorAtY · ∂y/∂β). */
function normSteps(units: readonly Neuron[], fn: LayerFunction, sc: LayerScratch, group: number): void {
  const n = units.length;
  const params = loadParams(units, fn, sc)!;
  loadStates(units, sc);
  sc.gammaStep.fill(0);
  sc.betaStep.fill(0);
  for (let at = 0; at < n; at += group)
    fn.parameterGradient!(sc.errorAtY, sc.gammaStep, sc.betaStep, group, at, params);
}
