/** Heap figures inside a `node --expose-gc` worker (the same accounting as the SIZE worker). */

export interface MemorySnapshot {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** Two full collections (the first may only queue finalizers / weak callbacks); needs --expose-gc. */
export function fullGc(): void {
  const collect = globalThis.gc;
  if (collect === undefined) throw new Error('this worker needs node --expose-gc');
  collect();
  collect();
}

export function snapshot(): MemorySnapshot {
  const { heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { heapUsed, external, arrayBuffers };
}

/** `external` already includes `arrayBuffers` (typed arrays, Buffers), so they are not added twice. */
export function totalBytes(m: MemorySnapshot): number {
  return m.heapUsed + m.external;
}
