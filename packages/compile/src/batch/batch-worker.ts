/**
 * The worker thread of `parallelBatch` (Node.js worker_threads), built as its own file next to the
 * package's entry. It holds a copy of the network; at each step it claims chunks of the batch in
 * shared memory (chunks.ts) until none is left, then says so.
 */
import { parentPort } from 'node:worker_threads';
import { cost, Network } from '@synaptic/core';
import { compileBatch, type CompiledBatch } from './batch.js';
import { runChunks, type SharedViews, sharedViews } from './chunks.js';
import type { FromBatchWorker, StartMessage, ToBatchWorker } from './parallel-protocol.js';

if (parentPort) {
  const port = parentPort;
  let state: { batch: CompiledBatch; views: SharedViews } | null = null;
  const send = (message: FromBatchWorker) => port.postMessage(message);
  const start = (message: StartMessage) => {
    const network = Network.fromJSON(message.network);
    const { chunkSize: batchSize, precision, backend } = message;
    const batch = compileBatch(network, { batchSize, precision, backend });
    const total = network.parameters().reduce((s, p) => s + p.value.length, 0);
    const views = sharedViews(message.buffers, total, message.batchSize, batch.inputSize, batch.outputSize);
    state = { batch, views };
  };
  port.on('message', (message: ToBatchWorker) => {
    try {
      if (message.type === 'start') {
        start(message);
        send({ type: 'ready' });
        return;
      }
      if (state === null) throw new Error('step before start');
      runChunks(state.batch, state.views, message, cost[message.cost]);
      send({ type: 'done' });
    } catch (error) {
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  });
}
