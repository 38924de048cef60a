import {
  AveragePool,
  Convolution,
  getRandom,
  InvalidArgumentError,
  Layer,
  MaxPool,
  Network,
  Neuron,
  SQUASH_NAMES,
  SynapticError,
  type Shape,
  type SquashFunction,
  type SquashName,
} from '@synaptic/core';
import { checkSeed, describeValue, randomFrom, withRandomSource } from './validate.js';

/** A squash as a function (`Neuron.squash.TANH`) or by name (`'TANH'`, what a JSON file holds). */
export type SquashSpec = SquashFunction | SquashName | 'SOFTMAX';

export interface InputSpec {
  type: 'input';
  /** [width, height] or [width, height, channels] */
  fieldSize: readonly number[];
}

export interface ConvolutionSpec {
  type: 'convolution';
  /** default TANH */
  squash?: SquashSpec;
  /** k feature maps of a size[0] × size[1] kernel each */
  featureMap: { size: readonly number[]; k: number };
  /** default 1 */
  stride?: number | readonly number[];
  /** zeros around the field; default 0 ("valid") */
  padding?: number | readonly number[];
  /** pooling after the maps: windows of `size` that must tile them */
  pool?: { kind: 'max' | 'average'; size: readonly number[] };
}

export interface FullyConnectedSpec {
  type: 'fully-connected';
  /** default LOGISTIC; SOFTMAX on the last layer only */
  squash?: SquashSpec;
  n: number;
}

export type ConvolutionalLayerSpec = InputSpec | ConvolutionSpec | FullyConnectedSpec;

export interface ConvolutionalOptions {
  /**
   * 'glorot' (default): kernels and weights uniform in ±√(6 / (fan-in + fan-out)), biases 0, drawn
   * from core's random source; '1.x': everything uniform in ±0.1 as 1.x draws weights.
   */
  init?: 'glorot' | '1.x';
  /** seeds the random source while the network is built */
  seed?: number;
}

/** One planned stage: the layers it makes and how they join the one before. */
type Stage =
  | { kind: 'input'; shape: Shape }
  | {
      kind: 'convolution';
      index: number;
      maps: Shape;
      squash: SquashFunction;
      kernel: [number, number];
      stride: [number, number];
      padding: [number, number];
      pool: { kind: 'max' | 'average'; size: [number, number]; shape: Shape } | null;
    }
  | { kind: 'fully-connected'; index: number; n: number; squash: SquashFunction };

class SpecError extends SynapticError {
  override name = 'ConvolutionalSpecError';
}

/**
 * A convolutional network from a list of layer specs (seed 003's in JavaScript):
 *
 *     new Convolutional([
 *       { type: 'input', fieldSize: [28, 28] },
 *       { type: 'convolution', squash: Neuron.squash.TANH, featureMap: { size: [9, 9], k: 3 },
 *         pool: { kind: 'max', size: [2, 2] } },
 *       { type: 'fully-connected', squash: Neuron.squash.LOGISTIC, n: 10 },
 *     ])
 *
 * A convolution layer is a shaped layer of k maps (core's `Convolution`: one kernel and one bias
 * per map) and, with `pool`, a second shaped layer (core's `MaxPool` / `AveragePool`, IDENTITY
 * units) after it. A fully-connected layer is projected ALL_TO_ALL from the layer before. The
 * whole spec is checked before anything is built: a bad one throws a `SynapticError` naming the
 * layer by index and type.
 */
export class Convolutional extends Network {
  constructor(layers: readonly ConvolutionalLayerSpec[], options: ConvolutionalOptions = {}) {
    super();
    if (options === null || typeof options !== 'object')
      throw new InvalidArgumentError('Convolutional: options must be an object such as { seed: 1 }');
    if (options.init !== undefined && options.init !== 'glorot' && options.init !== '1.x')
      throw new InvalidArgumentError(
        `Convolutional: init must be 'glorot' or '1.x', got ${describeValue(options.init)}`,
      );
    const seed = checkSeed(options.seed, 'Convolutional seed');
    const stages = planStages(layers);
    withRandomSource(randomFrom(undefined, seed), () => this.build(stages, options.init ?? 'glorot'));
  }

