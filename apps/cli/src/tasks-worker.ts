/**
 * The worker thread of `synaptic tasks`: runs one of the Trainer's built-in tasks (synchronous
 * training) and posts its progress, so that the main thread stays free to draw the progress bar
 * and to stop the run on Ctrl-C (by terminating this thread).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SynapticError } from '@synaptic/core';
import { TrainingDivergedError } from '@synaptic/trainer';
import { runTask, type TaskRequest, type WorkerMessage } from './tasks.js';

const port = parentPort;
if (!port) throw new Error('tasks-worker.js runs as a worker thread of synaptic tasks');
const post = (message: WorkerMessage): void => port.postMessage(message);

try {
  runTask(workerData as TaskRequest, post);
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  post({
    type: 'failed',
    message: e.message,
    name: e.name,
    stack: e.stack,
    synaptic: error instanceof SynapticError && !(error instanceof TrainingDivergedError),
  });
}
