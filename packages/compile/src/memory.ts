/**
 * The memory generated code runs on: the network's own stores and block arrays (shared, not
 * copied, so the graph always holds the live weights), plus gate tables and scratch space.
 */
import {
  activateFunctionLayer,
  activateUnit,
  backwardFunctionLayer,
  backwardOpLayer,
  backwardUnit,
  forEachInputSlot,
  propagateFunctionLayer,
  propagateOpLayer,
  propagateUnit,
  type LayerFunction,
  type Neuron,
  type NeuronStore,
} from '@synaptic/core';
import { squashCode, type Plan } from './plan.js';

/** The fields of a store generated code reads; a `NeuronStore` has them, and so does a standalone copy. */
export interface StoreArrays {
  state: Float64Array;
  old: Float64Array;
  activation: Float64Array;
  derivative: Float64Array;
  bias: Float64Array;
  selfWeight: Float64Array;
  selfGain: Float64Array;
  responsibility: Float64Array;
  projected: Float64Array;
  gated: Float64Array;
  squash: Array<(x: number, derivate?: boolean) => number>;
  /** 1 where a bias is fixed; null when none is */
  biasFixed: Uint8Array | null;
  /** where `backward` adds ∂E/∂b (allocated by `memoryData`) */
  biasGradient: Float64Array | null;
}

/** What generated code runs on: its data, linked (see `linkMemory`). */
export interface Memory extends Omit<MemoryData, 'accSizes'> {
  acc: Array<Float64Array | null>;
  /** per reference: the array holding its weight, activation of its source and gain, and the index in each */
  RW: Float64Array[];
  RWI: Int32Array;
  RA: Float64Array[];
  RAI: Int32Array;
  RG: Float64Array[];
  RGI: Int32Array;
  /** per group: the gated unit's old state, responsibility, self gain and self weight arrays */
  KOLD: Float64Array[];
  KRE: Float64Array[];
  KSG: Float64Array[];
  KSW: Float64Array[];
  /** per compiled unit, its groups whose traces have memory: SGL[SGS[c]] .. SGL[SGS[c + 1] - 1] */
  SGS: Int32Array;
  SGL: Int32Array;
  INF: Float64Array;
  DEC: Float64Array;
  RK: Float64Array;
  /** the undo log of `propagate`: per block and per store, the old value of each weight and bias it wrote */
  undoW: Float64Array[];
  undoB: Float64Array[];
}

/**
 * What generated code needs, as plain data: arrays (live ones when attached to a network, copies
 * in a standalone module) and the gate tables. `linkMemory` derives the rest from it.
 */
export interface MemoryData {
  stores: StoreArrays[];
  /** per store, each unit's squash as a built-in code (5: its own function) */
  squashCodes: Uint8Array[];
  weight: Float64Array[];
  elig: Float64Array[];
  gain: Array<Float64Array | null>;
  /** per block: 1 where a connection is fixed; null when none is */
  fixed: Array<Uint8Array | null>;
  /** per block: where `backward` adds ∂E/∂w */
  gradient: Float64Array[];
  fromStore: Int32Array[];
  fromIndex: Int32Array[];
  toStore: Int32Array[];
  toIndex: Int32Array[];
  /** per group: the length of its accumulator (0: none) */
  accSizes: number[];
  /** whether `propagate` logs the old weights and biases it overwrites (false: it replays, `Plan.replay`) */
  undoLog: boolean;
  GS: Int32Array;
  KS: Int32Array;
  KI: Int32Array;
  GSELF: Uint8Array;
  STORED: Uint8Array;
  RS: Int32Array;
  RB: Int32Array;
  RSLOT: Int32Array;
  FS: Int32Array;
  FI: Int32Array;
  XT: Float64Array[];
  units: Neuron[];
  activateUnit: ((unit: Neuron) => number) | null;
  propagateUnit: ((unit: Neuron, rate: number, target?: number) => void) | null;
  backwardUnit: ((unit: Neuron, dEdy?: number) => void) | null;
  /** layers running a layer function, stepped by core's kernels (see `linkFunctions`) */
  functions: FunctionLayerSteps[];
  /** layers touched by ops (convolution, pooling), stepped by core's schedule for them */
  opLayers: FunctionLayerSteps[];
  /** core's kernels of each function layer, by `fn` index, for code that runs the layers inline */
  kernels: LayerKernels[];
  /** per interpreted unit: the guard of what its `propagateUnit` writes */
  unitGuards: WriteGuard[];
}

