import type { Network } from '@synaptic/core';
import type { CostFunction } from '@synaptic/trainer';
import type { Sample } from './data.js';
import { checkInterrupted, yieldToEventLoop } from './interrupt.js';

export interface Evaluation {
  samples: number;
  /** Mean cost over the samples. */
  error: number;
  /** Set when the targets are classes: one-hot vectors (several outputs) or 0/1 (one output). */
  classification: {
    classes: number;
    correct: number;
    accuracy: number;
    /** confusion[actual][predicted] */
    confusion: number[][];
    /** The predicted class of every sample, in order. */
    predicted: number[];
    actual: number[];
  } | null;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Whether every target is a class label: exactly one 1 among 0s, or a single 0/1. */
export function isClassification(samples: readonly Sample[]): boolean {
  return samples.every(({ output }) =>
    output.length === 1
      ? output[0] === 0 || output[0] === 1
      : output.every((t) => t === 0 || t === 1) && output.filter((t) => t === 1).length === 1,
  );
}

/** Activates the network on every sample (without training) and scores it. */
export async function evaluate(
  network: Network,
  samples: readonly Sample[],
  cost: CostFunction,
  interruptedNote = 'nothing was written',
): Promise<Evaluation> {
  const classify = isClassification(samples);
  const classes = network.outputs() === 1 ? 2 : network.outputs();
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const predicted: number[] = [];
  const actual: number[] = [];
  let sum = 0;
  let correct = 0;
  let lastYield = performance.now();
  for (const sample of samples) {
    const y = network.activate(sample.input);
    sum += cost(Array.isArray(sample.output) ? sample.output : Array.from(sample.output), y);
    if (classify) {
      const p = y.length === 1 ? (y[0] >= 0.5 ? 1 : 0) : argmax(y);
      const a = sample.output.length === 1 ? sample.output[0] : argmax(sample.output);
      confusion[a][p]++;
      predicted.push(p);
      actual.push(a);
      if (p === a) correct++;
    }
    if (performance.now() - lastYield > 50) {
      await yieldToEventLoop();
      lastYield = performance.now();
      checkInterrupted(`interrupted during evaluation: ${interruptedNote}`);
    }
  }
  return {
    samples: samples.length,
    error: sum / samples.length,
    classification: classify
      ? { classes, correct, accuracy: correct / samples.length, confusion, predicted, actual }
      : null,
  };
}
