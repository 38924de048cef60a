import type { NeuronStore } from './storage/neuron-store.js';

/**
 * Structure versions. Every structural change (project, gate, squash change, a self-connection
 * appearing or going, layer membership) bumps the version of the stores of the units it touches;
 * a network's version sums those of its own stores and layers (see `Network.structureVersion`),
 * so building or changing one network never invalidates another's executor. Weight and state
 * changes bump nothing: executors share the storage.
 *
 * The process-wide counter is kept for code that only wants to know whether anything changed.
 */
let epoch = 0;

/** A counter bumped by every structural change anywhere in the process. */
export function structureEpoch(): number {
  return epoch;
}

/** Records a structural change of the units kept in `stores`. */
export function bumpStructure(...stores: NeuronStore[]): void {
  epoch++;
  for (const store of stores) store.version++;
}
