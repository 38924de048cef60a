import { type Network, NonFiniteError } from '@synaptic/core';

/**
 * Activates and propagates `data` in order; false if the network refused a step because a
 * number stopped being finite (a diverging IDENTITY or RELU graph), true if every step ran.
 */
export function trains(net: Network, data: Array<{ input: number[]; target: number[] }>, rate: number): boolean {
  try {
    for (const { input, target } of data) {
      net.activate(input);
      net.propagate(rate, target);
    }
    return true;
  } catch (error) {
    if (error instanceof NonFiniteError) return false;
    throw error;
  }
}
