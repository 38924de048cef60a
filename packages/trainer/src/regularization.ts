import type { ParameterLike } from './optimizers/parameter.js';

/** L1 and L2 penalties: E' = E + l1·Σ|θ| + (l2/2)·Σθ². */
export interface Penalty {
  l1: number;
  l2: number;
}

/**
 * Adds the penalty's gradient to each parameter's: g += l1·sign(θ) + l2·θ (seed 003 listed both and
 * applied neither). Called once per optimizer step, after the batch's gradients are averaged.
 */
export function addPenaltyGradients(parameters: readonly ParameterLike[], { l1, l2 }: Penalty): void {
  if (l1 === 0 && l2 === 0) return;
  for (const { value, gradient } of parameters) {
    for (let i = 0; i < value.length; i++) gradient[i] += l1 * Math.sign(value[i]) + l2 * value[i];
  }
}

/** The penalty itself, l1·Σ|θ| + (l2/2)·Σθ². */
export function penaltyOf(parameters: readonly ParameterLike[], { l1, l2 }: Penalty): number {
  if (l1 === 0 && l2 === 0) return 0;
  let abs = 0;
  let squares = 0;
  for (const { value } of parameters) {
    for (let i = 0; i < value.length; i++) {
      abs += Math.abs(value[i]);
      squares += value[i] * value[i];
    }
  }
  return l1 * abs + 0.5 * l2 * squares;
}
