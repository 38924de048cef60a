/**
 * The one handle on the oracle, the npm package `synaptic@1.1.4`: a local view of the part of its
 * objects the tests use (it ships no types), and small helpers over it. Every package's tests
 * reach 1.x through here.
 */
import { createRequire } from 'node:module';

export type Squash1x = (x: number, derivate?: boolean) => number;

/** The squash names 1.x's toJSON can write (anything else is written as null). */
export type SquashName1x = 'LOGISTIC' | 'TANH' | 'IDENTITY' | 'HLIM' | 'RELU';

export interface Connection1x {
  ID: number;
  from: Neuron1x;
  to: Neuron1x;
  weight: number;
  gain: number;
  gater: Neuron1x | null;
}

export interface Neuron1x {
  ID: number;
  bias: number;
  squash: Squash1x;
  selfconnection: Connection1x;
  connections: { projected: Record<string, Connection1x>; gated: Record<string, Connection1x> };
  trace: { influences: Record<string, Connection1x[]> };
  project(neuron: Neuron1x, weight?: number): Connection1x;
  gate(connection: Connection1x): void;
}

export interface LayerConnection1x {
  ID: number;
  size: number;
  list: Connection1x[];
}

export interface Layer1x {
  size: number;
  list: Neuron1x[];
  /** Returns undefined (silently!) when the layers are already connected. */
  project(layer: Layer1x, type?: string, weights?: number): LayerConnection1x | undefined;
  gate(connection: LayerConnection1x, type: string): void;
  set(options: { squash?: Squash1x; bias?: number; label?: string }): Layer1x;
}

/** 1.x's JSON as the tests read it (1.x writes more fields; these are the ones compared). */
export interface JsonView1x {
  neurons: Array<{ bias: number; layer: 'input' | 'output' | number; squash: string | null }>;
  connections: Array<{ from: number; to: number; weight: number; gater?: number | null }>;
}

export interface Network1x {
  layers: { input: Layer1x; hidden: Layer1x[]; output: Layer1x };
  activate(input: number[]): number[];
  propagate(rate: number, target: number[]): void;
  setOptimize(optimize: boolean): void;
  toJSON(): JsonView1x;
}

export interface Hopfield1x extends Network1x {
  learn(patterns: number[][]): { error: number; iterations: number };
  feed(pattern: number[]): number[];
}

export interface LSTMOptions1x {
  peepholes?: string;
  hiddenToHidden?: boolean;
  outputToHidden?: boolean;
  outputToGates?: boolean;
  inputToOutput?: boolean;
}

export interface Result1x {
  error: number;
  iterations: number;
}

export type Set1x = Array<{ input: number[]; output: number[] }>;

export interface Trainer1x {
  train(set: Set1x, options?: Record<string, unknown>): Result1x & { time: number };
  test(set: Set1x, options?: Record<string, unknown>): { error: number };
  XOR(options?: Record<string, unknown>): Result1x;
  DSR(options?: Record<string, unknown>): Result1x & { success: number };
  ERG(options?: Record<string, unknown>): Result1x & { test(text: string): boolean };
  timingTask(options?: Record<string, unknown>): { train: Result1x; test: { error: number } };
}

export interface Synaptic1x {
  Neuron: { new (): Neuron1x; squash: Record<SquashName1x, Squash1x> };
  Layer: {
    new (size: number): Layer1x;
    connectionType: { ALL_TO_ALL: string; ONE_TO_ONE: string; ALL_TO_ELSE: string };
    gateType: { INPUT: string; OUTPUT: string; ONE_TO_ONE: string };
  };
  Network: {
    new (layers: { input: Layer1x; hidden: Layer1x[]; output: Layer1x }): Network1x;
    fromJSON(json: unknown): Network1x;
  };
  Trainer: (new (
    network: Network1x,
    options?: Record<string, unknown>,
  ) => Trainer1x) & {
    cost: Record<'MSE' | 'CROSS_ENTROPY' | 'BINARY', (target: number[], output: number[]) => number>;
  };
  Architect: {
    Perceptron: new (...sizes: number[]) => Network1x;
    LSTM: new (...args: Array<number | LSTMOptions1x>) => Network1x;
    Liquid: new (inputs: number, pool: number, outputs: number, connections: number, gates: number) => Network1x;
    Hopfield: new (size: number) => Hopfield1x;
  };
}

const require = createRequire(import.meta.url);

/** synaptic 1.1.4 itself. */
export const synaptic1x = require('synaptic') as Synaptic1x;

/** A 1.x network with the weights of `json`, run by 1.x's reference interpreter (never its generated code). */
export function network1x(json: unknown): Network1x {
  const net = synaptic1x.Network.fromJSON(json);
  net.setOptimize(false);
  return net;
}

/** The weights and biases of a JSON (ours or 1.x's), for comparisons that ignore unit states. */
export function parameters(json: {
  connections: ReadonlyArray<{ weight: number }>;
  neurons: ReadonlyArray<{ bias: number }>;
}): { weights: number[]; biases: number[] } {
  return { weights: json.connections.map((c) => c.weight), biases: json.neurons.map((n) => n.bias) };
}

/**
 * What 1.x's Liquid did with its random picks that core does not do:
 * - `duplicates`: parallel A→B connections (1.x made one when A→B and B→A both existed);
 * - `regated`: connections gated by a unit and later re-gated by another one (1.x left both
 *   writing the gain, its JSON shows the latest gater);
 * - `gatedTwice`: connections gated twice by the same unit (1.x counted the influence twice).
 */
export function liquidQuirks1x(net: Network1x): { duplicates: number; regated: number; gatedTwice: number } {
  let duplicates = 0;
  let regated = 0;
  let gatedTwice = 0;
  for (const neuron of net.layers.hidden[0].list) {
    const targets = new Map<number, number>();
    for (const c of Object.values(neuron.connections.projected)) targets.set(c.to.ID, (targets.get(c.to.ID) ?? 0) + 1);
    for (const n of targets.values()) if (n > 1) duplicates += n - 1;
    for (const c of Object.values(neuron.connections.gated)) if (c.gater !== neuron) regated++;
    for (const list of Object.values(neuron.trace.influences)) gatedTwice += list.length - new Set(list).size;
  }
  return { duplicates, regated, gatedTwice };
}
