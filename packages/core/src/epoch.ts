/**
 * A counter bumped by every structural change (project, gate, squash change, layer set).
 * Executors built from a graph remember the epoch they were built at and are rebuilt when it
 * moves on; weight and state changes do not bump it because executors share the storage.
 */
let epoch = 0;

export function structureEpoch(): number {
  return epoch;
}

export function bumpStructure(): void {
  epoch++;
}
