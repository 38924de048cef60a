import { NETWORK } from './brand.js';
import { isCheckpoint, loadParameters, restoreCheckpoint, takeCheckpoint, type Checkpoint } from './checkpoint.js';
import { cloneLayers } from './clone.js';
import { layersToDot } from './dot.js';
import {
  describe,
  InvalidArgumentError,
  InvalidValueError,
  NonFiniteError,
  SizeMismatchError,
  SynapticError,
} from './errors.js';
import { checkOutputs, PropagationGuard } from './finite.js';
import type { ExecutorFactory, NetworkExecutor } from './executor.js';
import { buildLayers } from './json/from-json.js';
import type { AnyNetworkJSON } from './json/format.js';
import { addShapesAndOps, fitsFormat1x, hasShapesOrOps, unitsToJSON, unitsToJSONV2 } from './json/to-json.js';
import { parseNetworkJSON } from './json/validate-json.js';
import { Layer, storesOf, type InitialWeights, type Projectable } from './layer.js';
import type { NeuronStore } from './storage/neuron-store.js';
import type { LayerConnection } from './layer-connection.js';
import type { Neuron } from './neuron.js';
import type { ConnectionType, GateType } from './types.js';
import { checkRate, checkVector } from './validate.js';
import { categoricalCrossEntropy, cost, costGradient, type CostFunction } from './cost.js';
import { backwardLayers, softmaxCrossEntropyAtState } from './gradient.js';
import { collectParameters, type Parameter } from './parameters.js';
import { Attention } from './ops/attention.js';
import { checkOps } from './ops/check.js';
import { bpttPlanOf, recordStart, recordStep, reverseEpisode, stepCost } from './bptt.js';

export interface NetworkLayers {
  input: Layer;
  hidden?: Layer[];
  output: Layer;
}

export interface BackwardOptions {
  /** the cost E of the outputs against the target (default `cost.MSE`); it needs a `gradient` */
  cost?: CostFunction;
  /** ∂E/∂y for the outputs, from a loss computed elsewhere (GAN, VAE, RL); the target is then ignored */
  outputGradient?: ArrayLike<number>;
}

