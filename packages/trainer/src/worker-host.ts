import { WorkerError } from './errors.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

/** The caller's side of a worker: Node.js `worker_threads` or a browser's Web Worker, behind one face. */
export interface WorkerPort {
  post(message: ToWorker): void;
  /** `onFailure` gets crashes and unexpected exits; it may be called after `terminate()`, and is then to be ignored. */
  listen(onMessage: (message: FromWorker) => void, onFailure: (error: unknown) => void): void;
  terminate(): void;
}

interface WebWorkerLike {
  postMessage(message: unknown): void;
  addEventListener(
    type: 'message' | 'error' | 'messageerror',
    handler: (event: { data?: unknown; message?: string }) => void,
  ): void;
  terminate(): void;
}
type WebWorkerConstructor = new (url: URL | string, options: { type: 'module' }) => WebWorkerLike;
/** The browser's global `Worker` (this package compiles without the DOM library); read only where it exists. */
declare const Worker: WebWorkerConstructor;

declare const __SYNAPTIC_WORKER_FILE__: string | undefined;

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/**
 * The worker script next to this module: `worker.js` beside the ES module build, `worker.cjs`
 * beside the CommonJS one (tsup defines which, and shims `import.meta.url` from `__filename`
 * in CommonJS).
 */
export function defaultWorkerUrl(): URL {
  const file = typeof __SYNAPTIC_WORKER_FILE__ === 'string' ? __SYNAPTIC_WORKER_FILE__ : './worker.js';
  return new URL(file, import.meta.url);
}

export async function openWorker(url: URL | string | undefined): Promise<WorkerPort> {
  return isNode ? openNodeWorker(url ?? defaultWorkerUrl()) : openWebWorker(url);
}

async function openNodeWorker(url: URL | string): Promise<WorkerPort> {
  const { Worker } = await import('node:worker_threads');
  let worker: InstanceType<typeof Worker>;
  try {
    worker = new Worker(url);
  } catch (error) {
    throw new WorkerError(`trainAsync could not start its worker (${String(url)}): ${errorText(error)}`, {
      cause: error,
    });
  }
  return {
    post: (message) => worker.postMessage(message),
    listen: (onMessage, onFailure) => {
      worker.on('message', onMessage);
      worker.on('error', (error) =>
        onFailure(new WorkerError(`the worker of trainAsync failed: ${errorText(error)}`, { cause: error })),
      );
      worker.on('exit', (code) =>
        onFailure(new WorkerError(`the worker of trainAsync exited (code ${code}) before finishing`)),
      );
    },
    terminate: () => void worker.terminate(),
  };
}

function openWebWorker(url: URL | string | undefined): WorkerPort {
  const WebWorker = (globalThis as { Worker?: WebWorkerConstructor }).Worker;
  if (typeof WebWorker !== 'function') {
    throw new WorkerError(
      'trainAsync needs worker threads: worker_threads in Node.js or Web Workers in browsers, and neither is available here',
    );
  }
  // Without a URL, the literal `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`:
  // bundlers (Vite, webpack 5, Parcel) recognise only this exact form, and then bundle worker.js with
  // its imports (@synaptic/core) into a worker script of its own; any other form (a variable, `??`)
  // leaves worker.js as a bare file whose `import '@synaptic/core'` no browser can resolve.
  const worker =
    url === undefined
      ? new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })
      : new WebWorker(url, { type: 'module' });
  return {
    post: (message) => worker.postMessage(message),
    listen: (onMessage, onFailure) => {
      worker.addEventListener('message', (event) => onMessage(event.data as FromWorker));
      worker.addEventListener('error', (event) =>
        onFailure(new WorkerError(`the worker of trainAsync failed: ${event.message ?? 'unknown error'}`)),
      );
      worker.addEventListener('messageerror', () =>
        onFailure(new WorkerError('the worker of trainAsync sent a message that could not be read')),
      );
    },
    terminate: () => worker.terminate(),
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
