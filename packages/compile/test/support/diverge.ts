import { NonFiniteError } from '@synaptic/core';

/** The result of `work`, or `null` if core refused it because a number stopped being finite. */
export function unlessDiverged<T>(work: () => T): T | null {
  try {
    return work();
  } catch (error) {
    if (error instanceof NonFiniteError) return null;
    throw error;
  }
}
