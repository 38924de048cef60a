import { InvalidArgumentError, Layer, Network } from '@synaptic/core';
import { Trainer } from '@synaptic/trainer';
import { checkOptions, checkSize, describeValue } from './validate.js';

/** What `Hopfield.learn` trains with, 1.x's values by default. */
export interface HopfieldLearnOptions {
  /** Default 500000. */
  iterations?: number;
  /** Target mean squared error; default 0.00005. */
  error?: number;
  /** Learning rate; default 1. */
  rate?: number;
}

/** `learn`'s result, the trainer's: the last error, the iterations run and the time in ms. */
export interface HopfieldLearnResult {
  error: number;
  iterations: number;
  time: number;
}

const LEARN_DEFAULTS = { iterations: 500000, error: 0.00005, rate: 1 };

/**
 * 1.x's `Architect.Hopfield`: `new Hopfield(size)`, an auto-associative memory for binary patterns
 * of `size` bits. An input layer projects ALL_TO_ALL onto an output layer of LOGISTIC units;
 * `learn(patterns)` trains it (with `@synaptic/trainer`) to reproduce each pattern, and
 * `feed(pattern)` returns the stored pattern it associates with `pattern` (each output rounded at
 * 0.5), which recalls a stored pattern from a corrupted copy.
 *
 * As in 1.x, this is a trained one-step associator rather than Hopfield's energy-minimising
 * recurrent network: there are no recurrent connections and `feed` is a single forward pass.
 */
export class Hopfield extends Network {
  readonly size: number;

  constructor(size: number) {
    super();
    this.size = checkSize(size, 'Hopfield size (argument 1)');
    const input = new Layer(size);
    const output = new Layer(size);
    input.project(output, Layer.connectionType.ALL_TO_ALL);
    this.set({ input, hidden: [], output });
  }

  /**
   * Trains the network to reproduce each of `patterns` (arrays of `size` zeros and ones), in
   * order, until the mean squared error is below 0.00005 or after 500000 passes, at rate 1 (1.x's
   * settings; `options` may change them).
   */
  learn(patterns: ReadonlyArray<ArrayLike<number>>, options: HopfieldLearnOptions = {}): HopfieldLearnResult {
    if (!Array.isArray(patterns) || patterns.length === 0) {
      throw new InvalidArgumentError(
        `Hopfield.learn: patterns must be a non-empty array of patterns, got ${describeValue(patterns)}`,
      );
    }
    const set = patterns.map((pattern, p) => {
      const bits = this.checkPattern(pattern, `Hopfield.learn: patterns[${p}]`);
      return { input: bits, output: bits.slice() };
    });
    const given = checkOptions(options, Object.keys(LEARN_DEFAULTS), 'Hopfield.learn options');
    const settings = { ...LEARN_DEFAULTS };
    for (const key of Object.keys(LEARN_DEFAULTS) as Array<keyof typeof LEARN_DEFAULTS>) {
      if (given[key] !== undefined) settings[key] = given[key] as number;
    }
    return new Trainer(this).train(set, settings);
  }

  /** The stored pattern the network associates with `pattern`: its outputs rounded to 0 or 1. */
  feed(pattern: ArrayLike<number>): number[] {
    const output = this.activate(this.checkPattern(pattern, 'Hopfield.feed: pattern'));
    return output.map((y) => (y > 0.5 ? 1 : 0));
  }

  private checkPattern(pattern: unknown, what: string): number[] {
    if (!Array.isArray(pattern) && !(ArrayBuffer.isView(pattern) && !(pattern instanceof DataView))) {
      throw new InvalidArgumentError(
        `${what} must be an array of ${this.size} zeros and ones, got ${describeValue(pattern)}`,
      );
    }
    const list = pattern as ArrayLike<unknown>;
    if (list.length !== this.size)
      throw new InvalidArgumentError(`${what} must have ${this.size} values (the network's size), got ${list.length}`);
    const bits: number[] = [];
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (v !== 0 && v !== 1) throw new InvalidArgumentError(`${what}[${i}] must be 0 or 1, got ${describeValue(v)}`);
      bits.push(v);
    }
    return bits;
  }
}