/**
 * The numbers a step run by core (an interpreted unit, a layer function's layer) may write during
 * `propagate`: the weights of the blocks into its units and their biases. Generated code saves them
 * before the step, adds `check()` (0, or NaN when one is not finite) to its flag after, and `undo`
 * restores them.
 */
export interface WriteGuard {
  save(): void;
  check(): number;
  restore(): void;
}

/** A layer function's kernels (core's `LayerFunction`, or in a standalone module their text evaluated). */
export type LayerKernels = Pick<LayerFunction, 'forward' | 'backward'>;

/** How generated code runs a layer function: core's steps for that layer, bound to it. */
export interface FunctionLayerSteps extends WriteGuard {
  activate(into: number[]): void;
  propagate(rate: number, target: ArrayLike<number> | undefined): void;
  backward(error: Float64Array | null, atState: boolean): void;
}

function writeGuard(units: Neuron[], tensors: readonly Float64Array[] = []): WriteGuard {
  // the op tensors (kernels, tables) an op layer's propagate moves, then the blocks into the units
  const arrays: Float64Array[] = [...tensors];
  const seen = new Set<Float64Array>(tensors);
  for (const unit of units) {
    for (const seg of unit.inputs) {
      const b = seg.block;
      if (seen.has(b.weight)) continue;
      seen.add(b.weight);
      arrays.push(b.rules.growable ? b.weight.subarray(0, b.length) : b.weight);
    }
  }
  const saved = arrays.map((a) => new Float64Array(a.length));
  const biases = new Float64Array(units.length);
  // LAYER_NORM's γ and β, which its layer's propagate moves too
  const norm = units.filter((u) => u.store.gamma !== null);
  const gammas = new Float64Array(norm.length);
  const betas = new Float64Array(norm.length);
  return {
    save() {
      arrays.forEach((a, k) => saved[k].set(a));
      units.forEach((u, k) => (biases[k] = u.store.bias[u.index]));
      norm.forEach((u, k) => {
        gammas[k] = u.store.gamma![u.index];
        betas[k] = u.store.beta![u.index];
      });
    },
    check() {
      let acc = 0;
      for (const a of arrays) for (let i = 0; i < a.length; i++) acc += a[i] - a[i];
      for (const u of units) acc += u.store.bias[u.index] - u.store.bias[u.index];
      for (const u of norm)
        acc += u.store.gamma![u.index] - u.store.gamma![u.index] + u.store.beta![u.index] - u.store.beta![u.index];
      return acc;
    },
    restore() {
      arrays.forEach((a, k) => a.set(saved[k]));
      units.forEach((u, k) => (u.store.bias[u.index] = biases[k]));
      norm.forEach((u, k) => {
        u.store.gamma![u.index] = gammas[k];
        u.store.beta![u.index] = betas[k];
      });
    },
  };
}

/** What generated code gets for an array nothing it runs reads. */
const NO_TRACES = new Float64Array(0);

/** Points generated code at each block's gradient, allocating it on first use (before `backward`). */
export function linkGradients(plan: Plan, memory: Memory): void {
  plan.blocks.forEach((bp, b) => {
    memory.gradient[b] = bp.block.ensureGradient();
  });
}

