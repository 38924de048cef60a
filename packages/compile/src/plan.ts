/**
 * Reads a network's structure (stores, blocks, segments, gates) and decides how to run it:
 * which layers become loops, which blocks need no eligibility memory, where back-propagated
 * errors can be accumulated row by row. Nothing here generates code; `emit.ts` does.
 */
import {
  DENSE,
  squash,
  type Block,
  type Layer,
  type LayerFunction,
  type Network,
  type Neuron,
  type NeuronStore,
} from '@synaptic/core';

/** Built-in squash functions by code; CUSTOM calls the unit's own function. */
export const SQUASH_CODE = { LOGISTIC: 0, TANH: 1, IDENTITY: 2, HLIM: 3, RELU: 4, CUSTOM: 5 } as const;
/** a group whose units do not all share one squash: chosen per unit from the store's codes */
export const MIXED_SQUASH = -1;

export function squashCode(fn: unknown): number {
  if (fn === squash.LOGISTIC) return SQUASH_CODE.LOGISTIC;
  if (fn === squash.TANH) return SQUASH_CODE.TANH;
  if (fn === squash.IDENTITY) return SQUASH_CODE.IDENTITY;
  if (fn === squash.HLIM) return SQUASH_CODE.HLIM;
  if (fn === squash.RELU) return SQUASH_CODE.RELU;
  return SQUASH_CODE.CUSTOM;
}

/** Where a block's sources (or targets) sit: a run of one store, or scattered (gathered by index arrays). */
export type Side = { contiguous: true; store: number; offset: number } | { contiguous: false };

export interface BlockPlan {
  readonly id: number;
  readonly block: Block;
  readonly kind: number;
  /** DENSE: columns (sources); DIAGONAL/LIST: slots */
  readonly width: number;
  readonly skipDiagonal: boolean;
  readonly gated: boolean;
  /** some connection of the block is fixed (never trained): its updates are guarded */
  readonly fixed: boolean;
  readonly from: Side;
  readonly to: Side;
  /** no eligibility memory: ε_ji = g_ji y_i can be read at propagation time */
  collapse: boolean;
  /** the source layer's error is accumulated while the target layer updates this block */
  accumulate: GroupPlan | null;
}

export interface InSeg {
  readonly block: BlockPlan;
  /** unit groups: DENSE row / DIAGONAL slot; LIST: first slot */
  readonly a: number;
  /** LIST: end slot (exclusive) */
  readonly b: number;
  /** the unit's input ordinal of this segment's first connection */
  readonly ordinal: number;
  readonly size: number;
}

export interface OutSeg {
  readonly block: BlockPlan;
  /** unit groups: the output segment (its kind's walk reads them; DENSE column / DIAGONAL or LIST slot) */
  readonly a: number;
  readonly b: number;
}

/**
 * 'function': a layer running a layer function (softmax), through core's kernels for it;
 * 'op': a layer a layer-level projection (convolution, pooling) writes or reads, stepped by core's
 * schedule for it (which calls the op kernels)
 */
export type GroupKind = 'input' | 'layer' | 'unit' | 'interpreted' | 'function' | 'op';

export interface GroupPlan {
  readonly id: number;
  readonly kind: GroupKind;
  readonly units: Neuron[];
  /** store id and offset of unit 0 (units are consecutive in that store for 'input' and 'layer') */
  readonly store: number;
  readonly offset: number;
  /** first compiled-unit index (for the gate tables) */
  readonly cu: number;
  readonly order: number;
  readonly squash: number;
  readonly output: number; // offset in the output vector, or -1
  /** 'function' groups: the index of their layer in `Plan.functions`; 'op' groups: in `Plan.opLayers` */
  readonly fn: number;
  /**
   * 'function' groups: one 'unit' group per unit (compiled units `cu`, `cu + 1`, ...), which
   * standalone code runs around core's kernel (`PlanOptions.inlineFunctions`); else empty
   */
  readonly members: GroupPlan[];
  readonly inputs: InSeg[];
  readonly outputs: OutSeg[];
  readonly hasSelf: boolean;
  readonly contiguous: boolean;
  /** receives errors accumulated by later layers */
  accumulates: boolean;
  /**
   * its units read nothing another unit of the layer writes while propagating (no connection or
   * gate within the layer), so it may propagate in ascending order, in which a source's error
   * accumulates in 1.x's order of summation
   */
  ascending: boolean;
}

