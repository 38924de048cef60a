import { NETWORK } from './brand.js';
import { loadParameters, restoreCheckpoint, takeCheckpoint, type Checkpoint } from './checkpoint.js';
import { cloneLayers } from './clone.js';
import { layersToDot } from './dot.js';
import { structureEpoch } from './epoch.js';
import { InvalidArgumentError, SynapticError } from './errors.js';
import type { ExecutorFactory, NetworkExecutor } from './executor.js';
import { buildLayers } from './json/from-json.js';
import type { NetworkJSON } from './json/format.js';
import { unitsToJSON } from './json/to-json.js';
import { parseNetworkJSON } from './json/validate-json.js';
import { Layer, type InitialWeights, type Projectable } from './layer.js';
import type { LayerConnection } from './layer-connection.js';
import type { Neuron } from './neuron.js';
import type { ConnectionType, GateType } from './types.js';
import { checkRate, checkVector } from './validate.js';

export interface NetworkLayers {
  input: Layer;
  hidden?: Layer[];
  output: Layer;
}

export interface NetworkUnit {
  neuron: Neuron;
  layer: 'input' | 'output' | number;
}

interface Layers {
  input: Layer | null;
  hidden: Layer[];
  output: Layer | null;
}

/**
 * Layers wired into a network: activates the input layer, the hidden layers in order and the
 * output layer; propagates in reverse. `new Network()` without layers works, for 1.x's
 * `Sub.prototype = new Network()` pattern, and `set()` configures it afterwards.
 */
export class Network {
  readonly [NETWORK] = true as const;
  layers: Layers = { input: null, hidden: [], output: null };
  // plain properties, not #private fields: 1.x subclasses have a Network as their prototype
  /** @internal */ executorFactory: ExecutorFactory | null = null;
  /** @internal */ runningExecutor: NetworkExecutor | null = null;
  /** @internal */ optimizeEnabled = true;

  constructor(layers?: NetworkLayers) {
    if (layers !== undefined) this.set(layers);
  }

  /** Sets the layers (hidden in activation order). */
  set(layers: NetworkLayers): void {
    if (layers === null || typeof layers !== 'object')
      throw new InvalidArgumentError('Network.set expects { input, hidden, output }');
    const { input, output } = layers;
    const hidden = layers.hidden ?? [];
    if (!(input instanceof Layer)) throw new InvalidArgumentError('Network: `input` must be a Layer');
    if (!(output instanceof Layer)) throw new InvalidArgumentError('Network: `output` must be a Layer');
    if (!Array.isArray(hidden)) throw new InvalidArgumentError('Network: `hidden` must be an array of Layers');
    hidden.forEach((layer, i) => {
      if (!(layer instanceof Layer)) throw new InvalidArgumentError(`Network: hidden[${i}] must be a Layer`);
    });
    this.dropExecutor();
    this.layers = { input, hidden: hidden.slice(), output };
  }

  /** Feeds `input` forward; returns the output layer's activations. */
  activate(input: ArrayLike<number>): number[] {
    const { input: inputLayer, output } = this.configured();
    checkVector(input, inputLayer.size, 'network input');
    const executor = this.executor();
    if (executor) return executor.activate(input);
    inputLayer.activate(input);
    for (const layer of this.layers.hidden) layer.activate();
    return output.activate();
  }

  /** Back-propagates `target` for the last activation and learns at `rate` (default 0.1). */
  propagate(rate: number | undefined, target: ArrayLike<number>): void {
    const { output } = this.configured();
    const r = checkRate(rate);
    checkVector(target, output.size, 'network target');
    const executor = this.executor();
    if (executor) {
      executor.propagate(r, target);
      return;
    }
    output.propagate(r, target);
    const hidden = this.layers.hidden;
    for (let i = hidden.length - 1; i >= 0; i--) hidden[i].propagate(r);
  }

  /** Projects the output layer onto a layer or another network's input layer. */
  project(unit: Projectable, type?: ConnectionType, weights?: InitialWeights): LayerConnection {
    return this.configured().output.project(unit, type, weights);
  }

  /** Lets the output layer gate a projection. */
  gate(connection: LayerConnection, type: GateType): void {
    this.configured().output.gate(connection, type);
  }

  /**
   * Forgets context: the traces, keeping weights. 1.x's `clear` kept the units' states and
   * activations too; with `{ states: true }` they go back to 0 as well, as in a new network.
   */
  clear(options: { states?: boolean } = {}): void {
    this.runningExecutor?.sync();
    for (const layer of this.allLayers()) {
      layer.clear();
      if (options.states) {
        for (const { store, index } of layer.list) store.state[index] = store.old[index] = store.activation[index] = 0;
      }
    }
    this.runningExecutor?.clear();
  }

  /** Re-randomises weights and biases and clears traces: a new network of the same shape. */
  reset(): void {
    this.runningExecutor?.sync();
    for (const layer of this.allLayers()) layer.reset();
    this.runningExecutor?.clear();
  }

