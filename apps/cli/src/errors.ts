import { SynapticError } from '@synaptic/core';
import { TrainingDivergedError } from '@synaptic/trainer';

/** Exit codes of `synaptic`. */
export const EXIT = {
  OK: 0,
  /** Something failed that is not the input's fault: training diverged, a tool is missing, a bug. */
  FAILURE: 1,
  /** Bad input: a missing or malformed file, a model that does not fit the data, a bad option. */
  BAD_INPUT: 2,
  /** Ctrl-C (SIGINT) or SIGTERM: stopped cleanly, nothing half-written. */
  INTERRUPTED: 130,
} as const;

/** An error meant for the user: its message is printed as one line, without a stack (unless --debug). */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.FAILURE,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bad input: exit code 2. The message names the file, line or field, and what was expected. */
export class BadInputError extends CliError {
  override name = 'BadInputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.BAD_INPUT, options);
  }
}

/** The run was interrupted (SIGINT/SIGTERM) and stopped cleanly. */
export class InterruptedError extends CliError {
  override name = 'InterruptedError';
  constructor(message = 'interrupted') {
    super(message, EXIT.INTERRUPTED);
  }
}

/** One line: newlines in library messages are folded so that an error is always a single line. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * What to print for an error and which exit code to use. Library errors (`SynapticError`) are bad
 * input unless training diverged; anything else is unexpected (exit 1) and says so.
 */
export function describeError(error: unknown): { message: string; exitCode: number } {
  if (error instanceof CliError) return { message: oneLine(error.message), exitCode: error.exitCode };
  if (error instanceof TrainingDivergedError) return { message: oneLine(error.message), exitCode: EXIT.FAILURE };
  if (error instanceof SynapticError) return { message: oneLine(error.message), exitCode: EXIT.BAD_INPUT };
  const message = error instanceof Error ? error.message : String(error);
  return {
    message: `internal error: ${oneLine(message)} (run again with --debug to see where)`,
    exitCode: EXIT.FAILURE,
  };
}

/** A short description of a value for messages: `"abc"`, `null`, `an object`. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
