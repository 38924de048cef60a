import { LAYER, NETWORK } from './brand.js';
import { bumpStructure } from './epoch.js';
import { describe, GateError, InvalidArgumentError, SizeMismatchError } from './errors.js';
import { nextConnectionIds } from './ids.js';
import { activateUnit, propagateUnit } from './interpreter.js';
import { LayerConnection } from './layer-connection.js';
import { Neuron } from './neuron.js';
import { randomWeight } from './random.js';
import { layerFunctions, type LayerFunction } from './layer-function.js';
import { activateFunctionLayer, propagateFunctionLayer } from './layer-interpreter.js';
import { opTargetEdit } from './ops/attach.js';
import type { Op } from './ops/op.js';
import { activateOpLayer, propagateOpLayer } from './ops/schedule.js';
import { type Shape, shapeSize, shapeText, toShape } from './shape.js';
import { LAYER_FUNCTION_MARKERS, layerFunctionMarker, type SquashFunction } from './squash.js';
import { Block, DENSE, DIAGONAL } from './storage/block.js';
import { NeuronStore } from './storage/neuron-store.js';
import { CONNECTION_TYPES, connectionType, GATE_TYPES, gateType, type ConnectionType, type GateType } from './types.js';
import { checkFinite, checkRate, checkVector } from './validate.js';
import { addInput, addOutput, gateSelf, gateSlot } from './wiring.js';

/** What `Layer.project` and `Network.project` accept: a layer, or a network (its input layer). */
export interface Projectable {
  readonly [LAYER]?: true;
  readonly [NETWORK]?: true;
}

/** Initial weights of a projection: one number for all, or one per connection in 1.x's order. */
export type InitialWeights = number | ArrayLike<number>;

export interface LayerOptions {
  label?: string;
  /**
   * a squash for every unit, or a layer function: `Neuron.squash.SOFTMAX` (a softmax) or
   * `Neuron.squash.LAYER_NORM` (layer normalization with a learnable γ and β per unit, ε = 1e-5)
   */
  squash?: SquashFunction;
  /**
   * with a layer function: run it over each group of `group` contiguous units (a divisor of the
   * layer's size; per position of a sequence layer). Setting a layer function without it makes the
   * whole layer one group.
   */
  group?: number;
  bias?: number;
  /** true: the units' biases are fixed (never trained); false: trained again */
  biasFixed?: boolean;
}

/** A group of units activated and propagated together; its numbers share one `NeuronStore`. */
export class Layer {
  static readonly connectionType = connectionType;
  static readonly gateType = gateType;
  readonly [LAYER] = true as const;

  size: number;
  list: Neuron[];
  connectedTo: LayerConnection[] = [];
  label?: string;
  /** @internal bumped when units join the layer (see epoch.ts) */
  version = 0;
  /** @internal the function the whole layer computes (softmax), or null: each unit squashes its own state */
  layerFunction: LayerFunction | null = null;
  /** `[width, height, channels]` (units in NHWC order), or null for a plain vector of units */
  shape: Shape | null = null;
  /** @internal layer-level projections (ops/) into this layer, and those reading it */
  opsIn: Op[] = [];
  /** @internal */
  opsOut: Op[] = [];

  /**
   * A layer of width × height × channels units, laid out row-major with channels last (NHWC): the
   * unit at (x, y, c) is `list[(y * width + x) * channels + c]`. Convolution and pooling read and
   * write shaped layers (see `Convolution`, `MaxPool`, `AveragePool`).
   */
  static shaped(width: number, height: number, channels = 1): Layer {
    const shape = toShape([width, height, channels], 'Layer.shaped');
    const layer = new Layer(shapeSize(shape));
    layer.shape = shape;
    return layer;
  }

  /** @internal the size of the groups the layer function runs over; 0: the whole layer */
  functionGroup = 0;