export function memoryData(plan: Plan): MemoryData {
  for (const store of plan.stores) store.biasGradient ??= new Float64Array(store.size);
  const storeId = new Map<NeuronStore, number>(plan.stores.map((s, i) => [s, i]));
  const index = (units: Neuron[], count: number) => {
    const s = new Int32Array(count);
    const i = new Int32Array(count);
    for (let k = 0; k < count; k++) {
      s[k] = storeId.get(units[k].store)!;
      i[k] = units[k].index;
    }
    return [s, i] as const;
  };
  const fromStore: Int32Array[] = [];
  const fromIndex: Int32Array[] = [];
  const toStore: Int32Array[] = [];
  const toIndex: Int32Array[] = [];
  for (const bp of plan.blocks) {
    const b = bp.block;
    const [fs, fi] = bp.from.contiguous ? [new Int32Array(0), new Int32Array(0)] : index(b.from, bp.width);
    const rows = b.rows();
    const [ts, ti] = bp.to.contiguous ? [new Int32Array(0), new Int32Array(0)] : index(b.to, rows);
    fromStore.push(fs);
    fromIndex.push(fi);
    toStore.push(ts);
    toIndex.push(ti);
  }
  const { gates } = plan;
  return {
    stores: plan.stores,
    squashCodes: plan.stores.map((s) => Uint8Array.from(s.squash, squashCode)),
    weight: plan.blocks.map((bp) => bp.block.weight),
    // a block whose traces have no memory is read as g_ji y_i: its traces are never allocated
    elig: plan.blocks.map((bp) => (bp.collapse ? NO_TRACES : bp.block.elig)),
    gain: plan.blocks.map((bp) => bp.block.gain),
    fixed: plan.blocks.map((bp) => bp.block.fixed),
    // allocated by the first `backward` (`linkGradients`)
    gradient: plan.blocks.map((bp) => bp.block.gradient ?? NO_TRACES),
    fromStore,
    fromIndex,
    toStore,
    toIndex,
    accSizes: plan.groups.map((g) => (g.accumulates ? g.units.length : 0)),
    undoLog: !plan.replay,
    GS: gates.GS,
    KS: gates.KS,
    KI: gates.KI,
    GSELF: gates.GSELF,
    STORED: gates.STORED,
    RS: gates.RS,
    RB: gates.RB,
    RSLOT: gates.RSLOT,
    FS: gates.FS,
    FI: gates.FI,
    XT: gates.xtraces,
    units: plan.interpreted,
    activateUnit,
    propagateUnit,
    backwardUnit,
    unitGuards: plan.interpreted.map((unit) => writeGuard([unit])),
    kernels: plan.functions.map(({ fn }) => fn),
    functions: plan.functions.map(({ units, fn, group }) => {
      const scratch = new Array<number>(units.length);
      return {
        ...writeGuard(units),
        activate: (into) => {
          activateFunctionLayer(units, fn, scratch, group);
          for (let j = 0; j < units.length; j++) into[j] = scratch[j];
        },
        propagate: (rate, target) => propagateFunctionLayer(units, fn, rate, target, group),
        backward: (error, atState) =>
          backwardFunctionLayer(units, fn, error === null ? null : { values: error, atState }, group),
      };
    }),
    opLayers: plan.opLayers.map((layer): FunctionLayerSteps => {
      const n = layer.list.length;
      return {
        ...writeGuard(
          layer.list,
          layer.opsIn.flatMap((op) => op.tensors.map((t) => t.value)),
        ),
        activate: (into) => {
          const y = layer.activate();
          for (let j = 0; j < n; j++) into[j] = y[j];
        },
        propagate: (rate, target) => propagateOpLayer(layer, rate, target),
        backward: (error, atState) => backwardOpLayer(layer, error === null ? null : { values: error, atState }),
      };
    }),
  };
}

/**
 * Derives the memory generated code runs on from its data: flattened references for the gate
 * tables, scratch space, accumulators. Self-contained (no imports, no closures), because a
 * standalone module carries its text.
 */