export interface BpttOptions {
  /** the cost E_t of each step's outputs against its target (default `cost.MSE`); it needs a `gradient` */
  cost?: CostFunction;
  /** called with each step's outputs as the episode runs (e.g. to measure accuracy); a throw undoes the call */
  onStep?: (step: number, output: number[]) => void;
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
  /** @internal */ ownVersion = 0;
  /** @internal */ storesKey = -1;
  /** @internal */ storesCache: NeuronStore[] | null = null;
  /** @internal */ parameterCache: { version: number; list: Parameter[] } | null = null;
  /** @internal */ propagationGuard: PropagationGuard | null = null;
  /** @internal the structure version whose ops (layer-level projections) were last checked */
  opsChecked = Number.NaN;
  /** @internal the checkpoint `bptt` refills at each call */
  bpttCheckpoint: Checkpoint | null = null;

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
    this.ownVersion++;
  }

  /**
   * The version of this network's structure: it moves on whenever its layers, its units' wiring,
   * gates or squashes change, and only then. Executors are rebuilt when it moves; changes to other
   * networks leave it alone.
   */
  structureVersion(): number {
    let key = this.ownVersion;
    const layers = this.allLayers();
    for (const layer of layers) key += layer.version;
    if (key !== this.storesKey || this.storesCache === null) {
      this.storesCache = storesOf(layers.flatMap((layer) => layer.list));
      this.storesKey = key;
    }
    let version = key;
    for (const store of this.storesCache) version += store.version;
    return version;
  }

  /** Feeds `input` forward; returns the output layer's activations. */
  activate(input: ArrayLike<number>): number[] {
    const { input: inputLayer, output } = this.configured();
    const values = this.ownCopy(input, inputLayer.size, 'network input');
    checkVector(values, inputLayer.size, 'network input');
    this.checkOps();
    // ops reading the input (EMBEDDING's tokens) refuse a bad one before anything runs
    for (const op of inputLayer.opsOut) op.checkInput(values, 'network input');
    const executor = this.executor();
    let result: number[];
    if (executor) result = executor.activate(values);
    else {
      inputLayer.activate(values);
      for (const layer of this.layers.hidden) layer.activate();
      result = output.activate();
    }
    checkOutputs(result, this.allLayers());
    return result;
  }

  /** Back-propagates `target` for the last activation and learns at `rate` (default 0.1). */
  propagate(rate: number | undefined, target: ArrayLike<number>): void {
    const { output } = this.configured();
    const r = checkRate(rate);
    const values = this.ownCopy(target, output.size, 'network target');
    checkVector(values, output.size, 'network target');
    this.checkOps();
    const executor = this.executor();
    const layers = this.allLayers();
    const guard = (this.propagationGuard ??= new PropagationGuard());
    if (executor?.propagateChecked && executor.undoPropagate) {
      // the executor checks and logs what it writes: nothing to copy or scan unless it failed
      if (!executor.propagateChecked(r, values)) guard.reject(layers, this.structureVersion(), r, executor);
      return;
    }
    guard.save(layers, this.structureVersion());
    if (executor) executor.propagate(r, values);
    else {
      output.propagate(r, values);
      const hidden = this.layers.hidden;
      for (let i = hidden.length - 1; i >= 0; i--) hidden[i].propagate(r);
    }
    guard.check(layers, r);
  }

  /**
   * A plain array is copied before it is checked, so that an index getter cannot hand back other
   * numbers than the ones checked; typed arrays (which have no getters) are used as they are.
   */
  private ownCopy(values: ArrayLike<number>, size: number, what: string): ArrayLike<number> {
    if (!Array.isArray(values)) return values;
    if (values.length !== size) throw new SizeMismatchError(what, size, values.length);
    const copy = new Array<number>(size);
    for (let i = 0; i < size; i++) copy[i] = values[i];
    return copy;
  }

  /**
   * Every trained number of the network exactly once, as tensors over its own storage: per layer
   * its biases, then the blocks of connections into it. Self-connections (which LSTM-g does not
   * train) and fully fixed tensors are left out. The list is valid until the structure changes.
   */
  parameters(): Parameter[] {
    this.configured();
    this.checkOps();
    const version = this.structureVersion();
    if (this.parameterCache === null || this.parameterCache.version !== version) {
      this.parameterCache = { version, list: collectParameters(this.allLayers()) };
    }
    return this.parameterCache.list;
  }

  /** Sets every parameter's gradient to 0. */
  zeroGradients(): void {
    for (const p of this.parameters()) p.gradient.fill(0);
  }

  /**
   * After `activate(input)`: adds ∂E/∂θ for this sample to every parameter's gradient (so
   * θ −= rate · gradient descends E), changing no weight, bias, state or trace that the next
   * `activate` reads. E is `options.cost` (default `cost.MSE`) of the outputs against `target`; it
   * is returned. With `options.outputGradient` (∂E/∂y of a loss computed elsewhere) no target is
   * needed and nothing is returned. Through the cost's true derivative and the output squash; a
   * softmax output with `cost.CROSS_ENTROPY` uses ∂E/∂s = y − t. Exact on graphs without
   * recurrence; on recurrent graphs LSTM-g's truncated gradient (eq. 21-24 with the weights held still).
   */
  backward(target: ArrayLike<number> | null | undefined, options: BackwardOptions = {}): number | undefined {
    const { output } = this.configured();
    if (options === null || typeof options !== 'object')
      throw new InvalidArgumentError('backward: options must be an object such as { cost: cost.MSE }');
    const n = output.size;
    const y = output.list.map((u) => u.store.activation[u.index]);
    const values = new Float64Array(n);
    let atState = false;
    let error: number | undefined;
    if (options.outputGradient !== undefined) {
      const given = checkVector(options.outputGradient, n, 'backward outputGradient');
      for (let k = 0; k < n; k++) values[k] = given[k];
    } else {
      const costFn = options.cost ?? cost.MSE;
      const gradient = costGradient(costFn);
      const t = Array.from(checkVector(target, n, 'network target'));
      if (output.layerFunction?.name === 'SOFTMAX' && costFn === cost.CROSS_ENTROPY) {
        // the categorical E = −Σ t_k ln y_k through a softmax: ∂E/∂s_k = y_k Σ_i t_i − t_k (y − t for
        // one-hot t), the sum over k's group
        error = categoricalCrossEntropy(t, y);
        softmaxCrossEntropyAtState(t, y, output.groupSize(), values);
        atState = true;
      } else {
        error = costFn(t, y);
        gradient(t, y, values);
      }
      for (let k = 0; k < n; k++) {
        if (!Number.isFinite(values[k]))
          throw new InvalidValueError(`backward: the cost's gradient at output ${k} (output ${y[k]})`, values[k]);
      }
    }
    this.checkOps();
    const executor = this.executor();
    if (executor?.backward) executor.backward(values, atState);
    else {
      executor?.sync();
      backwardLayers(this.allLayers(), { values, atState });
    }
    return error;
  }

  /**
   * Back-propagation through time over an episode: runs `inputs` (one vector per step) from the
   * current state, as `activate` would step by step, and adds the exact gradient of the summed cost
   * Σ_t E(targets[t], y(t)) to every parameter's gradient (so θ −= rate · gradient descends it);
   * returns that sum. Exact over any graph: gates, self-connections, recurrent links, layer
   * functions (grouped too, LAYER_NORM's γ and β). States before the episode are constants.
   *
   * Afterwards the network is in the state after the episode, exactly as if `activate` had run
   * each step: states, activations, gains and LSTM-g's traces (eq. 17-18) have moved as
   * `activate` moves them (`propagate` still reads them; `bptt` does not). A softmax output with
   * `cost.CROSS_ENTROPY` uses E = −Σ t ln y per step, as `backward`. Bad inputs or targets (count,
   * sizes, non-finite numbers) throw before anything changes; a step whose output is not finite
   * throws a `NonFiniteError` with the network and the gradients put back as they were.
   */
  bptt(
    inputs: ReadonlyArray<ArrayLike<number>>,
    targets: ReadonlyArray<ArrayLike<number>>,
    options: BpttOptions = {},
  ): number {
    const { input, output } = this.configured();
    if (options === null || typeof options !== 'object')
      throw new InvalidArgumentError('bptt: options must be an object such as { cost: cost.MSE }');
    if (!Array.isArray(inputs) || !Array.isArray(targets))
      throw new InvalidArgumentError('bptt: inputs and targets must be arrays of vectors (one per step)');
    if (inputs.length === 0) throw new InvalidArgumentError('bptt: an episode needs at least one step');
    if (targets.length !== inputs.length)
      throw new SizeMismatchError('bptt targets (one per step)', inputs.length, targets.length);
    const costFn = options.cost ?? cost.MSE;
    costGradient(costFn);
    const onStep = options.onStep;
    if (onStep !== undefined && typeof onStep !== 'function')
      throw new InvalidArgumentError('bptt: onStep must be a function (step, output) => void');
    const x = inputs.map((v, t) => Float64Array.from(checkVector(v, input.size, `bptt inputs[${t}]`)));
    const y = targets.map((v, t) => Float64Array.from(checkVector(v, output.size, `bptt targets[${t}]`)));
    const layers = this.allLayers();
    const plan = bpttPlanOf(this, layers, this.structureVersion());
    const categorical =
      output.layerFunction?.name === 'SOFTMAX' && costFn === cost.CROSS_ENTROPY ? { group: output.groupSize() } : null;
    const params = this.parameters();
    const saved = params.map((p) => p.gradient.slice());
    // the state to put back if a step fails; the previous call's checkpoint is refilled, not reallocated
    const start = this.checkpoint(this.bpttCheckpoint ?? undefined);
    this.bpttCheckpoint = start;
    const record = recordStart(plan, x.length);
    try {
      for (let t = 0; t < x.length; t++) {
        const out = this.activate(x[t]);
        recordStep(plan, record, t);
        onStep?.(t, out);
      }
      this.runningExecutor?.sync();
      const total = reverseEpisode(plan, record, stepCost(plan, record, y, costFn, categorical));
      let bad = !Number.isFinite(total);
      for (const p of params) {
        let acc = 0;
        for (let k = 0; k < p.gradient.length; k++) acc += p.gradient[k] - p.gradient[k];
        if (acc !== 0) bad = true;
      }
      if (bad)
        throw new NonFiniteError(
          `bptt: the episode's cost or gradient is ${Number.isNaN(total) ? 'NaN' : 'not finite'}: the weights, inputs or targets are too large for floating point; the network and the gradients were put back`,
        );
      return total;
    } catch (error) {
      params.forEach((p, k) => p.gradient.set(saved[k]));
      this.rollback(start);
      throw error;
    }
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
    for (const layer of this.allLayers()) {
      layer.reset();
      for (const op of layer.opsIn) op.reset();
    }
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

  /**
   * 1.x's JSON, which loads in 1.x (and `Network.fromJSON` reads 1.x's files), whenever 1.x's format
   * can express the network. A network with a layer function or fixed parameters is written in the
   * versioned superset (`{ format: "synaptic", version: 2, units, connections }`), which this
   * library reads back exactly and 1.x refuses.
   */
  toJSON(): AnyNetworkJSON {
    const units = this.neurons();
    const layers = this.allLayers();
    if (fitsFormat1x(units) && !hasShapesOrOps(layers)) return unitsToJSON(units);
    const groupOf = new Map<Neuron, number>();
    for (const layer of layers)
      if (layer.layerFunction !== null && layer.functionGroup > 0)
        for (const unit of layer.list) groupOf.set(unit, layer.functionGroup);
    const json = unitsToJSONV2(units, groupOf);
    return hasShapesOrOps(layers) ? addShapesAndOps(json, layers) : json;
  }

  /**
   * Reads 1.x's JSON (an object or its text). Everything is checked before anything is built;
   * a bad file throws an `InvalidJSONError` naming the field.
   */
  static fromJSON(json: AnyNetworkJSON | string | unknown): Network {
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
    if (!isCheckpoint(checkpoint))
      throw new InvalidArgumentError(
        `rollback expects a checkpoint from network.checkpoint(), got ${describe(checkpoint)}`,
      );
    this.runningExecutor?.sync();
    restoreCheckpoint(checkpoint);
    this.runningExecutor?.clear();
  }

  /**
   * Writes weights, biases and unit states from a JSON of this same network (its own `toJSON()`,
   * trained elsewhere, e.g. in a worker) into this network, keeping its identity. A JSON of
   * another shape throws an `InvalidJSONError` and changes nothing.
   */
  loadParameters(json: AnyNetworkJSON): void {
    const units = this.neurons();
    loadParameters(units, json, this.allLayers());
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
    if (current && current.epoch !== this.structureVersion()) {
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

  /**
   * @internal Refuses (OpError) a layer-level projection that cannot run in this network: one into
   * the input layer, or whose source does not activate before its target. Checked once per
   * structure version, and only when some layer has an op.
   */
  checkOps(): void {
    const layers = this.allLayers();
    if (!layers.some((layer) => layer.opsIn.length > 0 || layer.opsOut.length > 0)) return;
    const version = this.structureVersion();
    if (version === this.opsChecked) return;
    checkOps(layers);
    this.opsChecked = version;
  }

  /**
   * The weights of every ATTENTION op at the last activation, in layer order (one per Transformer
   * block), then per head: `length × length` matrices whose row i holds position i's weights over
   * the positions (each row sums to 1; entries after i are 0 when causal).
   */
  attentionWeights(): number[][][][] {
    const result: number[][][][] = [];
    for (const layer of this.allLayers())
      for (const op of layer.opsIn) if (op instanceof Attention) result.push(op.weightMatrices());
    return result;
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
