import type { Neuron } from '../neuron.js';
import type { LayerConnection } from '../layer-connection.js';
import { DENSE, LIST, type BlockKind, type BlockKindRules } from '../kinds/kind.js';
import { kindRules } from '../kinds/registry.js';
import { linearBounds, linearWalk, walkCount, type Bounds } from '../kinds/walk.js';

const COUNT: Bounds = { first: 0, end: 0, skip: -1, base: 0, step: 0 };

/**
 * How a block lays out its connections is its kind's module (`kinds/dense.ts`, `kinds/diagonal.ts`,
 * `kinds/list.ts`): DENSE is every (source, target) pair, row-major by target (with `skipDiagonal`,
 * a layer projected onto itself, slot t·n + t is not a connection; with `selfDiagonal` as well it
 * stands for unit t's self-connection, as 1.x's ALL_TO_ALL onto the same layer); DIAGONAL is source t
 * to target t; LIST is arbitrary pairs, growable.
 */
export { DENSE, DIAGONAL, LIST, type BlockKind } from '../kinds/kind.js';

/**
 * The storage of a set of connections: weights, gains, gaters and eligibility traces live in
 * typed arrays indexed by slot. `Connection` objects are views of (block, slot).
 */
export class Block {
  readonly kind: BlockKind;
  /** the kind's layout (which slots a unit's connections are) */
  readonly rules: BlockKindRules;
  /** DENSE: the columns; DIAGONAL and LIST: the source of each slot. */
  from: Neuron[];
  /** DENSE: the rows; DIAGONAL and LIST: the target of each slot. */
  to: Neuron[];
  readonly skipDiagonal: boolean;
  readonly selfDiagonal: boolean;
  /** number of slots in use */
  length: number;
  weight: Float64Array;
  /**
   * ε_ji, the eligibility trace of each connection (eq. 17), allocated (zeroed) when first read:
   * compiled code reads g_ji y_i instead wherever a trace has no memory, so a compiled
   * feed-forward network never holds one.
   */
  get elig(): Float64Array {
    return (this.eligibility ??= new Float64Array(this.weight.length));
  }

  set elig(value: Float64Array) {
    this.eligibility = value;
  }

  /** whether the traces are allocated (they are all 0 while not) */
  hasElig(): boolean {
    return this.eligibility !== null;
  }

  private eligibility: Float64Array | null = null;
  /** g_ji; null while no connection of the block is gated (every gain is then 1) */
  gain: Float64Array | null = null;
  /** the gater of each slot; null while none is gated */
  gater: Array<Neuron | null> | null = null;
  /** ∂E/∂w summed by `backward`, by slot; allocated on first use */
  gradient: Float64Array | null = null;
  /** 1 where a connection is fixed (never trained); null while none is */
  fixed: Uint8Array | null = null;
  /**
   * Shared parameters: a block tied to another reads and trains that block's arrays (`weight`,
   * `gradient`, `fixed` are the same objects), so its connections and the other's are one parameter
   * and their gradients add up. `tiedTo` is the block that owns the arrays; `ties` lists, on the
   * owner, every block tied to it.
   */
  tiedTo: Block | null = null;
  ties: Block[] | null = null;
  /** DENSE and DIAGONAL: ID of slot k is firstId + k; LIST: ids[k] */
  readonly firstId: number;
  ids: number[] | null;
  layerConnection: LayerConnection | null = null;

  constructor(
    kind: BlockKind,
    from: Neuron[],
    to: Neuron[],
    length: number,
    firstId: number,
    options: { skipDiagonal?: boolean; selfDiagonal?: boolean } = {},
  ) {
    this.kind = kind;
    this.rules = kindRules(kind);
    this.from = from;
    this.to = to;
    this.length = length;
    this.skipDiagonal = options.skipDiagonal ?? false;
    this.selfDiagonal = options.selfDiagonal ?? false;
    this.weight = new Float64Array(length);
    this.firstId = firstId;
    this.ids = kind === LIST ? [] : null;
  }

  static list(): Block {
    const block = new Block(LIST, [], [], 0, -1);
    block.weight = new Float64Array(4);
    return block;
  }

  /** Appends a connection to a LIST block; returns its slot. */
  push(from: Neuron, to: Neuron, weight: number, id: number): number {
    const slot = this.length;
    if (slot === this.weight.length) this.grow(slot * 2);
    this.from.push(from);
    this.to.push(to);
    this.ids!.push(id);
    this.weight[slot] = weight;
    if (this.eligibility !== null) this.eligibility[slot] = 0;
    if (this.gain) this.gain[slot] = 1;
    if (this.gater) this.gater.push(null);
    this.length = slot + 1;
    return slot;
  }

  private grow(capacity: number): void {
    const grow = (a: Float64Array) => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    this.weight = grow(this.weight);
    if (this.eligibility !== null) this.eligibility = grow(this.eligibility);
    if (this.gain) this.gain = grow(this.gain);
    if (this.gradient) this.gradient = grow(this.gradient);
    if (this.fixed) {
      const fixed = new Uint8Array(capacity);
      fixed.set(this.fixed);
      this.fixed = fixed;
    }
  }