export interface GateTables {
  /** per compiled unit: its groups are GS[cu] .. GS[cu + 1] */
  readonly GS: Int32Array;
  /** per group: the gated unit k */
  readonly KS: Int32Array;
  readonly KI: Int32Array;
  /** per group: 1 when the gater gates k's self-connection */
  readonly GSELF: Uint8Array;
  /** per group: 1 when k has a self-connection, so its extended trace has memory */
  readonly STORED: Uint8Array;
  /** per group: its references RS[q] .. RS[q + 1] */
  readonly RS: Int32Array;
  /** per reference: block id (-1: k's self-connection), slot, and the source unit */
  readonly RB: Int32Array;
  readonly RSLOT: Int32Array;
  readonly FS: Int32Array;
  readonly FI: Int32Array;
  /** per group: its extended-trace array (core's storage) */
  readonly xtraces: Float64Array[];
  readonly groups: number;
}

export interface Plan {
  readonly epoch: number;
  readonly exact: boolean;
  readonly stores: NeuronStore[];
  readonly blocks: BlockPlan[];
  readonly groups: GroupPlan[];
  readonly input: GroupPlan;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly gates: GateTables;
  /** units run by the interpreter (too irregular to be worth compiling one by one) */
  readonly interpreted: Neuron[];
  /** layers running a layer function, by the `fn` index of their group */
  readonly functions: Array<{ units: Neuron[]; fn: LayerFunction; group: number }>;
  /** layers touched by layer-level projections (ops), by the `fn` index of their group */
  readonly opLayers: Layer[];
  /** function layers run in generated code around core's kernels (`M.kernels`), not by core's steps */
  readonly inlineFunctions: boolean;
  /**
   * `propagate` checks before it writes instead of logging what it overwrites (see `replays`): no
   * undo log, and generated `commit` writes the weights once all are known to be finite.
   */
  readonly replay: boolean;
}

export interface PlanOptions {
  /** irregular units compiled one by one before the rest fall back to the interpreter */
  maxUnitGroups?: number;
  /**
   * true: repeat the interpreter's arithmetic in its order, for bit-identical results.
   * false (default): fold the extended traces toward self-less units into one coefficient per
   * unit (eq. 24 regrouped), which is much faster on gated networks such as LSTMs and agrees with
   * the interpreter to rounding (about 1e-15 per step).
   */
  exact?: boolean;
  /**
   * true: a layer function's layer runs in generated code (each unit's state, core's kernel over
   * the layer, each unit's traces; the back-flow through the kernel), on arrays alone, as
   * standalone modules need. false (default): generated code calls core's steps for the layer.
   */
  inlineFunctions?: boolean;
}

