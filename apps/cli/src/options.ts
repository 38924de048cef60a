import { Trainer, type CostFunction } from '@synaptic/trainer';
import { InvalidArgumentError, Option, type Command } from 'commander';

export type { CommonOptions } from './output.js';

/** Parsers for option values: a bad value is reported by commander as one line, exit code 2. */

export function positiveInteger(value: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number.');
  return n;
}

export function nonNegativeInteger(value: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number >= 0.');
  return n;
}

export function seedValue(value: string): number {
  const n = /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number.');
  return n;
}

export function nonNegativeNumber(value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0.');
  return n;
}

/** `0.1` or `0.05,0.02,0.01` (spread over the epochs). */
export function rateList(value: string): number[] {
  const rates = value.split(',').map((part) => (part.trim() === '' ? NaN : Number(part)));
  if (rates.some((r) => !Number.isFinite(r) || r < 0)) {
    throw new InvalidArgumentError(
      'expected a rate (a number >= 0) or rates separated by commas, e.g. 0.05,0.02,0.01.',
    );
  }
  return rates;
}

export function nameList(value: string): string[] {
  const names = value.split(',').map((s) => s.trim());
  if (names.some((n) => n === ''))
    throw new InvalidArgumentError('expected column names separated by commas, e.g. y or out:a,out:b.');
  return names;
}

export const COSTS = {
  mse: Trainer.cost.MSE,
  'cross-entropy': Trainer.cost.CROSS_ENTROPY,
  binary: Trainer.cost.BINARY,
} as const satisfies Record<string, CostFunction>;
export type CostName = keyof typeof COSTS;

export function costOption(fallback: CostName = 'mse'): Option {
  return new Option(
    '--cost <name>',
    "the cost: on the gradient path (--optimizer and the other gradient flags) the one minimised; on 1.x's path only what the error is measured with (its gradient is t - y whatever the cost)",
  )
    .choices(Object.keys(COSTS))
    .default(fallback);
}

/** --json, --quiet and --debug, on every command. */
export function addCommonOptions(command: Command): Command {
  return command
    .option('--json', 'print the result as one JSON document on stdout (progress and status still go to stderr)')
    .option('-q, --quiet', 'print nothing but errors (and the --json document)')
    .option('--debug', 'show the stack trace of errors');
}
