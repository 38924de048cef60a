import { EXIT } from './errors.js';

/**
 * Results written to stdout are only a success once they are written. Node reports a failed
 * write (ENOSPC on `> /dev/full`, EIO) as an 'error' event, which by default either crashes with
 * a stack or, when it comes after the last write, is never seen: here it is remembered, later
 * writes are refused, and the command ends with one line on stderr and exit code 1.
 */
let failure: NodeJS.ErrnoException | null = null;

export function watchStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.OK);
    failure ??= error;
  });
}

/** The first failed write to stdout, if any. */
export function stdoutFailure(): NodeJS.ErrnoException | null {
  return failure;
}

/** Waits until everything written so far has reached stdout; resolves with the failure, if one happened. */
export function flushStdout(): Promise<NodeJS.ErrnoException | null> {
  if (failure || process.stdout.destroyed) return Promise.resolve(failure);
  return new Promise((resolve) => {
    process.stdout.write('', (error) => {
      if (error && !failure) failure = error as NodeJS.ErrnoException;
      // an 'error' event is emitted after the callback: let it arrive
      setImmediate(() => resolve(failure));
    });
  });
}

/** `cannot write to stdout: no space left on the device (ENOSPC)`. */
export function describeStdoutFailure(error: NodeJS.ErrnoException): string {
  const reason =
    error.code === 'ENOSPC'
      ? 'no space left on the device'
      : error.code === 'EIO'
        ? 'input/output error'
        : error.message.replace(/^\w+: /, '');
  return `cannot write to stdout: ${reason}${error.code ? ` (${error.code})` : ''}; the output is incomplete`;
}