  constructor(size?: number) {
    const n = size ?? 0;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw new InvalidArgumentError(`Layer size must be a non-negative integer, got ${describe(size)}`);
    }
    const store = new NeuronStore(n);
    this.list = [];
    for (let i = 0; i < n; i++) this.list.push(new Neuron(store, i));
    this.size = n;
  }

  /** Activates every unit in order; with `input`, the units take those values (an input layer). */
  activate(input?: ArrayLike<number>): number[] {
    const list = this.list;
    const activations = new Array<number>(list.length);
    if (input !== undefined) {
      checkVector(input, list.length, 'layer input');
      for (let i = 0; i < list.length; i++) {
        const neuron = list[i];
        const { store, index } = neuron;
        store.activation[index] = input[i];
        store.derivative[index] = 0;
        store.bias[index] = 0;
        activations[i] = input[i];
      }
    } else if (this.opsIn.length > 0) {
      activateOpLayer(this, activations);
    } else if (this.layerFunction !== null) {
      activateFunctionLayer(list, this.layerFunction, activations, this.groupSize());
    } else {
      for (let i = 0; i < list.length; i++) activations[i] = activateUnit(list[i]);
    }
    return activations;
  }

  /** Propagates every unit in reverse order; with `target`, as an output layer. */
  propagate(rate?: number, target?: ArrayLike<number>): void {
    const r = checkRate(rate);
    const list = this.list;
    if (target !== undefined) checkVector(target, list.length, 'layer target');
    if (this.opsIn.length > 0 || this.opsOut.length > 0) {
      propagateOpLayer(this, r, target);
      return;
    }
    if (this.layerFunction !== null) {
      propagateFunctionLayer(list, this.layerFunction, r, target, this.groupSize());
      return;
    }
    if (target !== undefined) {
      for (let i = list.length - 1; i >= 0; i--) propagateUnit(list[i], r, target[i]);
    } else {
      for (let i = list.length - 1; i >= 0; i--) propagateUnit(list[i], r);
    }
  }

  /**
   * Projects every unit onto `unit` (a layer, or a network's input layer). Type defaults to
   * ALL_TO_ALL, or ONE_TO_ONE (self-connections) onto the layer itself. Projecting again to a
   * layer already projected to returns the existing projection; asking again for another type or
   * with weights throws an `InvalidArgumentError` (1.x ignored them).
   */
  project(unit: Projectable, type?: ConnectionType, weights?: InitialWeights): LayerConnection {
    const target = resolveLayer(unit);
    const kind = type ?? (target === this ? connectionType.ONE_TO_ONE : connectionType.ALL_TO_ALL);
    if (!CONNECTION_TYPES.includes(kind)) {
      throw new InvalidArgumentError(
        `unknown connection type ${describe(type)} (use Layer.connectionType.ALL_TO_ALL, ONE_TO_ONE or ALL_TO_ELSE)`,
      );
    }
    // a second projection onto the same layer is a new one only when its connections are new:
    // the self-connections (ONE_TO_ONE) and the rest of the layer (ALL_TO_ELSE) are disjoint
    const disjoint = (a: ConnectionType, b: ConnectionType) =>
      target === this && a !== b && a !== connectionType.ALL_TO_ALL && b !== connectionType.ALL_TO_ALL;
    const existing = this.connectedTo.find((lc) => lc.to === target && !disjoint(lc.type, kind));
    if (existing) {
      // the same request again is answered with the projection made the first time; anything
      // else (another type, new weights) would be silently ignored, so it is refused
      if ((type !== undefined && type !== existing.type) || weights !== undefined) {
        throw new InvalidArgumentError(
          `this layer already projects to that layer (${existing.type}, ${existing.size} connections): a second projection${type !== undefined && type !== existing.type ? ` of type ${type}` : ''}${weights !== undefined ? ' with new weights' : ''} cannot be added; set the existing connections' weights instead`,
        );
      }
      return existing;
    }
    if (target === this && target.list[0]?.store.opTarget)
      throw opTargetEdit(`projecting a layer onto itself (${kind})`);
    if (kind === connectionType.ONE_TO_ONE && target.size !== this.size) {
      throw new SizeMismatchError(
        `a ONE_TO_ONE projection from a layer of ${this.size} units: the target layer`,
        this.size,
        target.size,
      );
    }
    if (!(target === this && kind === connectionType.ONE_TO_ONE)) this.rejectNeuronLevelConnections(target);
    const from = this.list.slice();
    const to = target.list.slice();
    const same = target === this;
    const count = connectionCount(kind, from.length, to.length, same);
    const weightOf = initialWeights(weights, count);
    let lc: LayerConnection;
    if (same && kind === connectionType.ONE_TO_ONE) {
      for (const unit of from) unit.store.selfWeight[unit.index] = 1;
      lc = new LayerConnection(this, target, kind, null, from, from.length);
    } else if (kind === connectionType.ONE_TO_ONE) {
      const block = new Block(DIAGONAL, from, to, from.length, nextConnectionIds(from.length));
      for (let t = 0; t < to.length; t++) block.weight[t] = weightOf(t);
      for (let t = 0; t < to.length; t++) addInput(to[t], block, t);
      for (let s = 0; s < from.length; s++) addOutput(from[s], block, s);
      lc = new LayerConnection(this, target, kind, block, [], block.length);
    } else {
      const withSelf = same && kind === connectionType.ALL_TO_ALL;
      const block = new Block(DENSE, from, to, from.length * to.length, nextConnectionIds(from.length * to.length), {
        skipDiagonal: same,
        selfDiagonal: withSelf,
      });
      const n = from.length;
      // 1.x creates the connections source by source, drawing weights in that order
      let k = 0;
      for (let s = 0; s < n; s++) {
        for (let t = 0; t < to.length; t++) {
          if (same && s === t) {
            if (withSelf) {
              from[s].store.selfWeight[from[s].index] = 1;
              k++;
            }
            continue;
          }
          block.weight[t * n + s] = weightOf(k++);
        }
      }
      for (let t = 0; t < to.length; t++) addInput(to[t], block, t);
      for (let s = 0; s < n; s++) addOutput(from[s], block, s);
      lc = new LayerConnection(this, target, kind, block, withSelf ? from : [], count);
    }
    this.connectedTo.push(lc);
    bumpStructure(...storesOf(from), ...storesOf(to));
    return lc;
  }

  /** Gates a projection with this layer's units (see `Layer.gateType`). */
  gate(connection: LayerConnection, type: GateType): void {
    if (!(connection instanceof LayerConnection))
      throw new GateError('Layer.gate expects a LayerConnection (the value returned by Layer.project)');
    if (!GATE_TYPES.includes(type))
      throw new GateError(`unknown gate type ${describe(type)} (use Layer.gateType.INPUT, OUTPUT or ONE_TO_ONE)`);
    const block = connection.block;
    if (type === gateType.ONE_TO_ONE) {
      if (connection.size !== this.size)
        throw new GateError(
          `ONE_TO_ONE gating needs one gater unit per connection: the projection has ${connection.size} connections, the gater layer ${this.size} units`,
        );
      let g = 0;
      connection.forEachInOrder((b, slot, self) => {
        const gater = this.list[g++];
        if (b === null) gateSelf(gater, self!);
        else gateSlot(gater, b, slot);
      });
    } else {
      const side = type === gateType.INPUT ? connection.to : connection.from;
      if (side.size !== this.size) {
        throw new GateError(
          `${type} gating needs one gater unit per ${type === gateType.INPUT ? 'target' : 'source'} unit: that layer has ${side.size} units, the gater layer ${this.size}`,
        );
      }
      if (block === null)
        throw new GateError(
          `${type} gating of a layer's self-connections gates nothing (1.x ignored it); use Layer.gateType.ONE_TO_ONE`,
        );
      if (block.kind === DIAGONAL) {
        for (let t = 0; t < block.length; t++) gateSlot(this.list[t], block, t);
      } else if (type === gateType.INPUT) {
        const n = block.from.length;
        for (let t = 0; t < block.to.length; t++) {
          for (let s = 0; s < n; s++) if (!(block.skipDiagonal && s === t)) gateSlot(this.list[t], block, t * n + s);
        }
      } else {
        const n = block.from.length;
        for (let s = 0; s < n; s++) {
          for (let t = 0; t < block.to.length; t++)
            if (!(block.skipDiagonal && s === t)) gateSlot(this.list[s], block, t * n + s);
        }
      }
    }
    connection.gatedfrom.push({ layer: this, type });
    bumpStructure(...storesOf(this.list), ...storesOf(connection.to.list));
  }

  selfconnected(): boolean {
    return this.list.every((neuron) => neuron.selfconnected());
  }

  /** The type of this layer's projection onto `layer`, or undefined when there is none. */
  connected(layer: Layer): ConnectionType | undefined {
    return this.connectedTo.find((lc) => lc.to === layer)?.type;
  }

  clear(): void {
    for (const neuron of this.list) neuron.clear();
  }

  /** Re-randomises the units' weights and biases (see `Neuron.reset`); a LAYER_NORM's γ and β go back to 1 and 0. */
  reset(): void {
    for (const neuron of this.list) neuron.reset();
    if (this.layerFunction?.learnable) resetNorm(this.list);
  }

  neurons(): Neuron[] {
    return this.list;
  }

  add(neuron?: Neuron): void {
    if (neuron !== undefined && !(neuron instanceof Neuron))
      throw new InvalidArgumentError(`Layer.add expects a Neuron, got ${describe(neuron)}`);
    if (this.shape !== null || this.opsIn.length > 0 || this.opsOut.length > 0)
      throw new InvalidArgumentError(
        `Layer.add: this layer ${this.shape !== null ? `has the shape ${shapeText(this.shape)}` : 'is read or written by a layer-level projection'}; its units cannot change`,
      );
    if (this.functionGroup > 0 && (this.size + 1) % this.functionGroup !== 0)
      throw new InvalidArgumentError(
        `Layer.add: this layer runs ${this.layerFunction!.name} over groups of ${this.functionGroup} units, which ${this.size + 1} units would not fill; set another group first`,
      );
    const unit = neuron ?? new Neuron();
    if (this.layerFunction !== null) {
      unit.store.squash[unit.index] = LAYER_FUNCTION_MARKERS[this.layerFunction.name];
      if (this.layerFunction.learnable) resetNorm([unit]);
    }
    this.list.push(unit);
    this.size++;
    this.version++;
    bumpStructure(this.list[this.list.length - 1].store);
  }

  /** The size of the groups the layer function runs over (the layer's size unless grouped). */
  groupSize(): number {
    return this.functionGroup > 0 ? this.functionGroup : this.list.length;
  }

  /**
   * Sets label, squash (or layer function, with its group) and/or bias of every unit (a bias of 0
   * is honoured, unlike 1.x). Everything is checked first: a bad option changes nothing.
   */
  set(options: LayerOptions = {}): this {
    if (options.squash !== undefined && typeof options.squash !== 'function') {
      throw new InvalidArgumentError('Layer.set: squash must be a function such as Neuron.squash.TANH');
    }
    const marker = options.squash !== undefined ? layerFunctionMarker(options.squash) : null;
    if (options.group !== undefined) {
      const g = options.group;
      const fn = options.squash !== undefined ? marker : (this.layerFunction?.name ?? null);
      if (fn === null)
        throw new InvalidArgumentError(
          'Layer.set: group applies to a layer function (Neuron.squash.SOFTMAX or LAYER_NORM); this layer has none',
        );
      if (typeof g !== 'number' || !Number.isInteger(g) || g < 1 || this.size % g !== 0)
        throw new InvalidArgumentError(
          `Layer.set: group must be a positive integer dividing the layer's ${this.size} units, got ${describe(g)}`,
        );
    }
    if (options.bias !== undefined) checkFinite(options.bias, 'Layer.set bias');
    if (options.biasFixed !== undefined && typeof options.biasFixed !== 'boolean')
      throw new InvalidArgumentError('Layer.set: biasFixed must be true or false');
    if (options.label !== undefined) this.label = options.label;
    for (const neuron of this.list) {
      if (options.label !== undefined) neuron.label = `${options.label}_${neuron.ID}`;
      if (options.squash !== undefined) neuron.store.squash[neuron.index] = options.squash;
      if (options.bias !== undefined) neuron.store.bias[neuron.index] = options.bias;
    }
    if (options.biasFixed !== undefined) for (const neuron of this.list) neuron.biasFixed = options.biasFixed;
    if (options.squash !== undefined) {
      const was = this.layerFunction;
      this.layerFunction = marker !== null ? layerFunctions[marker] : null;
      // a layer made a LAYER_NORM starts from γ = 1, β = 0
      if (this.layerFunction?.learnable && was !== this.layerFunction) resetNorm(this.list);
      this.functionGroup = 0;
    }
    if (options.group !== undefined) this.functionGroup = options.group === this.size ? 0 : options.group;
    if (options.squash !== undefined || options.group !== undefined) bumpStructure(...storesOf(this.list));
    return this;
  }

  /** Refuses to lay a block over connections made neuron by neuron between the same layers. */
  private rejectNeuronLevelConnections(target: Layer): void {
    const targets = new Set(target.list);
    const blocks = new Set<Block>();
    for (const neuron of this.list) {
      if (neuron.looseOut) for (const to of neuron.looseOut.keys()) if (targets.has(to)) throw alreadyConnected();
      for (const seg of neuron.outputs) blocks.add(seg.block);
    }
    for (const block of blocks) {
      if (block.kind !== DENSE && block.kind !== DIAGONAL) continue;
      if (block.to.some((to) => targets.has(to))) throw alreadyConnected();
    }
  }
}

