/**
 * The worker thread of `parallelBatch` (Node.js worker_threads), built as its own file next to the
 * package's entry. It holds a copy of the network; after `start` it sleeps on the STEP slot of the
 * shared control array (Atomics.wait: no message, no event loop per step), and at each step claims
 * chunks of the batch in shared memory (chunks.ts) until none is left.
 */
import { parentPort } from 'node:worker_threads';
import { Network } from '@synaptic/core';
import { type CompiledBatch, compileBatch } from './batch.js';
import { readStep, runChunks, SPIN_MS, type SharedViews, sharedViews, spinWhile } from './chunks.js';
import { Control, type FromBatchWorker, STOP_STEP, type ToBatchWorker } from './parallel-protocol.js';

if (parentPort) {
  const port = parentPort;
  const send = (message: FromBatchWorker) => port.postMessage(message);
  port.once('message', (message: ToBatchWorker) => {
    let state: { batch: CompiledBatch; views: SharedViews };
    try {
      const network = Network.fromJSON(message.network);
      const { chunkSize: batchSize, precision, backend } = message;
      const batch = compileBatch(network, { batchSize, precision, backend });
      const total = network.parameters().reduce((s, p) => s + p.value.length, 0);
      const views = sharedViews(message.buffers, total, message.batchSize, batch.inputSize, batch.outputSize);
      state = { batch, views };
    } catch (error) {
      send({ type: 'failed', step: 0, message: error instanceof Error ? error.message : String(error) });
      return;
    }
    const { batch, views } = state;
    const control = views.control;
    let seen = Atomics.load(control, Control.STEP);
    send({ type: 'ready' });
    for (;;) {
      // spin a little (the next step usually comes soon), then sleep until the caller notifies
      let now = spinWhile(control, Control.STEP, seen, SPIN_MS);
      if (now === seen) {
        Atomics.add(control, Control.SLEEPING, 1);
        Atomics.wait(control, Control.STEP, seen);
        Atomics.sub(control, Control.SLEEPING, 1);
        now = Atomics.load(control, Control.STEP);
        if (now === seen) continue;
      }
      if (now === STOP_STEP) return;
      seen = now;
      try {
        runChunks(batch, views, readStep(control, now));
      } catch (error) {
        // the step is given up (runChunks did that); the caller waits for this message to say why
        send({ type: 'failed', step: now, message: error instanceof Error ? error.message : String(error) });
      }
    }
  });
}
