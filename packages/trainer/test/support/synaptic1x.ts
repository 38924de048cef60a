/**
 * synaptic 1.1.4 as an oracle: its Trainer driving its reference interpreter
 * (`setOptimize(false)`), on networks loaded from our JSON, with `Math.random` replaced by a
 * seeded generator for the duration of a call.
 */
import { createRequire } from 'node:module';
import type { NetworkJSON } from '@synaptic/core';

export interface Network1x {
  activate(input: number[]): number[];
  propagate(rate: number, target: number[]): void;
  setOptimize(optimize: boolean): void;
  toJSON(): NetworkJSON;
}

interface Result1x {
  error: number;
  iterations: number;
}

export interface Trainer1x {
  train(
    set: Array<{ input: number[]; output: number[] }>,
    options?: Record<string, unknown>,
  ): Result1x & { time: number };
  test(set: Array<{ input: number[]; output: number[] }>, options?: Record<string, unknown>): { error: number };
  XOR(options?: Record<string, unknown>): Result1x;
  DSR(options?: Record<string, unknown>): Result1x & { success: number };
  ERG(options?: Record<string, unknown>): Result1x & { test(text: string): boolean };
  timingTask(options?: Record<string, unknown>): { train: Result1x; test: { error: number } };
}

interface Synaptic1x {
  Network: { fromJSON(json: NetworkJSON): Network1x };
  Trainer: (new (
    network: Network1x,
    options?: Record<string, unknown>,
  ) => Trainer1x) & {
    cost: Record<'MSE' | 'CROSS_ENTROPY' | 'BINARY', (t: number[], o: number[]) => number>;
  };
}

const require = createRequire(import.meta.url);
export const synaptic1x = require('synaptic') as Synaptic1x;

/** A 1.x network with the weights of `json`, run by 1.x's interpreter. */
export function network1x(json: NetworkJSON): Network1x {
  const net = synaptic1x.Network.fromJSON(json);
  net.setOptimize(false);
  return net;
}

/** Runs `fn` with `Math.random` replaced by `mulberry32(seed)`; always restores it. */
export { withSeededRandom as withSeededMath } from '@synaptic/test-support';

/** The weights and biases of a JSON, for comparisons that ignore unit states. */
export function parameters(json: NetworkJSON): { weights: number[]; biases: number[] } {
  return { weights: json.connections.map((c) => c.weight), biases: json.neurons.map((n) => n.bias) };
}
