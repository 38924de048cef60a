import { describe } from './describe.js';
import { InvalidOptionError } from './errors.js';
import type { ParameterLike } from './optimizers/parameter.js';

/** `{ norm }`: scale all gradients together so their global L2 norm is at most `norm`; `{ value }`: clamp each to ±value. */
export type Clip = { norm: number } | { value: number };

/**
 * Clips the gradients in place; returns their global L2 norm before clipping. The global norm is
 * PyTorch's `clip_grad_norm_`: when ‖g‖ > norm every gradient is multiplied by norm / (‖g‖ + 1e-6).
 */
export function clipGradients(parameters: readonly ParameterLike[], clip: Clip): number {
  let sumSquares = 0;
  for (const { gradient } of parameters) for (let i = 0; i < gradient.length; i++) sumSquares += gradient[i] ** 2;
  const total = Math.sqrt(sumSquares);
  if ('norm' in clip) {
    if (total > clip.norm) {
      const scale = clip.norm / (total + 1e-6);
      for (const { gradient } of parameters) for (let i = 0; i < gradient.length; i++) gradient[i] *= scale;
    }
  } else {
    const v = clip.value;
    for (const { gradient } of parameters) {
      for (let i = 0; i < gradient.length; i++) {
        if (gradient[i] > v) gradient[i] = v;
        else if (gradient[i] < -v) gradient[i] = -v;
      }
    }
  }
  return total;
}

/** Checks a `clip` option: exactly one of `norm` or `value`, a finite number > 0. */
export function checkClip(value: unknown, option: string): Clip {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError(option, `must be { norm } or { value }, got ${describe(value)}`);
  }
  const keys = Object.keys(value);
  if (keys.length !== 1 || (keys[0] !== 'norm' && keys[0] !== 'value')) {
    throw new InvalidOptionError(option, `must have exactly one key, norm or value, got { ${keys.join(', ')} }`);
  }
  const key = keys[0];
  const n = (value as Record<string, unknown>)[key];
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) {
    throw new InvalidOptionError(`${option}.${key}`, `must be a finite number > 0, got ${describe(n)}`);
  }
  return key === 'norm' ? { norm: n } : { value: n };
}