/** γ = 1 and β = 0 for these units (allocating their stores' γ and β). */
function resetNorm(units: readonly Neuron[]): void {
  for (const { store, index } of units) {
    const { gamma, beta } = store.ensureNorm();
    gamma[index] = 1;
    beta[index] = 0;
  }
}

/** The distinct stores of some units (usually one: a layer's). */
export function storesOf(units: readonly Neuron[]): NeuronStore[] {
  const stores: NeuronStore[] = [];
  let last: NeuronStore | null = null;
  for (const u of units) {
    if (u.store === last) continue;
    last = u.store;
    if (!stores.includes(last)) stores.push(last);
  }
  return stores;
}

function alreadyConnected(): InvalidArgumentError {
  return new InvalidArgumentError(
    'these layers are already connected unit by unit; project the remaining units with Neuron.project, or project the layers before wiring single units',
  );
}

function resolveLayer(unit: Projectable): Layer {
  if (unit instanceof Layer) return unit;
  if (unit !== null && typeof unit === 'object' && (unit as Projectable)[NETWORK]) {
    const input = (unit as { layers?: { input?: unknown } }).layers?.input;
    if (input instanceof Layer) return input;
    throw new InvalidArgumentError('cannot project to a network that has no input layer yet (call set() first)');
  }
  throw new InvalidArgumentError(`you can only project connections to layers and networks, got ${describe(unit)}`);
}

function connectionCount(kind: ConnectionType, from: number, to: number, same: boolean): number {
  if (kind === connectionType.ONE_TO_ONE) return from;
  if (kind === connectionType.ALL_TO_ELSE && same) return from * to - from;
  return from * to;
}

function initialWeights(weights: InitialWeights | undefined, count: number): (k: number) => number {
  if (weights === undefined) return () => randomWeight();
  if (typeof weights === 'number') {
    checkFinite(weights, 'projection weight');
    return () => weights;
  }
  const list = checkVector(weights, count, 'projection weights');
  return (k) => list[k];
}
