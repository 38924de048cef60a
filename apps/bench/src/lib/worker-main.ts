/**
 * The entry point shared by the workers: runs `main`, prints its result as one JSON line, and
 * turns a peer that cannot be loaded into an `{ "unavailable": ... }` line (exit code 0) so the
 * suite can write "could not install: <reason>" in its table instead of a crash.
 */
import { createRequire } from 'node:module';
import type { UnavailableLine } from './outcome.js';

const require = createRequire(import.meta.url);

/** Thrown when a peer's package is missing or does not load. */
export class PeerUnavailableError extends Error {}

/**
 * `require` of a peer package, resolved from this app. A package that is not installed, or that
 * throws while loading (e.g. a missing native module), becomes a `PeerUnavailableError`.
 */
export function requirePeer<T>(packageName: string): T {
  try {
    return require(packageName) as T;
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new PeerUnavailableError(`could not install: ${packageName}: ${message}`);
  }
}

export function workerMain(main: () => Promise<unknown>): void {
  main().then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      // peers (TensorFlow.js) may keep handles open; the result is out, so leave now
      process.exit(0);
    },
    (err: unknown) => {
      if (err instanceof PeerUnavailableError) {
        const line: UnavailableLine = { unavailable: err.message };
        process.stdout.write(`${JSON.stringify(line)}\n`);
        process.exit(0);
      }
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
