/**
 * The worker thread of `parallelBatch` (Node.js worker_threads), built as its own file next to the
 * package's entry. It holds a copy of the network, and at each step reads the current parameters
 * from shared memory, runs its shard forward and backward, and leaves the shard's summed gradient
 * in shared memory.
 */
import { parentPort } from 'node:worker_threads';
import { cost, Network } from '@synaptic/core';
import { compileBatch, type CompiledBatch } from './batch.js';
import type { FromBatchWorker, StartMessage, ToBatchWorker } from './parallel-protocol.js';

if (parentPort) {
  const port = parentPort;
  let state: {
    batch: CompiledBatch;
    values: Float64Array;
    grads: Float64Array;
    inputs: Float64Array;
    targets: Float64Array;
  } | null = null;
  const send = (message: FromBatchWorker) => port.postMessage(message);
  const start = (message: StartMessage) => {
    const network = Network.fromJSON(message.network);
    const batch = compileBatch(network, message);
    const total = network.parameters().reduce((s, p) => s + p.value.length, 0);
    const values = new Float64Array(message.parameters, 0, total);
    const grads = new Float64Array(message.parameters, total * 8, total);
    const n = batch.inputSize * message.batchSize;
    const inputs = new Float64Array(message.samples, 0, n);
    const targets = new Float64Array(message.samples, n * 8, batch.outputSize * message.batchSize);
    state = { batch, values, grads, inputs, targets };
  };
  port.on('message', (message: ToBatchWorker) => {
    try {
      if (message.type === 'start') {
        start(message);
        send({ type: 'ready' });
        return;
      }
      if (state === null) throw new Error('step before start');
      const { batch, values, grads, inputs, targets } = state;
      const parameters = batch.network.parameters();
      let at = 0;
      for (const p of parameters) {
        p.value.set(values.subarray(at, at + p.value.length));
        p.gradient.fill(0);
        at += p.value.length;
      }
      const count = message.count;
      batch.forward(inputs.subarray(0, count * batch.inputSize));
      const error = batch.backward(targets.subarray(0, count * batch.outputSize), { cost: cost[message.cost] });
      at = 0;
      for (const p of parameters) {
        grads.set(p.gradient, at);
        at += p.gradient.length;
      }
      send({ type: 'done', error });
    } catch (error) {
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  });
}
