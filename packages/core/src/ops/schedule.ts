/**
 * The schedule's steps for a layer an op touches (as target or source), called by the interpreter
 * (`Layer.activate`, `Layer.propagate`), by `backward` (gradient.ts) and by compiled code alike:
 *
 * - activate: every unit's own state (eq. 15: bias and ordinary inputs), then each op into the layer
 *   adds its forward sum, then the squash or the layer function (eq. 16) and the traces (eq. 17-18).
 * - propagate / backward: the error reaching each unit through the ops that read the layer
 *   (`backflow`, eq. 21's Σ over the op's targets) joins its ordinary projected error; then the
 *   units' own updates or gradients, then each op into the layer updates (rate · Σ δ y, eq. 24's
 *   online rule) or accumulates (∂E/∂θ = −Σ δ ∂s/∂θ) its parameters.
 *
 * An op's target has no self-connection, gate or lateral connection (attach.ts), so computing the
 * whole layer's states before squashing any of them is the same as unit by unit.
 */
import { backwardFunctionLayer, backwardUnit, type OutputError } from '../gradient.js';
import { gatedError, projectedError, unitState, unitTraces, updateUnit } from '../interpreter.js';
import type { Layer } from '../layer.js';
import { propagateFunctionLayer, squashFunctionLayer } from '../layer-interpreter.js';
import type { Op } from './op.js';

/** Per layer: the error its activations receive through ops (reused between steps). */
const errorScratch = new WeakMap<Layer, Float64Array>();
/** Per op: scratch tensors for the sums `propagate` adds at a rate. */
const stepScratch = new WeakMap<Op, Float64Array[]>();

/** Every source's activation array, in the op's order (units 0..n−1 of each source's own store). */
export function opInputs(op: Op): Float64Array[] {
  return op.sources.map((s) => s.list[0].store.activation);
}

/** Σ over the ops reading `layer` of their back-flow into it (eq. 21's Σ), or null when none does. */
export function opErrors(layer: Layer): Float64Array | null {
  if (layer.opsOut.length === 0) return null;
  let into = errorScratch.get(layer);
  if (into === undefined || into.length !== layer.size) {
    into = new Float64Array(layer.size);
    errorScratch.set(layer, into);
  }
  into.fill(0);
  for (const op of layer.opsOut) {
    const delta = op.target.list[0].store.responsibility;
    op.backflow(
      opInputs(op),
      delta,
      op.sources.map((s) => (s === layer ? into : null)),
    );
  }
  return into;
}

/** Activates the target layer of one or more ops; returns the activations. */
export function activateOpLayer(layer: Layer, into: number[]): number[] {
  const units = layer.list;
  const n = units.length;
  const store = units[0].store;
  for (let j = 0; j < n; j++) unitState(units[j]);
  // eq. 15: the ops' sums join each state
  for (const op of layer.opsIn) op.forward(opInputs(op), store.state);
  if (layer.layerFunction !== null) return squashFunctionLayer(units, layer.layerFunction, into, layer.groupSize());
  for (let j = 0; j < n; j++) {
    const s = store.state[j];
    const f = store.squash[j];
    into[j] = unitTraces(units[j], f(s), f(s, true));
  }
  return into;
}

/** 1.x's online rule for a layer an op touches: δ (eq. 10 or 21-23, with the ops' back-flow), eq. 24. */
export function propagateOpLayer(layer: Layer, rate: number, target?: ArrayLike<number>): void {
  const units = layer.list;
  const extra = target === undefined ? opErrors(layer) : null;
  if (layer.layerFunction !== null)
    propagateFunctionLayer(units, layer.layerFunction, rate, target, layer.groupSize(), extra);
  else {
    for (let j = units.length - 1; j >= 0; j--) {
      const unit = units[j];
      const st = unit.store;
      const i = unit.index;
      if (target !== undefined) {
        // eq. 10
        const error = target[j] - st.activation[i];
        st.projected[i] = error;
        st.responsibility[i] = error;
      } else {
        const derivative = st.derivative[i];
        const error = extra === null ? projectedError(unit) : projectedError(unit) + extra[j];
        const projected = derivative * error;
        const gated = derivative * gatedError(unit);
        st.projected[i] = projected;
        st.gated[i] = gated;
        st.responsibility[i] = projected + gated;
      }
      updateUnit(unit, rate);
    }
  }
  for (const op of layer.opsIn) updateOp(op, rate);
}

/** θ += rate · Σ_k δ_k ∂s_k/∂θ for the op's trained entries. */
function updateOp(op: Op, rate: number): void {
  if (op.tensors.length === 0) return;
  const sums = scratchFor(op);
  op.accumulate(opInputs(op), op.target.list[0].store.responsibility, sums);
  op.tensors.forEach((t, k) => {
    const value = t.value;
    const sum = sums[k];
    const fixed = t.fixed;
    for (let i = 0; i < value.length; i++) if (fixed === null || fixed[i] === 0) value[i] += rate * sum[i];
  });
}

/** Zeroed scratch arrays shaped like the op's tensors. */
function scratchFor(op: Op): Float64Array[] {
  let sums = stepScratch.get(op);
  if (sums === undefined) {
    sums = op.tensors.map((t) => new Float64Array(t.value.length));
    stepScratch.set(op, sums);
  }
  for (const s of sums) s.fill(0);
  return sums;
}

/** `backward` for a layer an op touches: the back-flow with the ops' share, then ∂E/∂θ of the ops into it. */
export function backwardOpLayer(layer: Layer, output: OutputError | null): void {
  const units = layer.list;
  const extra = output === null ? opErrors(layer) : null;
  if (layer.layerFunction !== null) backwardFunctionLayer(units, layer.layerFunction, output, layer.groupSize(), extra);
  else if (output !== null) for (let j = units.length - 1; j >= 0; j--) backwardUnit(units[j], output.values[j]);
  else if (extra === null) for (let j = units.length - 1; j >= 0; j--) backwardUnit(units[j]);
  else for (let j = units.length - 1; j >= 0; j--) backwardUnit(units[j], undefined, extra[j]);
  for (const op of layer.opsIn) accumulateOp(op);
}

/** ∂E/∂θ = −Σ_k δ_k ∂s_k/∂θ added to the op's gradients (fixed entries stay 0). */
function accumulateOp(op: Op): void {
  if (op.tensors.length === 0) return;
  const sums = scratchFor(op);
  op.accumulate(opInputs(op), op.target.list[0].store.responsibility, sums);
  op.tensors.forEach((t, k) => {
    const gradient = t.gradient;
    const sum = sums[k];
    const fixed = t.fixed;
    for (let i = 0; i < gradient.length; i++) if (fixed === null || fixed[i] === 0) gradient[i] -= sum[i];
  });
}
