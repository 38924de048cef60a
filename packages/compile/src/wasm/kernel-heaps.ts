/**
 * The memories into which a batch executor (compileBatch) moved a network's weights. The online
 * WebAssembly executor leaves such weights where they are (it runs the generated JavaScript on
 * them instead): moving them again would make the batch rebuild and move them back, and every
 * move leaves stale arrays in the hands of whoever read `parameters()` before it.
 */
const heaps = new WeakSet<ArrayBufferLike>();

export function markBatchHeap(buffer: ArrayBufferLike): void {
  heaps.add(buffer);
}

export function inBatchHeap(array: Float64Array): boolean {
  return heaps.has(array.buffer);
}
