/**
 * Layer-level projection kinds ("ops"): a projection whose forward sum, error back-flow and
 * gradient are kernels over whole layers' typed arrays (convolution, pooling; later attention and
 * embeddings). One module per kind extends `Op`; the schedule (schedule.ts) calls its kernels from
 * the interpreter, `backward` and compiled code alike, so each rule is written once.
 *
 * The targets of an op are feed-forward: no self-connection, nothing gated into them, no lateral
 * connection, every source activated before the target (attach.ts and check.ts refuse the rest), so
 * a target unit's trace of an op input is just the source's activation and the gradient is exact.
 */
import { OpError } from '../errors.js';
import type { Layer } from '../layer.js';
import type { Shape } from '../shape.js';

/** A parameter tensor an op owns (a convolution's kernel, its per-map bias). */
export interface OpTensor {
  /** e.g. "kernel" or "bias"; the network lists it as "<target>.<name>" */
  readonly name: string;
  /** the numbers themselves, live */
  readonly value: Float64Array;
  /** ∂E/∂θ summed by `backward` */
  readonly gradient: Float64Array;
  /** 1 where an entry is fixed (never trained); null when every entry is trained */
  fixed: Uint8Array | null;
}

/** What a kind's options may hold: integers, or short lists of them (a kernel size). */
export type OpOptions = Readonly<Record<string, number | readonly number[]>>;

/** A DOT edge between maps (channels) of a source and of the target. */
export interface OpDotEdge {
  /** index into `op.sources` */
  readonly source: number;
  readonly sourceMap: number;
  readonly targetMap: number;
}

/**
 * One layer-level projection. The kernels read the sources' activations (`inputs[s]` is
 * `sources[s]`'s activation array, unit k at index k) and write the target's arrays:
 *
 * - `forward`: eq. 15's Σ for the op: adds Σ_i ∂s_k/∂y_i-weighted inputs into the target states.
 * - `backflow`: eq. 21's Σ over the op's targets: `errors[s][i] += Σ_k δ_k ∂s_k/∂y_i` for every
 *   source s whose `errors[s]` is not null (the others are skipped).
 * - `accumulate`: `into[t][θ] += Σ_k δ_k ∂s_k/∂θ` for each of the op's `tensors` t. `backward` calls it
 *   with δ = −∂E/∂s into a scratch and subtracts (∂E/∂θ); 1.x's `propagate` adds rate times it to
 *   the values (eq. 24's online rule, δ_k times the source activation).
 */
let nextOpId = 0;

export abstract class Op {
  /** the kind's name, as JSON writes it (e.g. "CONVOLUTION") */
  abstract readonly kind: string;
  /** creation order: JSON and clone rebuild ops in it, which keeps every sum's order */
  readonly id = nextOpId++;
  readonly sources: readonly Layer[];
  readonly target: Layer;
  readonly tensors: readonly OpTensor[];

  protected constructor(sources: readonly Layer[], target: Layer, tensors: readonly OpTensor[]) {
    this.sources = Object.freeze(sources.slice());
    this.target = target;
    this.tensors = Object.freeze(tensors.slice());
  }

  abstract forward(inputs: readonly Float64Array[], state: Float64Array): void;
  abstract backflow(
    inputs: readonly Float64Array[],
    delta: Float64Array,
    errors: ReadonlyArray<Float64Array | null>,
  ): void;
  abstract accumulate(inputs: readonly Float64Array[], delta: Float64Array, into: readonly Float64Array[]): void;

  /** The options that rebuild this op (with its kind's factory, see registry.ts): JSON and clone. */
  abstract options(): OpOptions;
  /** A short label for DOT, e.g. "conv 9×9". */
  abstract label(): string;
  /** The map-to-map edges DOT draws. */
  abstract dotEdges(): OpDotEdge[];

  /**
   * Checks the network's input before anything runs, for an op whose source is the input layer
   * (EMBEDDING refuses tokens that are not in its vocabulary); nothing for most kinds.
   */
  checkInput(_input: ArrayLike<number>, _where: string): void {}

  /** Draws new initial parameters (`Network.reset`); nothing for kinds without parameters. */
  reset(): void {}

  /** The tensor called `name`. */
  tensor(name: string): OpTensor {
    const t = this.tensors.find((x) => x.name === name);
    if (t === undefined) throw new Error(`internal: op ${this.kind} has no tensor ${name}`);
    return t;
  }
}

/** A new tensor of `length` zeros. */
export function opTensor(name: string, length: number): OpTensor {
  return { name, value: new Float64Array(length), gradient: new Float64Array(length), fixed: null };
}

/** The shape of a layer an op reads or writes; a layer without one is an error naming `role`. */
export function shapeOf(layer: Layer, role: string): Shape {
  if (layer.shape === null) throw new OpShapeMissing(role);
  return layer.shape;
}

class OpShapeMissing extends OpError {
  constructor(role: string) {
    super(`the ${role} layer has no shape: make it with Layer.shaped(width, height, channels)`);
  }
}

/** The ops into `layers`, in creation order. */
export function opsOf(layers: readonly Layer[]): Op[] {
  return layers.flatMap((l) => l.opsIn).sort((a, b) => a.id - b.id);
}