  /** Gains are materialised the first time a connection of the block is gated. */
  ensureGates(): { gain: Float64Array; gater: Array<Neuron | null> } {
    if (!this.gain) this.gain = new Float64Array(this.weight.length).fill(1);
    if (!this.gater) this.gater = new Array<Neuron | null>(this.length).fill(null);
    return { gain: this.gain, gater: this.gater };
  }

  /** The gradient array, allocated (zeroed) on first use; tied blocks get the owner's. */
  ensureGradient(): Float64Array {
    if (this.tiedTo !== null) return (this.gradient = this.tiedTo.ensureGradient());
    if (this.gradient === null || this.gradient.length !== this.weight.length) {
      this.gradient = new Float64Array(this.weight.length);
      if (this.ties) for (const tied of this.ties) tied.gradient = this.gradient;
    }
    return this.gradient;
  }

  /**
   * Ties this block to `owner`: from now on it reads and trains the owner's weights (same layout:
   * same kind and size). Its own weights are dropped.
   */
  tieTo(owner: Block): void {
    const root = owner.tiedTo ?? owner;
    this.tiedTo = root;
    this.weight = root.weight;
    this.gradient = root.ensureGradient();
    this.fixed = root.fixed;
    (root.ties ??= []).push(this);
  }

  sourceOf(slot: number): Neuron {
    return this.from[this.rules.sourceIndex(slot, this.from.length)];
  }

  targetOf(slot: number): Neuron {
    return this.to[this.rules.targetIndex(slot, this.from.length)];
  }

  /** The connections of an input segment: k over `first .. end − 1` but `skip`, slot base + step·k, source from[k]. */
  inputsOf(seg: Segment, into: Bounds): Bounds {
    if (this.from.length !== this.walkN || this.to.length !== this.walkR) this.relinkWalks();
    return linearBounds(this.walkIn!, seg.a, seg.b, this.skipDiagonal, into);
  }

  /** the kind's walks with this block's columns and rows (`linearWalk`), rebuilt when a LIST grows */
  private walkIn: Int32Array | null = null;
  private walkOut: Int32Array | null = null;
  private walkN = -1;
  private walkR = -1;

  private relinkWalks(): void {
    this.walkN = this.from.length;
    this.walkR = this.to.length;
    this.walkIn = linearWalk(this.rules.inputs, this.walkN, this.walkR);
    this.walkOut = linearWalk(this.rules.outputs, this.walkN, this.walkR);
  }

  /** How many connections an input segment holds. */
  inputCount(seg: Segment): number {
    return walkCount(this.inputsOf(seg, COUNT));
  }

  /** The number of entries of `from` (columns) and of `to` (rows) that are in use. */
  columns(): number {
    return this.rules.columns(this.from.length, this.length);
  }

  rows(): number {
    return this.rules.rows(this.to.length, this.length);
  }

  /** The connections of an output segment: as `inputsOf`, target to[k]. */
  outputsOf(seg: Segment, into: Bounds): Bounds {
    if (this.from.length !== this.walkN || this.to.length !== this.walkR) this.relinkWalks();
    return linearBounds(this.walkOut!, seg.a, seg.b, this.skipDiagonal, into);
  }

  idOf(slot: number): number {
    return this.ids ? this.ids[slot] : this.firstId + slot;
  }

  /** True when a DENSE slot stands for a unit's self-connection rather than a stored weight. */
  isSelfSlot(slot: number): boolean {
    return this.selfDiagonal && this.kind === DENSE && slot % (this.from.length + 1) === 0;
  }

  /** Whether this slot holds a connection at all (the skipped diagonal of ALL_TO_ELSE does not). */
  isConnection(slot: number): boolean {
    if (this.kind !== DENSE || !this.skipDiagonal) return slot >= 0 && slot < this.length;
    return slot % (this.from.length + 1) !== 0;
  }
}

/**
 * A run of connections entering (or leaving) one neuron, in creation order. A neuron's
 * inputs are the concatenation of its input segments, which reproduces 1.x's order of
 * summation (connection IDs ascending) exactly.
 * - DENSE in: row `a` (target index); DENSE out: column `a` (source index).
 * - DIAGONAL: slot `a`.
 * - LIST: slots `a` up to (not including) `b`.
 */
export class Segment {
  constructor(
    readonly block: Block,
    readonly a: number,
    public b: number,
  ) {}
}

/** A reference to one gated connection: a slot of a block, or (block null) the target's self-connection. */
export interface GatedGroup {
  /** k: the unit whose incoming connections (or self-connection) this gater gates */
  readonly neuron: Neuron;
  readonly blocks: Array<Block | null>;
  readonly slots: number[];
  /** ε^k_ji, one per input of the gater, in the gater's input order (eq. 18) */
  xtrace: Float64Array;
  /** scratch of the interpreter, so a step allocates nothing: inf_jk, g_kk w_kk and δ_k */
  influence: number;
  decay: number;
  delta: number;
}
