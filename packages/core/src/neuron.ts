import { Connection } from './connection.js';
import { bumpStructure } from './epoch.js';
import { GateError, InvalidArgumentError } from './errors.js';
import { nextConnectionIds, nextNeuronIds, neuronQuantity } from './ids.js';
import { opTargetEdit } from './ops/attach.js';
import { activateUnit, propagateUnit } from './interpreter.js';
import { randomWeight } from './random.js';
import { layerFunctionMarker, squash, type SquashFunction } from './squash.js';
import { DENSE, LIST, type Block, type GatedGroup, type Segment } from './storage/block.js';
import { NeuronStore } from './storage/neuron-store.js';
import { addLooseConnection, forEachInputSlot, forEachOutputSlot, gateSelf, gateSlot } from './wiring.js';
import { checkFinite, checkRate } from './validate.js';

/** The error responsibilities of a unit (eq. 21-23), as 1.x exposed them. */
export interface NeuronError {
  responsibility: number;
  projected: number;
  gated: number;
}

export interface NeuronConnections {
  inputs: Record<string, Connection>;
  projected: Record<string, Connection>;
  gated: Record<string, Connection>;
}

export interface NeuronTrace {
  elegibility: Record<string, number>;
  extended: Record<string, Record<string, number>>;
  influences: Record<string, Connection[]>;
}

export type ConnectedType = 'inputs' | 'projected' | 'gated' | 'selfconnection';

/**
 * A unit of the LSTM-g algorithm. Its numbers live in a `NeuronStore` (shared by its layer);
 * this object is the view users hold, plus the unit's wiring: ordered input and output
 * segments and the groups of connections it gates.
 */
export class Neuron {
  static readonly squash = squash;

  readonly ID: number;
  label?: string;
  /** @internal */ readonly store: NeuronStore;
  /** @internal */ readonly index: number;
  /** @internal */ readonly selfId: number;
  /** @internal */ inputs: Segment[] = [];
  /** @internal */ outputs: Segment[] = [];
  /** @internal */ inputCount = 0;
  /** @internal */ gatedGroups: GatedGroup[] = [];
  /** @internal */ selfGater: Neuron | null = null;
  /** @internal */ looseIn: Block | null = null;
  /** @internal neuron-level connections this unit projects, by target, so `project` never scans */
  looseOut: Map<Neuron, { block: Block; slot: number }> | null = null;

  /**
   * `new Neuron()` makes a free-standing unit with a random bias, as in 1.x. (Layers and the
   * JSON loader pass their own storage.)
   */
  constructor(store?: NeuronStore, index?: number, id?: number, bias?: number) {
    this.store = store ?? new NeuronStore(1);
    this.index = index ?? 0;
    this.ID = id ?? nextNeuronIds(1);
    this.selfId = nextConnectionIds(1);
    this.store.bias[this.index] = bias ?? randomWeight();
  }

  static uid(): number {
    return nextNeuronIds(1);
  }

  static quantity(): { neurons: number; connections: number } {
    return neuronQuantity();
  }

  get state(): number {
    return this.store.state[this.index];
  }
  set state(v: number) {
    this.store.state[this.index] = checkFinite(v, 'neuron state');
  }
  get old(): number {
    return this.store.old[this.index];
  }
  set old(v: number) {
    this.store.old[this.index] = checkFinite(v, 'neuron old state');
  }
  get activation(): number {
    return this.store.activation[this.index];
  }
  set activation(v: number) {
    this.store.activation[this.index] = checkFinite(v, 'neuron activation');
  }
  get derivative(): number {
    return this.store.derivative[this.index];
  }
  get bias(): number {
    return this.store.bias[this.index];
  }
  set bias(v: number) {
    this.store.bias[this.index] = checkFinite(v, 'neuron bias');
  }

