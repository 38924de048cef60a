import { Connection, setFixed } from './connection.js';
import { bumpStructure } from './epoch.js';
import { InvalidArgumentError } from './errors.js';
import { nextLayerConnectionId } from './ids.js';
import type { Layer } from './layer.js';
import type { Neuron } from './neuron.js';
import { DENSE, type Block } from './storage/block.js';
import type { ConnectionType, GateType } from './types.js';

/**
 * A projection from one layer to another: one `Block` of connections (dense for ALL_TO_ALL and
 * ALL_TO_ELSE, diagonal for ONE_TO_ONE) or, for a layer projected ONE_TO_ONE onto itself, the
 * units' self-connections.
 */
export class LayerConnection {
  readonly ID: number;
  readonly from: Layer;
  readonly to: Layer;
  /** true when the projection goes from a layer onto itself */
  readonly selfconnection: boolean;
  readonly type: ConnectionType;
  /** number of connections, as 1.x counts them (self-connections included) */
  readonly size: number;
  readonly gatedfrom: Array<{ layer: Layer; type: GateType }> = [];
  /** @internal null: the projection is the self-connections of `selfUnits` */
  readonly block: Block | null;
  /** @internal */
  readonly selfUnits: readonly Neuron[];

  /** @internal */
  constructor(
    from: Layer,
    to: Layer,
    type: ConnectionType,
    block: Block | null,
    selfUnits: readonly Neuron[],
    size: number,
  ) {
    this.ID = nextLayerConnectionId();
    this.from = from;
    this.to = to;
    this.selfconnection = from === to;
    this.type = type;
    this.block = block;
    this.selfUnits = selfUnits;
    this.size = size;
    if (block) block.layerConnection = this;
  }

  /**
   * Visits the connections in 1.x's order (source by source, then target by target); a
   * self-connection is given as (null, unit).
   */
  forEachInOrder(visit: (block: Block | null, slot: number, self: Neuron | null) => void): void {
    const block = this.block;
    if (block === null) {
      for (const unit of this.selfUnits) visit(null, -1, unit);
      return;
    }
    if (block.kind !== DENSE) {
      for (let slot = 0; slot < block.length; slot++) visit(block, slot, null);
      return;
    }
    const n = block.from.length;
    for (let s = 0; s < n; s++) {
      for (let t = 0; t < block.to.length; t++) {
        if (block.skipDiagonal && s === t) {
          if (block.selfDiagonal) visit(null, -1, block.to[t]);
          continue;
        }
        visit(block, t * n + s, null);
      }
    }
  }

  /**
   * Fixes every connection of the projection (or trains them again with `false`): fixed weights
   * are never changed by `propagate` or an optimizer. A layer's self-connections are always fixed.
   */
  fix(fixed = true): this {
    if (typeof fixed !== 'boolean') throw new InvalidArgumentError('LayerConnection.fix expects true or false');
    if (this.block === null) {
      if (!fixed) throw new InvalidArgumentError('self-connections are never trained by LSTM-g');
      return this;
    }
    this.forEachInOrder((block, slot) => {
      if (block !== null) setFixed(block, slot, fixed);
    });
    return this;
  }

  /**
   * Shares `other`'s weights (tied weights): this projection's connections then read and train the
   * same parameters as `other`'s, slot for slot, so `parameters()` lists them once and their
   * gradients add up over both uses. Both must be projections of the same kind and size (a layer's
   * self-connections cannot be tied). This projection's own weights are dropped.
   */
  tie(other: LayerConnection): this {
    if (!(other instanceof LayerConnection))
      throw new InvalidArgumentError('LayerConnection.tie expects a LayerConnection');
    const a = this.block;
    const b = other.block;
    if (a === null || b === null) throw new InvalidArgumentError("a layer's self-connections cannot be tied");
    if (a === b || (a.tiedTo ?? a) === (b.tiedTo ?? b)) return this;
    if (a.ties !== null && a.ties.length > 0)
      throw new InvalidArgumentError(
        'this projection already lends its weights to others: tie those to `other` instead',
      );
    const shape = (x: typeof a) => `${x.kind}:${x.from.length}x${x.to.length}:${x.skipDiagonal}:${x.length}`;
    if (shape(a) !== shape(b))
      throw new InvalidArgumentError(
        `tied projections must have the same kind and size: ${this.type} ${this.from.size}->${this.to.size} vs ${other.type} ${other.from.size}->${other.to.size}`,
      );
    a.tieTo(b);
    bumpStructure(...new Set([...a.to, ...b.to].map((t) => t.store)));
    return this;
  }

  /** The projection whose weights this one reads, if it is tied (see `tie`). */
  get tiedTo(): LayerConnection | null {
    return this.block?.tiedTo?.layerConnection ?? null;
  }

  /** Whether every connection of the projection is fixed. */
  get fixed(): boolean {
    let all = true;
    this.forEachInOrder((block, slot) => {
      if (block !== null && (block.fixed === null || block.fixed[slot] === 0)) all = false;
    });
    return all;
  }

  /** The connections as views, in 1.x's order. */
  get list(): Connection[] {
    const list: Connection[] = [];
    this.forEachInOrder((block, slot, self) => list.push(new Connection(block, slot, self)));
    return list;
  }

  get connections(): Record<string, Connection> {
    const record: Record<string, Connection> = {};
    for (const c of this.list) record[c.ID] = c;
    return record;
  }
}