export function linkMemory(data: MemoryData): Memory {
  const { stores, GS, KS, KI, STORED, RS, RB, RSLOT, FS, FI } = data;
  const units = GS.length - 1;
  const SGS = new Int32Array(units + 1);
  const SGL: number[] = [];
  for (let c = 0; c < units; c++) {
    SGS[c] = SGL.length;
    for (let q = GS[c]; q < GS[c + 1]; q++) if (STORED[q]) SGL.push(q);
  }
  SGS[units] = SGL.length;
  const groups = KS.length;
  const refs = RB.length;
  const RW: Float64Array[] = [];
  const RA: Float64Array[] = [];
  const RG: Float64Array[] = [];
  const RWI = new Int32Array(refs);
  const RAI = new Int32Array(refs);
  const RGI = new Int32Array(refs);
  for (let q = 0; q < groups; q++) {
    const k = stores[KS[q]];
    for (let r = RS[q]; r < RS[q + 1]; r++) {
      const b = RB[r];
      if (b < 0) {
        RW.push(k.selfWeight);
        RWI[r] = KI[q];
        RG.push(k.selfGain);
        RGI[r] = KI[q];
      } else {
        RW.push(data.weight[b]);
        RWI[r] = RSLOT[r];
        RG.push(data.gain[b] as Float64Array);
        RGI[r] = RSLOT[r];
      }
      RA.push(stores[FS[r]].activation);
      RAI[r] = FI[r];
    }
  }
  const groupStores: StoreArrays[] = [];
  for (let q = 0; q < groups; q++) groupStores.push(stores[KS[q]]);
  return {
    ...data,
    acc: data.accSizes.map((n) => (n > 0 ? new Float64Array(n) : null)),
    RW,
    RWI,
    RA,
    RAI,
    RG,
    RGI,
    KOLD: groupStores.map((s) => s.old),
    KRE: groupStores.map((s) => s.responsibility),
    KSG: groupStores.map((s) => s.selfGain),
    KSW: groupStores.map((s) => s.selfWeight),
    SGS,
    SGL: Int32Array.from(SGL),
    INF: new Float64Array(groups),
    DEC: new Float64Array(groups),
    RK: new Float64Array(groups),
    undoW: data.weight.map((w) => new Float64Array(data.undoLog ? w.length : 0)),
    undoB: stores.map((s) => new Float64Array(data.undoLog ? s.bias.length : 0)),
  };
}

/**
 * The memory of a network's compiled code. Its undo log (a copy of every weight it writes) is left
 * empty here and allocated by the first `propagate` (`linkUndoLog`): code that only runs `activate`
 * or `backward`, or whose `propagate` runs in WebAssembly, never holds it.
 */
export function memoryOf(plan: Plan): Memory {
  const data = memoryData(plan);
  const memory = linkMemory({ ...data, undoLog: false });
  memory.undoLog = data.undoLog;
  return memory;
}

/** Allocates the undo log `memoryOf` left empty (before the first `propagate`; again it changes nothing). */
export function linkUndoLog(memory: Memory): void {
  if (!memory.undoLog) return;
  memory.weight.forEach((w, b) => {
    if (memory.undoW[b].length !== w.length) memory.undoW[b] = new Float64Array(w.length);
  });
  memory.stores.forEach((s, i) => {
    if (memory.undoB[i].length !== s.bias.length) memory.undoB[i] = new Float64Array(s.bias.length);
  });
}

/**
 * Writes the traces compiled code keeps implicitly back into the graph's storage, so the
 * interpreter (or a checkpoint, or a clone) continues exactly where compiled code left off:
 * eligibilities of blocks without memory (g_ji y_i) and extended traces toward self-less units
 * (f'_j ε_ji inf_jk, eq. 18 with no carried-over term).
 */
export function materialize(plan: Plan, memory: Memory): void {
  for (const g of plan.groups) {
    if (g.kind !== 'layer') continue;
    for (const seg of g.inputs) {
      const bp = seg.block;
      if (!bp.collapse) continue;
      const b = bp.block;
      const gain = b.gain;
      for (const unit of g.units) {
        for (const seg of unit.inputs) {
          if (seg.block !== b) continue;
          // ε_ji = g_ji y_i over the unit's connections in this block, as its kind walks them
          forEachInputSlot(seg, (slot) => {
            const src = b.sourceOf(slot);
            const y = src.store.activation[src.index];
            b.elig[slot] = gain === null ? y : gain[slot] * y;
          });
        }
      }
    }
    g.units.forEach((unit, j) => {
      const c = g.cu + j;
      const { GS, STORED } = plan.gates;
      const d = unit.store.derivative[unit.index];
      for (let q = GS[c]; q < GS[c + 1]; q++) {
        if (STORED[q]) continue;
        const xt = memory.XT[q];
        const inf = memory.INF[q];
        let ordinal = 0;
        for (const seg of unit.inputs) {
          const b = seg.block;
          forEachInputSlot(seg, (slot) => {
            xt[ordinal++] = d * b.elig[slot] * inf;
          });
        }
      }
    });
  }
}