  /** Whether the bias is fixed: never changed by `propagate`, and left out of `parameters()`. */
  get biasFixed(): boolean {
    return this.store.biasFixed !== null && this.store.biasFixed[this.index] === 1;
  }
  set biasFixed(fixed: boolean) {
    if (typeof fixed !== 'boolean') throw new InvalidArgumentError(`neuron ${this.ID} biasFixed must be true or false`);
    const store = this.store;
    if (store.biasFixed === null) {
      if (!fixed) return;
      store.biasFixed = new Uint8Array(store.size);
      bumpStructure(store);
    }
    store.biasFixed[this.index] = fixed ? 1 : 0;
  }

  get squash(): SquashFunction {
    return this.store.squash[this.index];
  }
  set squash(fn: SquashFunction) {
    if (typeof fn !== 'function')
      throw new InvalidArgumentError(`neuron ${this.ID} squash must be a function (e.g. Neuron.squash.TANH)`);
    const marker = layerFunctionMarker(fn) ?? layerFunctionMarker(this.store.squash[this.index]);
    if (marker !== null)
      throw new InvalidArgumentError(
        `neuron ${this.ID}: ${marker} is a layer function; set it (or replace it) on the whole layer with layer.set({ squash })`,
      );
    this.store.squash[this.index] = fn;
    bumpStructure(this.store);
  }

  get error(): NeuronError {
    const { store, index } = this;
    return {
      get responsibility() {
        return store.responsibility[index];
      },
      set responsibility(v: number) {
        store.responsibility[index] = v;
      },
      get projected() {
        return store.projected[index];
      },
      set projected(v: number) {
        store.projected[index] = v;
      },
      get gated() {
        return store.gated[index];
      },
      set gated(v: number) {
        store.gated[index] = v;
      },
    };
  }

  get selfconnection(): Connection {
    return new Connection(null, -1, this);
  }

  /**
   * Activates the unit. With a value it is an input unit: its activation becomes the value
   * (and, as in 1.x, its derivative and bias 0). Without, eq. 15-18.
   */
  activate(input?: number): number {
    if (input !== undefined) {
      checkFinite(input, `input of neuron ${this.ID}`);
      const { store, index } = this;
      store.activation[index] = input;
      store.derivative[index] = 0;
      store.bias[index] = 0;
      return input;
    }
    return activateUnit(this);
  }

  /** Back-propagates; a target makes it an output unit. Rate defaults to 0.1. */
  propagate(rate?: number, target?: number): void {
    const r = checkRate(rate);
    if (target !== undefined) checkFinite(target, `target of neuron ${this.ID}`);
    propagateUnit(this, r, target);
  }

  /**
   * Connects this unit to `neuron` (itself: a self-connection of weight 1). Projecting again to
   * a unit it already projects to returns that connection (setting its weight if one is given).
   */
  project(neuron: Neuron, weight?: number): Connection {
    if (!(neuron instanceof Neuron)) throw new InvalidArgumentError('Neuron.project expects a Neuron');
    if (weight !== undefined) checkFinite(weight, 'connection weight');
    if (neuron === this) {
      if (this.store.opTarget) throw opTargetEdit(`neuron ${this.ID}: a self-connection`);
      this.store.selfWeight[this.index] = 1;
      bumpStructure(this.store);
      return this.selfconnection;
    }
    const existing = this.connectionTo(neuron);
    if (existing) {
      if (weight !== undefined) existing.weight = weight;
      return existing;
    }
    const { block, slot } = addLooseConnection(this, neuron, weight ?? randomWeight());
    return new Connection(block, slot, null);
  }

  /** Lets this unit gate `connection`: its gain becomes this unit's activation. */
  gate(connection: Connection): void {
    if (!(connection instanceof Connection))
      throw new GateError('Neuron.gate expects a Connection (the value returned by project)');
    if (connection.block === null) gateSelf(this, connection.owner!);
    else gateSlot(this, connection.block, connection.slot);
  }

  selfconnected(): boolean {
    return this.store.selfWeight[this.index] !== 0;
  }

