import { unlinkSync } from 'node:fs';
import { EXIT, InterruptedError } from './errors.js';

/**
 * Ctrl-C (SIGINT) and SIGTERM.
 *
 * While long work runs inside `interruptible()`, the first signal only raises a flag: the work
 * notices it at its next checkpoint (between training batches), stops, and the command exits
 * with code 130 having written nothing. A second signal, or a signal while nothing interruptible
 * runs, exits at once. Either way the temporary files of unfinished atomic writes are removed.
 */

const controller = new AbortController();
const temporaryFiles = new Set<string>();
const cleanups = new Set<() => void>();
let busy = 0;
let signals = 0;
let installed = false;

/** A file being written, to delete if the process has to exit before it is renamed into place. */
export function trackTemporaryFile(path: string): void {
  temporaryFiles.add(path);
}

export function untrackTemporaryFile(path: string): void {
  temporaryFiles.delete(path);
}

function removeTemporaryFiles(): void {
  for (const path of temporaryFiles) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  temporaryFiles.clear();
}

/** Runs `cleanup` (e.g. stopping a progress bar) if the process is made to exit by a signal. */
export function onForcedExit(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  const handler = (signal: NodeJS.Signals): void => {
    signals++;
    if (busy > 0 && signals === 1) {
      controller.abort(new InterruptedError(`interrupted by ${signal}`));
      return;
    }
    for (const cleanup of cleanups) {
      try {
        cleanup();
      } catch {
        // exiting anyway
      }
    }
    removeTemporaryFiles();
    process.stderr.write(`\nsynaptic: interrupted by ${signal}; nothing was saved\n`);
    process.exit(EXIT.INTERRUPTED);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.on('exit', removeTemporaryFiles);
}

/** The signal raised by the first Ctrl-C during `interruptible` work. */
export const interruption: AbortSignal = controller.signal;

/** Runs long work that checks `interruption` (see `checkInterrupted`) and stops cleanly. */
export async function interruptible<T>(work: () => Promise<T>): Promise<T> {
  busy++;
  try {
    return await work();
  } finally {
    busy--;
  }
}

/** Throws an `InterruptedError` with `message` if Ctrl-C was pressed. */
export function checkInterrupted(message?: string): void {
  if (controller.signal.aborted) throw new InterruptedError(message);
}

/** Lets pending events (signals, timers, the progress bar) run. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
