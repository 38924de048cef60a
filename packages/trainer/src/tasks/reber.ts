import type { RandomSource } from '@synaptic/core';
import { pick } from '../random.js';

/**
 * The embedded Reber grammar as 1.x's ERG task defines it: B, then P or T, then a Reber string
 * (B ... E, over B T P S X V E), then T after the P branch or P after the T branch, then E.
 * (1.x closes each branch with the other letter than the usual ERG; the long-range dependency,
 * which the network must remember across the inner string, is the same.)
 *
 * Each state lists its transitions in 1.x's order, so that random walks draw as 1.x drew them:
 * one random number per symbol, `random() * choices | 0`.
 */
type State = ReadonlyArray<readonly [symbol: string, next: string]>;

function reber(prefix: string, exit: readonly [string, string]): Record<string, State> {
  const s = (name: string) => `${prefix}${name}`;
  return {
    [s('in')]: [['B', s('6')]],
    [s('6')]: [
      ['T', s('4')],
      ['P', s('5')],
    ],
    [s('4')]: [
      ['X', s('2')],
      ['S', s('4')],
    ],
    [s('5')]: [
      ['V', s('3')],
      ['T', s('5')],
    ],
    [s('2')]: [
      ['S', s('1')],
      ['X', s('5')],
    ],
    [s('3')]: [
      ['V', s('1')],
      ['P', s('2')],
    ],
    [s('1')]: [['E', s('out')]],
    [s('out')]: [exit],
  };
}

const GRAMMAR: Readonly<Record<string, State>> = Object.freeze({
  start: [['B', 'branch']],
  branch: [
    ['P', 'p:in'],
    ['T', 't:in'],
  ],
  ...reber('p:', ['T', 'close']),
  ...reber('t:', ['P', 'close']),
  close: [['E', 'end']],
  end: [],
});

/** A random embedded Reber string. */
export function generateERG(random: RandomSource): string {
  let state = 'start';
  let text = '';
  for (let paths = GRAMMAR[state]; paths.length > 0; paths = GRAMMAR[state]) {
    const [symbol, next] = paths[pick(random, paths.length)];
    text += symbol;
    state = next;
  }
  return text;
}

/** The state after reading `text` from the start, or null if the grammar does not allow it. */
function walk(text: string): string | null {
  let state = 'start';
  for (const ch of text) {
    const step = GRAMMAR[state].find(([symbol]) => symbol === ch);
    if (!step) return null;
    state = step[1];
  }
  return state;
}

/**
 * Whether `text` is a whole embedded Reber string. (1.x's `test` accepted any prefix of one,
 * the empty string included.)
 */
export function isERG(text: string): boolean {
  return walk(text) === 'end';
}

/** The symbols that may follow `prefix`, or null when `prefix` is not the start of a string. */
export function ergContinuations(prefix: string): string[] | null {
  const state = walk(prefix);
  return state === null ? null : GRAMMAR[state].map(([symbol]) => symbol);
}