export function plan(network: Network, epoch: number, options: PlanOptions = {}): Plan {
  const layers = network.allLayers();
  const stores: NeuronStore[] = [];
  const storeId = new Map<NeuronStore, number>();
  const sid = (store: NeuronStore) => {
    let id = storeId.get(store);
    if (id === undefined) {
      id = stores.length;
      stores.push(store);
      storeId.set(store, id);
    }
    return id;
  };
  const order = new Map<Neuron, number>();
  layers.forEach((layer) => layer.list.forEach((n) => order.set(n, order.size)));

  const blocks: BlockPlan[] = [];
  const blockId = new Map<Block, BlockPlan>();
  const side = (units: Neuron[], count: number): Side => {
    const first = units[0];
    if (first === undefined) return { contiguous: false };
    for (let k = 0; k < count; k++) {
      const u = units[k];
      if (u.store !== first.store || u.index !== first.index + k) return { contiguous: false };
    }
    return { contiguous: true, store: sid(first.store), offset: first.index };
  };
  const blockPlan = (block: Block): BlockPlan => {
    let bp = blockId.get(block);
    if (bp) return bp;
    for (const n of block.from.slice(0, block.columns())) sid(n.store);
    for (const n of block.to.slice(0, block.rows())) sid(n.store);
    const width = block.columns();
    bp = {
      id: blocks.length,
      block,
      kind: block.kind,
      width,
      skipDiagonal: block.skipDiagonal,
      gated: block.gain !== null,
      fixed: block.fixed !== null,
      from: block.rules.growable ? { contiguous: false } : side(block.from, width),
      to: block.rules.growable ? { contiguous: false } : side(block.to, block.rows()),
      collapse: false,
      accumulate: null,
    };
    blocks.push(bp);
    blockId.set(block, bp);
    return bp;
  };

  const maxUnitGroups = options.maxUnitGroups ?? 4096;
  const groups: GroupPlan[] = [];
  const interpreted: Neuron[] = [];
  const functions: Array<{ units: Neuron[]; fn: LayerFunction; group: number }> = [];
  const opLayers: Layer[] = [];
  let cu = 0;
  let unitGroups = 0;
  const outputLayer = layers[layers.length - 1];
  layers.forEach((layer, l) => {
    const units = layer.list;
    const first = units[0];
    const contiguous =
      first !== undefined && units.every((u, k) => u.store === first.store && u.index === first.index + k);
    const isOutput = l === layers.length - 1;
    if (l === 0) {
      groups.push(makeGroup('input', units, contiguous, -1, [], []));
      return;
    }
    if (layer.opsIn.length > 0 || layer.opsOut.length > 0) {
      opLayers.push(layer);
      groups.push(makeGroup('op', units, contiguous, isOutput ? 0 : -1, [], [], opLayers.length - 1));
      return;
    }
    if (layer.layerFunction !== null) {
      functions.push({ units, fn: layer.layerFunction, group: layer.groupSize() });
      const g = makeGroup('function', units, contiguous, isOutput ? 0 : -1, [], [], functions.length - 1);
      if (options.inlineFunctions === true)
        g.members.push(...units.map((unit, k) => unitGroup(unit, isOutput ? k : -1, g.cu + k)));
      groups.push(g);
      return;
    }
    if (units.length > 0 && contiguous && uniform(units)) {
      const template = units[0];
      let ordinal = 0;
      const inputs = template.inputs.map((seg) => {
        const bp = blockPlan(seg.block);
        const size = seg.block.inputCount(seg);
        const s: InSeg = { block: bp, a: 0, b: 0, ordinal, size };
        ordinal += size;
        return s;
      });
      const outputs = template.outputs.map((seg) => ({ block: blockPlan(seg.block), a: 0, b: 0 }));
      groups.push(makeGroup('layer', units, true, isOutput ? 0 : -1, inputs, outputs));
      return;
    }
    units.forEach((unit, k) => {
      if (unitGroups >= maxUnitGroups) {
        interpreted.push(unit);
        groups.push(makeGroup('interpreted', [unit], false, isOutput ? k : -1, [], []));
        return;
      }
      unitGroups++;
      groups.push(unitGroup(unit, isOutput ? k : -1));
    });
  });

  /** A unit compiled on its own; `at`: its compiled-unit index when it is a member of a function group. */
  function unitGroup(unit: Neuron, output: number, at?: number): GroupPlan {
    let ordinal = 0;
    const inputs = unit.inputs.map((seg) => {
      const bp = blockPlan(seg.block);
      const size = seg.block.inputCount(seg);
      const s: InSeg = { block: bp, a: seg.a, b: seg.b, ordinal, size };
      ordinal += size;
      return s;
    });
    const outputs = unit.outputs.map((seg) => ({ block: blockPlan(seg.block), a: seg.a, b: seg.b }));
    return makeGroup('unit', [unit], true, output, inputs, outputs, -1, at);
  }

  function makeGroup(
    kind: GroupKind,
    units: Neuron[],
    contiguous: boolean,
    output: number,
    inputs: InSeg[],
    outputs: OutSeg[],
    fn = -1,
    at?: number,
  ): GroupPlan {
    for (const u of units) sid(u.store);
    const first = units[0];
    const squashes = new Set(units.map((u) => squashCode(u.squash)));
    const g: GroupPlan = {
      id: at === undefined ? groups.length : -1,
      kind,
      units,
      store: first ? sid(first.store) : 0,
      offset: first ? first.index : 0,
      cu: at ?? cu,
      order: first ? order.get(first)! : -1,
      squash: squashes.size === 1 ? [...squashes][0] : MIXED_SQUASH,
      output,
      fn,
      members: [],
      inputs,
      outputs,
      hasSelf: units.some((u) => u.store.selfWeight[u.index] !== 0),
      contiguous,
      accumulates: false,
      ascending: false,
    };
    if (kind !== 'input' && at === undefined) cu += units.length;
    return g;
  }

  // which blocks need no eligibility memory, and which errors can be accumulated forward
  const groupOf = new Map<Neuron, GroupPlan>();
  for (const g of groups) for (const u of g.units) groupOf.set(u, g);
  for (const g of groups) {
    if (g.kind !== 'layer') continue;
    const own = new Set(g.units);
    // a tied projection out of the layer reads the weights its units write as they update
    const written = new Set(g.inputs.map((seg) => seg.block.block.weight));
    g.ascending =
      g.outputs.every((seg) => !seg.block.block.to.some((t) => own.has(t)) && !written.has(seg.block.block.weight)) &&
      g.units.every((u) => u.gatedGroups.every((group) => !own.has(group.neuron)));
  }
  const firstOrder = (g: GroupPlan) => g.order;
  for (const g of groups) {
    if (g.kind !== 'layer') continue;
    for (const seg of g.inputs) {
      const bp = seg.block;
      const block = bp.block;
      const sources = block.from.slice(0, bp.width);
      const sourceGroups = new Set(sources.map((s) => groupOf.get(s)));
      const fresh = sources.every((s) => order.has(s) && order.get(s)! < firstOrder(g));
      const gatersFresh =
        !block.gater || block.gater.every((gt) => gt === null || (order.has(gt) && order.get(gt)! < firstOrder(g)));
      bp.collapse = !g.hasSelf && fresh && gatersFresh && !block.skipDiagonal;
      const [source] = [...sourceGroups];
      // exact order: the later layer adds row by row in ascending order, and this block is the
      // first the source layer projects (1.x sums a unit's projections in creation order)
      // (not with tied weights: the source layer's own updates may write the same array while its
      // units read their errors one by one, which an accumulated error would not see)
      const tied = block.tiedTo !== null || (block.ties?.length ?? 0) > 0;
      if (
        !tied &&
        sourceGroups.size === 1 &&
        source !== undefined &&
        source.kind === 'layer' &&
        source !== g &&
        g.ascending &&
        source.units[0].outputs[0]?.block === block &&
        source.order < g.order &&
        block.kind === DENSE &&
        sources.every((s, k) => source.units[k] === s) &&
        sources.length === source.units.length
      ) {
        bp.accumulate = source;
        source.accumulates = true;
      }
    }
  }

  const gates = gateTables(groups, sid, blockPlan);
  const replay = replays(groups, gates.GS);
  const input = groups[0];
  return {
    epoch,
    exact: options.exact ?? false,
    stores,
    blocks,
    groups,
    input,
    inputSize: input.units.length,
    outputSize: outputLayer.list.length,
    gates,
    interpreted,
    functions,
    opLayers,
    inlineFunctions: options.inlineFunctions === true,
    replay,
  };
}

