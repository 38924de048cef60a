import type { Neuron } from './neuron.js';
import type { Block } from './storage/block.js';
import { bumpStructure } from './epoch.js';
import { InvalidArgumentError, InvalidValueError } from './errors.js';

/**
 * A view of one connection: a slot of a `Block`, or (block null) a neuron's self-connection.
 * Views are cheap and made on demand; two views of the same connection are not `===` but
 * have the same `ID` and `equals` each other. Reading or writing `weight` goes straight to the
 * storage the network runs on.
 */
export class Connection {
  /** @internal */
  readonly block: Block | null;
  /** @internal */
  readonly slot: number;
  /** @internal */
  readonly owner: Neuron | null;

  /** @internal */
  constructor(block: Block | null, slot: number, owner: Neuron | null) {
    this.block = block;
    this.slot = slot;
    this.owner = owner;
  }

  get ID(): number {
    return this.block ? this.block.idOf(this.slot) : this.owner!.selfId;
  }

  get from(): Neuron {
    return this.block ? this.block.sourceOf(this.slot) : this.owner!;
  }

  get to(): Neuron {
    return this.block ? this.block.targetOf(this.slot) : this.owner!;
  }

  get weight(): number {
    if (this.block) return this.block.weight[this.slot];
    const n = this.owner!;
    return n.store.selfWeight[n.index];
  }

  set weight(value: number) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new InvalidValueError(`connection ${this.ID} weight`, value);
    if (this.block) this.block.weight[this.slot] = value;
    else {
      const n = this.owner!;
      // whether a unit has a self-connection is structure (compiled code relies on it)
      if ((n.store.selfWeight[n.index] === 0) !== (value === 0)) bumpStructure(n.store);
      n.store.selfWeight[n.index] = value;
    }
  }

  /**
   * Whether the weight is fixed: never changed by `propagate` or an optimizer, and left out of
   * `parameters()`. A self-connection is always fixed (LSTM-g does not train it).
   */
  get fixed(): boolean {
    if (this.block === null) return true;
    return this.block.fixed !== null && this.block.fixed[this.slot] === 1;
  }

  set fixed(fixed: boolean) {
    if (typeof fixed !== 'boolean') throw new InvalidArgumentError(`connection ${this.ID} fixed must be true or false`);
    if (this.block === null) {
      if (!fixed)
        throw new InvalidArgumentError(`connection ${this.ID} is a self-connection, which LSTM-g never trains`);
      return;
    }
    setFixed(this.block, this.slot, fixed);
  }

  /** g_ji: 1 unless gated, then the gater's last activation. */
  get gain(): number {
    if (this.block) return this.block.gain ? this.block.gain[this.slot] : 1;
    const n = this.owner!;
    return n.store.selfGain[n.index];
  }

  get gater(): Neuron | null {
    if (this.block) return this.block.gater ? this.block.gater[this.slot] : null;
    return this.owner!.selfGater;
  }

  /** Whether this is a neuron's connection to itself. */
  get self(): boolean {
    return this.block === null;
  }

  equals(other: Connection): boolean {
    return other.block === this.block && other.slot === this.slot && other.owner === this.owner;
  }
}

/** Marks a slot of a block fixed or trained; the first fixed slot of a block is a structural change. */
export function setFixed(block: Block, slot: number, fixed: boolean): void {
  // tied blocks share one mask, the owner's
  const owner = block.tiedTo ?? block;
  if (owner.fixed === null) {
    if (!fixed) return;
    owner.fixed = new Uint8Array(owner.weight.length);
    const blocks = [owner, ...(owner.ties ?? [])];
    for (const b of blocks) b.fixed = owner.fixed;
    bumpStructure(...new Set(blocks.flatMap((b) => b.to.map((t) => t.store))));
  }
  owner.fixed[slot] = fixed ? 1 : 0;
}
