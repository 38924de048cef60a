/**
 * The worker thread of `trainAsync` (a `worker_threads` Worker in Node.js, a module Web Worker in
 * browsers). Built as its own file next to the package's entry; it waits for one `start`
 * message, trains, reports, and is terminated by the caller.
 */
import { Network } from '@synaptic/core';
import { serveFit, serveTraining, type WorkerEndpoint } from './worker-runtime.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

interface Channel {
  post(message: FromWorker): void;
  listen(handler: (message: ToWorker) => void): void;
}

interface WebWorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', handler: (event: { data: unknown }) => void): void;
}

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** Node.js: the worker_threads parent port (it buffers messages until a listener is attached). */
async function nodeChannel(): Promise<Channel | null> {
  const { parentPort } = await import('node:worker_threads');
  if (!parentPort) return null; // imported on the main thread: nothing to serve
  return {
    post: (message) => parentPort.postMessage(message),
    listen: (handler) => parentPort.on('message', (message: ToWorker) => handler(message)),
  };
}

/** Browsers: the Web Worker's global scope (the listener is attached before the first message task). */
function webChannel(): Channel {
  const scope = globalThis as unknown as WebWorkerScope;
  return {
    post: (message) => scope.postMessage(message),
    listen: (handler) => scope.addEventListener('message', (event) => handler(event.data as ToWorker)),
  };
}

async function main(): Promise<void> {
  const port = isNode ? await nodeChannel() : webChannel();
  if (!port) return;
  const queue: ToWorker[] = [];
  let waiting: ((message: ToWorker) => void) | null = null;
  const endpoint: WorkerEndpoint = {
    post: (message) => port.post(message),
    receive: () => {
      const next = queue.shift();
      if (next) return Promise.resolve(next);
      return new Promise((resolve) => (waiting = resolve));
    },
  };
  port.listen((message) => {
    if (message.type === 'start') {
      void serveTraining(message, endpoint, (json) => Network.fromJSON(json));
    } else if (message.type === 'start-fit') {
      void serveFit(message, endpoint, (json) => Network.fromJSON(json));
    } else if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve(message);
    } else {
      queue.push(message);
    }
  });
}

void main();