  private build(stages: Stage[], init: 'glorot' | '1.x'): void {
    const random = getRandom();
    const uniform = (values: Float64Array, limit: number) => {
      for (let i = 0; i < values.length; i++) values[i] = (random() * 2 - 1) * limit;
    };
    const first = stages[0] as Extract<Stage, { kind: 'input' }>;
    const input = Layer.shaped(...first.shape);
    const hidden: Layer[] = [];
    let last = input;
    for (const stage of stages.slice(1)) {
      if (stage.kind === 'convolution') {
        const maps = Layer.shaped(...stage.maps);
        maps.set({ squash: stage.squash });
        const conv = new Convolution(last, maps, {
          kernel: stage.kernel,
          stride: stage.stride,
          padding: stage.padding,
        });
        if (init === 'glorot') {
          const area = stage.kernel[0] * stage.kernel[1];
          uniform(conv.tensor('kernel').value, Math.sqrt(6 / (area * (last.shape![2] + stage.maps[2]))));
        }
        hidden.push(maps);
        last = maps;
        if (stage.pool !== null) {
          const pooled = Layer.shaped(...stage.pool.shape);
          pooled.set({ squash: Neuron.squash.IDENTITY });
          const Kind = stage.pool.kind === 'max' ? MaxPool : AveragePool;
          new Kind(maps, pooled, { size: stage.pool.size });
          hidden.push(pooled);
          last = pooled;
        }
      } else if (stage.kind === 'fully-connected') {
        const layer = new Layer(stage.n);
        layer.set({ squash: stage.squash });
        const projection = last.project(layer);
        if (init === 'glorot') {
          uniform(projection.block!.weight, Math.sqrt(6 / (last.size + stage.n)));
          layer.set({ bias: 0 });
        }
        hidden.push(layer);
        last = layer;
      }
    }
    const output = hidden.pop()!;
    this.set({ input, hidden, output });
  }
}

function pairOf(value: unknown, fallback: number | null, where: string, what: string, min: number): [number, number] {
  const v = value === undefined ? fallback : value;
  const list = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(list) || list.length !== 2 || !list.every((n) => Number.isInteger(n) && n >= min))
    throw new SpecError(
      `${where}: ${what} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer or [x, y], got ${describeValue(value)}`,
    );
  return [list[0], list[1]];
}

function squashOf(value: unknown, fallback: SquashFunction, where: string, last: boolean): SquashFunction {
  if (value === undefined) return fallback;
  const fn =
    typeof value === 'string'
      ? value === 'SOFTMAX' || (SQUASH_NAMES as readonly string[]).includes(value)
        ? Neuron.squash[value as SquashName | 'SOFTMAX']
        : undefined
      : value;
  if (typeof fn !== 'function')
    throw new SpecError(
      `${where}: unknown squash ${describeValue(value)} (use ${SQUASH_NAMES.join(', ')} or SOFTMAX, by name or as Neuron.squash.X)`,
    );
  if (fn === Neuron.squash.SOFTMAX && !last) throw new SpecError(`${where}: SOFTMAX goes on the last layer only`);
  return fn as SquashFunction;
}

