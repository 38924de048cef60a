/**
 * The interpreter's steps for a layer that runs a layer function (layer-function.ts): every unit's
 * state first (eq. 15), then the function over the layer (eq. 16 for the layer), then each unit's
 * traces (eq. 17-18) with f'_j = ∂y_j/∂s_j. Backward, the errors of the whole layer go through
 * the function's Jacobian (eq. 21-23 with the Jacobian in place of f'_j).
 */
import { gatedError, influence, projectedError, unitState, unitTraces, updateUnit } from './interpreter.js';
import type { LayerFunction } from './layer-function.js';
import type { Neuron } from './neuron.js';

/** Reused scratch vectors of one layer, so a step allocates nothing. */
export class LayerScratch {
  readonly state: Float64Array;
  readonly activation: Float64Array;
  readonly derivative: Float64Array;
  readonly projected: Float64Array;
  readonly gated: Float64Array;
  readonly memoryless: Float64Array;
  readonly out: Float64Array;
  constructor(readonly size: number) {
    this.state = new Float64Array(size);
    this.activation = new Float64Array(size);
    this.derivative = new Float64Array(size);
    this.projected = new Float64Array(size);
    this.gated = new Float64Array(size);
    this.memoryless = new Float64Array(size);
    this.out = new Float64Array(size);
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

/** Activates the units of a layer function; returns their activations. */
export function activateFunctionLayer(units: readonly Neuron[], fn: LayerFunction, into: number[]): number[] {
  const n = units.length;
  const sc = scratchOf(units);
  for (let j = 0; j < n; j++) sc.state[j] = unitState(units[j]);
  fn.forward(sc.state, sc.activation, sc.derivative, n);
  for (let j = 0; j < n; j++) into[j] = unitTraces(units[j], sc.activation[j], sc.derivative[j]);
  return into;
}

/**
 * 1.x's online rule on a layer function: δ = t − y at an output (as for any output layer: with
 * cross-entropy this is the exact −∂E/∂s of a softmax), else the Jacobian back-flow; then eq. 24.
 */
export function propagateFunctionLayer(
  units: readonly Neuron[],
  fn: LayerFunction,
  rate: number,
  target?: ArrayLike<number>,
  extra: Float64Array | null = null,
): void {
  const n = units.length;
  if (target !== undefined) {
    for (let j = 0; j < n; j++) {
      const { store, index } = units[j];
      const error = target[j] - store.activation[index];
      store.projected[index] = error;
      store.responsibility[index] = error;
    }
  } else {
    const sc = functionLayerErrors(units, fn, null, false, extra);
    for (let j = 0; j < n; j++) {
      const { store, index } = units[j];
      store.projected[index] = sc.projected[j];
      store.gated[index] = sc.gated[j];
      store.responsibility[index] = sc.projected[j] + sc.gated[j];
    }
  }
  for (let j = n - 1; j >= 0; j--) updateUnit(units[j], rate);
}

/**
 * The errors of a function layer's units, through the Jacobian: `projected` (δP, eq. 21), `gated`
 * (δG, eq. 22) and `memoryless` (the part of δG from units without a self-connection, whose
 * extended traces have no memory). `external` is −∂E/∂y (or, with `atState`, −∂E/∂s) from a cost.
 * `extra` is the error reaching the activations through layer-level projections (ops/), if any.
 */
export function functionLayerErrors(
  units: readonly Neuron[],
  fn: LayerFunction,
  external: ArrayLike<number> | null,
  atState: boolean,
  extra: Float64Array | null = null,
): LayerScratch {
  const n = units.length;
  const sc = scratchOf(units);
  // an output layer (external error given) takes its error from the cost alone, as in gradient.ts
  for (let j = 0; j < n; j++) {
    const unit = units[j];
    sc.activation[j] = unit.store.activation[unit.index];
    sc.state[j] =
      external === null
        ? extra === null
          ? projectedError(unit)
          : projectedError(unit) + extra[j]
        : atState
          ? 0
          : external[j];
    sc.derivative[j] = external === null ? gatedError(unit) : 0;
    sc.memoryless[j] = external === null ? memorylessGatedError(unit) : 0;
  }
  fn.backward(sc.activation, sc.state, sc.projected, n);
  if (external !== null && atState) for (let j = 0; j < n; j++) sc.projected[j] += external[j];
  fn.backward(sc.activation, sc.derivative, sc.gated, n);
  fn.backward(sc.activation, sc.memoryless, sc.out, n);
  sc.memoryless.set(sc.out);
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