  /** How this unit is connected to `neuron`, looking at its inputs, then projections, then gates. */
  connected(neuron: Neuron): { type: ConnectedType; connection: Connection } | false {
    if (neuron === this)
      return this.selfconnected() ? { type: 'selfconnection', connection: this.selfconnection } : false;
    for (const c of this.inputConnections()) if (c.from === neuron) return { type: 'inputs', connection: c };
    for (const c of this.projectedConnections()) if (c.to === neuron) return { type: 'projected', connection: c };
    for (const c of this.gatedConnections())
      if (c.to === neuron || c.from === neuron) return { type: 'gated', connection: c };
    return false;
  }

  get connections(): NeuronConnections {
    const byId = (list: Connection[]) => {
      const record: Record<string, Connection> = {};
      for (const c of list) record[c.ID] = c;
      return record;
    };
    return {
      inputs: byId(this.inputConnections()),
      projected: byId(this.projectedConnections()),
      gated: byId(this.gatedConnections()),
    };
  }

  /** A snapshot of the unit's traces keyed by connection and unit IDs, in 1.x's shape. */
  get trace(): NeuronTrace {
    const inputs = this.inputConnections();
    const elegibility: Record<string, number> = {};
    for (const c of inputs) elegibility[c.ID] = c.block!.elig[c.slot];
    const extended: Record<string, Record<string, number>> = {};
    const influences: Record<string, Connection[]> = {};
    for (const group of this.gatedGroups) {
      const values: Record<string, number> = {};
      inputs.forEach((c, ordinal) => (values[c.ID] = group.xtrace[ordinal]));
      extended[group.neuron.ID] = values;
      influences[group.neuron.ID] = group.blocks.map(
        (b, r) => new Connection(b, group.slots[r], b === null ? group.neuron : null),
      );
    }
    return { elegibility, extended, influences };
  }

  /** Forgets context (traces and error responsibilities); keeps weights. */
  clear(): void {
    for (const seg of this.inputs) {
      const e = seg.block.elig;
      forEachInputSlot(seg, (slot) => (e[slot] = 0));
    }
    for (const group of this.gatedGroups) group.xtrace.fill(0);
    const { store, index } = this;
    store.responsibility[index] = store.projected[index] = store.gated[index] = 0;
  }

  /** Clears, re-randomises every connection touching the unit and its bias, zeroes its state. */
  reset(): void {
    this.clear();
    for (const c of this.inputConnections()) c.block!.weight[c.slot] = randomWeight();
    for (const c of this.projectedConnections()) c.block!.weight[c.slot] = randomWeight();
    for (const c of this.gatedConnections()) {
      if (c.block) c.block.weight[c.slot] = randomWeight();
    }
    const { store, index } = this;
    store.bias[index] = randomWeight();
    store.old[index] = store.state[index] = store.activation[index] = 0;
  }

  /** @internal the connection from this unit to `neuron`, if any, without scanning connection by connection */
  connectionTo(neuron: Neuron): Connection | null {
    const loose = this.looseOut?.get(neuron);
    if (loose) return new Connection(loose.block, loose.slot, null);
    for (const seg of this.outputs) {
      const block = seg.block;
      if (block.kind === LIST) continue;
      if (block.kind === DENSE) {
        const t = block.to.indexOf(neuron);
        if (t >= 0 && !(block.skipDiagonal && t === seg.a))
          return new Connection(block, t * block.from.length + seg.a, null);
      } else if (block.to[seg.a] === neuron) return new Connection(block, seg.a, null);
    }
    return null;
  }

  /** @internal */
  inputConnections(): Connection[] {
    const list: Connection[] = [];
    for (const seg of this.inputs) forEachInputSlot(seg, (slot) => list.push(new Connection(seg.block, slot, null)));
    return list;
  }

  /** @internal */
  projectedConnections(): Connection[] {
    const list: Connection[] = [];
    for (const seg of this.outputs) forEachOutputSlot(seg, (slot) => list.push(new Connection(seg.block, slot, null)));
    return list;
  }

  /** @internal */
  gatedConnections(): Connection[] {
    const list: Connection[] = [];
    for (const group of this.gatedGroups) {
      group.blocks.forEach((b, r) => list.push(new Connection(b, group.slots[r], b === null ? group.neuron : null)));
    }
    return list;
  }
}
