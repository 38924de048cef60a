import { InvalidArgumentError } from '@synaptic/core';

/**
 * What an optimizer updates: core's `Parameter` (from `network.parameters()`) has this shape, and
 * so does anything else that holds trained numbers. `value` is live (writing it changes the
 * model); `gradient` holds dE/dvalue, of the same length.
 */
export interface ParameterLike {
  readonly name: string;
  readonly value: Float64Array;
  readonly gradient: Float64Array;
  /** 1 where an entry is fixed (not trained): optimizers leave it alone. Core's `Parameter` has it. */
  readonly fixed?: Uint8Array | null;
}

/** Re-evaluates the model at the current values: zeroes the gradients, refills them, returns the cost. */
export type Evaluate = () => number;

/**
 * Throws unless every parameter has Float64Array `value` and `gradient` of one length; zeroes the
 * gradient of fixed entries, so that no rule moves them (every rule here leaves an entry whose
 * gradient was always 0 where it is; AdamW's decay checks `fixed` itself).
 */
export function checkParameters(parameters: readonly ParameterLike[], where: string): void {
  if (!Array.isArray(parameters)) {
    throw new InvalidArgumentError(`${where}: \`parameters\` must be an array of { name, value, gradient }`);
  }
  for (let i = 0; i < parameters.length; i++) {
    const p = parameters[i];
    if (p === null || typeof p !== 'object' || !(p.value instanceof Float64Array)) {
      throw new InvalidArgumentError(`${where}: parameters[${i}].value must be a Float64Array`);
    }
    if (!(p.gradient instanceof Float64Array) || p.gradient.length !== p.value.length) {
      throw new InvalidArgumentError(
        `${where}: parameters[${i}] (${String(p.name)}).gradient must be a Float64Array of length ${p.value.length}`,
      );
    }
    const { fixed, gradient } = p;
    if (fixed) for (let k = 0; k < fixed.length; k++) if (fixed[k]) gradient[k] = 0;
  }
}

/**
 * An optimizer's state: `slots` typed arrays per parameter tensor (Adam's m and v, Rprop's step
 * sizes and last gradients...), found by the tensor's live `value` array, so the state follows
 * the tensor whatever object lists it. `fill` is each slot's starting value.
 */
export class TensorState {
  private readonly states = new WeakMap<Float64Array, Float64Array[]>();

  constructor(private readonly fill: readonly number[]) {}

  of(parameter: ParameterLike): Float64Array[] {
    const { value } = parameter;
    let arrays = this.states.get(value);
    if (!arrays) {
      arrays = this.fill.map((f) => new Float64Array(value.length).fill(f));
      this.states.set(value, arrays);
    }
    return arrays;
  }
}
