/**
 * The worker thread of the gradient path (`--optimizer` and the other gradient flags, and the
 * default MNIST run): rebuilds the network from its JSON, attaches compiled code (forward and
 * backward) unless told not to, runs one `Trainer.train` with every option and posts each batch
 * and epoch, so the main thread keeps the progress bar moving and stops the run on Ctrl-C by
 * terminating this thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BatchUnsupportedError, type CompiledBatch, compileBatch, optimize } from '@synaptic/compile';
import { Network, SynapticError } from '@synaptic/core';
import { Trainer, TrainingDivergedError } from '@synaptic/trainer';
import { fitOptions, type FitRequest, type FitWorkerMessage, type Precision } from './fit-train.js';
import { unpackSamples } from './packed-samples.js';

const port = parentPort;
if (!port) throw new Error('fit-worker.js runs as a worker thread of synaptic');
const post = (message: FitWorkerMessage): void => port.postMessage(message);
const request = workerData as FitRequest;

try {
  const network = Network.fromJSON(request.network);
  if (request.compile) optimize(network);
  const options = fitOptions(request.settings);
  // a layered network trains its mini-batches as matrix products (WebAssembly SIMD where there is
  // SIMD); others, and dropout, train sample by sample on the compiled code
  const batchExecutor =
    request.compile && request.settings.batchSize > 1 && request.settings.dropout === 0
      ? layeredBatch(network, request.settings.batchSize, request.settings.precision)
      : null;
  const result = new Trainer(network).train(unpackSamples(request.samples), {
    ...options,
    ...(batchExecutor ? { batchExecutor } : {}),
    onBatchEnd: (batch) => void post({ type: 'batch', batch }),
    onEpochEnd: (entry) => void post({ type: 'epoch', entry }),
  });
  post({ type: 'done', result, json: network.toJSON() });
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  post({
    type: 'failed',
    message: e.message,
    stack: e.stack,
    diverged: error instanceof TrainingDivergedError ? { iteration: error.iteration, detail: error.detail } : null,
    badInput: error instanceof SynapticError && !(error instanceof TrainingDivergedError),
  });
}

/**
 * The batch executor of a layered network, or null when the network is not layered (it then
 * trains sample by sample at f64; asking for f32 there is an error, not a silent f64).
 */
function layeredBatch(network: Network, batchSize: number, precision: Precision): CompiledBatch | null {
  try {
    return compileBatch(network, { batchSize, precision });
  } catch (error) {
    if (!(error instanceof BatchUnsupportedError)) throw error;
    if (precision === 'f32') throw new BatchUnsupportedError(`--precision f32: ${error.message}`);
    return null;
  }
}
