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
/** Files being written atomically: temporary file -> the target, and whether it is being renamed. */
const temporaryFiles = new Map<string, { target: string; renaming: boolean }>();
const cleanups = new Set<() => void>();
let busy = 0;
let signals = 0;
let installed = false;

const savedFiles: string[] = [];

/** A file this run has written in full (renamed into place). */
export function recordSavedFile(target: string): void {
  savedFiles.push(target);
}

/** A file being written, to delete if the process has to exit before it is renamed into place. */
export function trackTemporaryFile(path: string, target = path): void {
  temporaryFiles.set(path, { target, renaming: false });
}

/** The temporary file is complete and about to be renamed over its target. */
export function markRenaming(path: string): void {
  const entry = temporaryFiles.get(path);
  if (entry) entry.renaming = true;
}

export function untrackTemporaryFile(path: string): void {
  temporaryFiles.delete(path);
}

/**
 * Removes unfinished temporary files; returns the targets that were in place already. A file
 * being renamed that is gone when we come to delete it was renamed: its target was written in
 * full (telling the user "nothing was saved" would then be false).
 */
export function removeTemporaryFiles(): string[] {
  const written: string[] = [];
  for (const [path, { target, renaming }] of temporaryFiles) {
    try {
      unlinkSync(path);
    } catch {
      if (renaming) written.push(target);
    }
  }
  temporaryFiles.clear();
  return written;
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
    const written = [...savedFiles, ...removeTemporaryFiles()];
    const outcome = written.length ? `${written.join(', ')} had been saved in full` : 'nothing was saved';
    process.stderr.write(`\nsynaptic: interrupted by ${signal}; ${outcome}\n`);
    process.exit(EXIT.INTERRUPTED);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.on('exit', () => void removeTemporaryFiles());
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