  neurons(): NetworkUnit[] {
    this.runningExecutor?.sync();
    const { input, hidden, output } = this.layers;
    const units: NetworkUnit[] = [];
    if (input) for (const neuron of input.list) units.push({ neuron, layer: 'input' });
    hidden.forEach((layer, i) => {
      for (const neuron of layer.list) units.push({ neuron, layer: i });
    });
    if (output) for (const neuron of output.list) units.push({ neuron, layer: 'output' });
    return units;
  }

  inputs(): number {
    return this.layers.input?.size ?? 0;
  }

  outputs(): number {
    return this.layers.output?.size ?? 0;
  }

  /** 1.x's JSON: loads in 1.x, and `Network.fromJSON` reads 1.x's files. */
  toJSON(): NetworkJSON {
    return unitsToJSON(this.neurons());
  }

  /**
   * Reads 1.x's JSON (an object or its text). Everything is checked before anything is built;
   * a bad file throws an `InvalidJSONError` naming the field.
   */
  static fromJSON(json: NetworkJSON | string | unknown): Network {
    return new Network(buildLayers(parseNetworkJSON(json)));
  }

  /**
   * An independent copy with the same weights, biases, states and traces, that computes the
   * same numbers as this network from here on (1.x cloned through JSON, losing the traces).
   */
  clone(): Network {
    this.runningExecutor?.sync();
    const layers = cloneLayers(this.allLayers());
    return new Network({ input: layers[0], hidden: layers.slice(1, -1), output: layers[layers.length - 1] });
  }

  /**
   * Copies out everything that changes while the network runs and learns (weights, biases,
   * states, gains, traces); `rollback(checkpoint)` puts it back exactly. Structural changes made
   * after the checkpoint are not undone. Pass an earlier checkpoint of this network as `reuse` to
   * refill its arrays instead of allocating new ones (it is then that checkpoint no more).
   */
  checkpoint(reuse?: Checkpoint): Checkpoint {
    this.runningExecutor?.sync();
    return takeCheckpoint(this.allLayers(), reuse);
  }

  rollback(checkpoint: Checkpoint): void {
    this.runningExecutor?.sync();
    restoreCheckpoint(checkpoint);
    this.runningExecutor?.clear();
  }

  /**
   * Writes weights, biases and unit states from a JSON of this same network (its own `toJSON()`,
   * trained elsewhere, e.g. in a worker) into this network, keeping its identity. A JSON of
   * another shape throws an `InvalidJSONError` and changes nothing.
   */
  loadParameters(json: NetworkJSON): void {
    const units = this.neurons();
    loadParameters(units, json);
    this.runningExecutor?.clear();
  }

  /** DOT source for Graphviz, as `{ code }` like 1.x. */
  toDot(edgeConnection = false): { code: string } {
    return { code: layersToDot(this.allLayers(), edgeConnection) };
  }

  /**
   * A function that activates a snapshot of this network, independent of it (later training of
   * the network does not change it). For dependency-free source code use `@synaptic/compile`.
   */
  standalone(): (input: ArrayLike<number>) => number[] {
    const copy = this.clone();
    copy.setOptimize(false);
    return (input) => copy.activate(input);
  }

  /**
   * Whether an attached executor (see `useExecutor`) may run the network. `setOptimize(false)`
   * writes its state back and returns to the reference interpreter.
   */
  setOptimize(enabled: boolean): void {
    this.optimizeEnabled = Boolean(enabled);
    if (!this.optimizeEnabled) this.dropExecutor();
  }

  /** Builds the attached executor now (no-op without one: the interpreter runs). */
  optimize(): void {
    this.optimizeEnabled = true;
    this.executor();
  }

  /** Writes the executor's state back into the graph (1.x's name). */
  restore(): void {
    this.runningExecutor?.sync();
  }

  /**
   * Attaches a way to run this network other than the interpreter (e.g. compiled code), or
   * detaches with null. The executor is built on first use and rebuilt after structural changes.
   */
  useExecutor(factory: ExecutorFactory | null): void {
    this.dropExecutor();
    this.executorFactory = factory;
    if (factory) this.optimizeEnabled = true;
  }

  /** The executor running this network now, or null for the interpreter. */
  executor(): NetworkExecutor | null {
    let current = this.runningExecutor;
    if (current && current.epoch !== structureEpoch()) {
      this.dropExecutor();
      current = null;
    }
    if (!current && this.executorFactory && this.optimizeEnabled) {
      this.configured();
      current = this.runningExecutor = this.executorFactory(this);
    }
    return current;
  }

  /** 1.x's Web Worker trainer is replaced by `Trainer.trainAsync` in `@synaptic/trainer`. */
  worker(): never {
    throw new SynapticError(
      'Network.worker() is not part of synaptic 2: use trainAsync from @synaptic/trainer, which trains in a worker thread',
    );
  }

  /** @internal */
  allLayers(): Layer[] {
    const { input, hidden, output } = this.layers;
    return [...(input ? [input] : []), ...hidden, ...(output ? [output] : [])];
  }

  private configured(): { input: Layer; output: Layer } {
    const { input, output } = this.layers;
    if (!input || !output)
      throw new InvalidArgumentError('this network has no layers yet: call set({ input, hidden, output }) first');
    return { input, output };
  }

  private dropExecutor(): void {
    const current = this.runningExecutor;
    this.runningExecutor = null;
    current?.dispose();
  }
}
