import { expect } from 'vitest';
import type { Network, Parameter } from '../../src/index.js';

/**
 * Central finite differences of `energy()` over every trained entry of `net.parameters()`, against
 * `analytic` (the gradients computed beforehand, one array per parameter). Returns the largest
 * relative error seen.
 */
export function expectGradientsMatch(
  net: Network,
  analytic: Float64Array[],
  energy: () => number,
  { h = 1e-6, tolerance = 1e-6 }: { h?: number; tolerance?: number } = {},
): number {
  let worst = 0;
  net.parameters().forEach((p: Parameter, t) => {
    for (let e = 0; e < p.value.length; e++) {
      if (p.fixed?.[e]) {
        expect(analytic[t][e], `${p.name}[${e}] is fixed`).toBe(0);
        continue;
      }
      const v = p.value[e];
      p.value[e] = v + h;
      const up = energy();
      p.value[e] = v - h;
      const down = energy();
      p.value[e] = v;
      const numeric = (up - down) / (2 * h);
      const scale = Math.max(1, Math.abs(numeric), Math.abs(analytic[t][e]));
      const error = Math.abs(numeric - analytic[t][e]) / scale;
      worst = Math.max(worst, error);
      expect(error, `${p.name}[${e}]: ${analytic[t][e]} vs ${numeric}`).toBeLessThan(tolerance);
    }
  });
  return worst;
}

/** E = −Σ t ln y: the cross-entropy of a softmax output, as `backward` measures it */
export function categoricalCrossEntropy(target: ArrayLike<number>, output: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < output.length; k++) sum -= target[k] * Math.log(output[k] + 1e-15);
  return sum;
}