/** Checks the whole spec and works out every shape, before anything is built. */
function planStages(specs: readonly ConvolutionalLayerSpec[]): Stage[] {
  if (!Array.isArray(specs) || specs.length < 2)
    throw new SpecError('Convolutional: expected an array of layer specs, an input layer first and at least one more');
  const stages: Stage[] = [];
  let shape: Shape | null = null;
  specs.forEach((raw, index) => {
    const spec = raw as unknown as Record<string, unknown>;
    const type = spec !== null && typeof spec === 'object' ? spec.type : undefined;
    const where = `Convolutional layer ${index} (${typeof type === 'string' ? type : describeValue(type)})`;
    const last = index === specs.length - 1;
    if (index === 0 && type !== 'input')
      throw new SpecError(`${where}: the first layer must be { type: 'input', fieldSize }`);
    if (type === 'input') {
      if (index !== 0) throw new SpecError(`${where}: only the first layer is an input`);
      const field = spec.fieldSize;
      if (
        !Array.isArray(field) ||
        field.length < 2 ||
        field.length > 3 ||
        !field.every((n) => Number.isInteger(n) && n >= 1)
      )
        throw new SpecError(
          `${where}: fieldSize must be [width, height] or [width, height, channels], got ${describeValue(field)}`,
        );
      shape = [field[0], field[1], field[2] ?? 1];
      stages.push({ kind: 'input', shape });
    } else if (type === 'convolution') {
      if (shape === null)
        throw new SpecError(`${where}: a convolution needs a shaped layer before it (an input or a convolution)`);
      const fm = spec.featureMap as { size?: unknown; k?: unknown } | undefined;
      if (fm === null || typeof fm !== 'object')
        throw new SpecError(`${where}: featureMap must be { size: [width, height], k }`);
      if (typeof fm.k !== 'number' || !Number.isInteger(fm.k) || fm.k < 1)
        throw new SpecError(
          `${where}: featureMap.k (the number of feature maps) must be an integer >= 1, got ${describeValue(fm.k)}`,
        );
      const kernel = pairOf(fm.size, null, where, 'featureMap.size', 1);
      const stride = pairOf(spec.stride, 1, where, 'stride', 1);
      const padding = pairOf(spec.padding, 0, where, 'padding', 0);
      const [w, h] = [shape[0] + 2 * padding[0], shape[1] + 2 * padding[1]];
      if (kernel[0] > w || kernel[1] > h)
        throw new SpecError(
          `${where}: the ${kernel[0]}×${kernel[1]} kernel is larger than the ${shape[0]}×${shape[1]} field${padding[0] + padding[1] > 0 ? ` (padded ${w}×${h})` : ''}`,
        );
      const maps: Shape = Convolution.outputShape(shape, { kernel, stride, padding, maps: fm.k });
      let pool: Extract<Stage, { kind: 'convolution' }>['pool'] = null;
      if (spec.pool !== undefined) {
        const p = spec.pool as { kind?: unknown; size?: unknown };
        if (p === null || typeof p !== 'object' || (p.kind !== 'max' && p.kind !== 'average'))
          throw new SpecError(
            `${where}: pool must be { kind: 'max' | 'average', size: [width, height] }, got kind ${describeValue(p?.kind)}`,
          );
        const size = pairOf(p.size, null, where, 'pool.size', 1);
        if (maps[0] % size[0] !== 0 || maps[1] % size[1] !== 0)
          throw new SpecError(`${where}: ${size[0]}×${size[1]} pools do not tile the ${maps[0]}×${maps[1]} maps`);
        pool = { kind: p.kind, size, shape: [maps[0] / size[0], maps[1] / size[1], maps[2]] };
      }
      stages.push({
        kind: 'convolution',
        index,
        maps,
        kernel,
        stride,
        padding,
        pool,
        squash: squashOf(spec.squash, Neuron.squash.TANH, where, false),
      });
      shape = pool ? pool.shape : maps;
    } else if (type === 'fully-connected') {
      const n = spec.n;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
        throw new SpecError(`${where}: n (the number of units) must be a positive integer, got ${describeValue(n)}`);
      stages.push({
        kind: 'fully-connected',
        index,
        n,
        squash: squashOf(spec.squash, Neuron.squash.LOGISTIC, where, last),
      });
      shape = null;
    } else {
      throw new SpecError(`${where}: unknown layer type (use 'input', 'convolution' or 'fully-connected')`);
    }
  });
  return stages;
}