/** Every unit of a layer wired the same way: the same blocks, at its own row and column. */
function uniform(units: Neuron[]): boolean {
  const t = units[0];
  const n = units.length;
  for (const seg of t.inputs) {
    const b = seg.block;
    if (!b.rules.uniform) return false;
    const rows = b.rows();
    if (rows !== n) return false;
  }
  for (const seg of t.outputs) {
    const b = seg.block;
    if (!b.rules.uniform) return false;
    const cols = b.columns();
    if (cols !== n) return false;
  }
  for (let j = 0; j < n; j++) {
    const u = units[j];
    if (u.inputs.length !== t.inputs.length || u.outputs.length !== t.outputs.length) return false;
    for (let p = 0; p < u.inputs.length; p++) {
      const seg = u.inputs[p];
      if (seg.block !== t.inputs[p].block || seg.a !== j || seg.block.to[j] !== u) return false;
    }
    for (let p = 0; p < u.outputs.length; p++) {
      const seg = u.outputs[p];
      if (seg.block !== t.outputs[p].block || seg.a !== j || seg.block.from[j] !== u) return false;
    }
  }
  return true;
}

function gateTables(
  groups: GroupPlan[],
  sid: (s: NeuronStore) => number,
  blockPlan: (b: Block) => BlockPlan,
): GateTables {
  const compiled = groups.filter((g) => g.kind !== 'input').flatMap((g) => g.units);
  const GS = new Int32Array(compiled.length + 1);
  const KS: number[] = [];
  const KI: number[] = [];
  const GSELF: number[] = [];
  const STORED: number[] = [];
  const RS: number[] = [0];
  const RB: number[] = [];
  const RSLOT: number[] = [];
  const FS: number[] = [];
  const FI: number[] = [];
  const xtraces: Float64Array[] = [];
  compiled.forEach((gater, c) => {
    GS[c] = KS.length;
    for (const group of gater.gatedGroups) {
      const k = group.neuron;
      KS.push(sid(k.store));
      KI.push(k.index);
      GSELF.push(k.selfGater === gater ? 1 : 0);
      STORED.push(k.store.selfWeight[k.index] !== 0 ? 1 : 0);
      xtraces.push(group.xtrace);
      group.blocks.forEach((block, r) => {
        if (block === null) {
          RB.push(-1);
          RSLOT.push(-1);
          FS.push(sid(k.store));
          FI.push(k.index);
        } else {
          const slot = group.slots[r];
          const from = block.sourceOf(slot);
          RB.push(blockPlan(block).id);
          RSLOT.push(slot);
          FS.push(sid(from.store));
          FI.push(from.index);
        }
      });
      RS.push(RB.length);
    }
  });
  GS[compiled.length] = KS.length;
  return {
    GS,
    KS: Int32Array.from(KS),
    KI: Int32Array.from(KI),
    GSELF: Uint8Array.from(GSELF),
    STORED: Uint8Array.from(STORED),
    RS: Int32Array.from(RS),
    RB: Int32Array.from(RB),
    RSLOT: Int32Array.from(RSLOT),
    FS: Int32Array.from(FS),
    FI: Int32Array.from(FI),
    xtraces,
    groups: KS.length,
  };
}

/**
 * Whether `propagate` can check before it writes ("replay"): plans of layers without gates whose
 * every back-propagated error is accumulated forward (so no error reads a weight the step writes),
 * above `replayAbove` weights. Propagate then computes every new weight and bias without storing
 * it, and `commit` computes them again and stores them once all are finite: the same numbers as
 * logging the old values for an undo, without a weight-sized undo log.
 */
function replays(groups: readonly GroupPlan[], GS: Int32Array): boolean {
  let weights = 0;
  for (const g of groups.slice(1)) {
    if (g.kind !== 'layer' || GS[g.cu + g.units.length] > GS[g.cu]) return false;
    if (g.output < 0 && !g.outputs.every((seg) => seg.block.accumulate === g)) return false;
    for (const seg of g.inputs) weights += seg.size * g.units.length;
  }
  return weights > replayAbove;
}

/** Past this many weights, plans that can replay do (an undo log of 32 MB and more). */
let replayAbove = 1 << 22;

/** For tests: the number of weights above which plans replay (null: the default). */
export function setReplayAbove(weights: number | null): void {
  replayAbove = weights ?? 1 << 22;
}
