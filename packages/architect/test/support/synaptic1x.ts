/**
 * Test support: the npm package `synaptic@1.1.4`, the oracle of the differential tests, with a
 * minimal local view of its objects (it ships no types), and seeded randomness.
 */
import { createRequire } from 'node:module';

export interface Connection1x {
  ID: number;
  from: Neuron1x;
  to: Neuron1x;
  gater: Neuron1x | null;
}

export interface Neuron1x {
  ID: number;
  connections: { projected: Record<string, Connection1x>; gated: Record<string, Connection1x> };
  trace: { influences: Record<string, Connection1x[]> };
}

export interface Layer1x {
  list: Neuron1x[];
}

export interface Network1x {
  layers: { input: Layer1x; hidden: Layer1x[]; output: Layer1x };
  activate(input: number[]): number[];
  propagate(rate: number, target: number[]): void;
  setOptimize(optimize: boolean): void;
  toJSON(): unknown;
}

export interface LSTMOptions1x {
  peepholes?: string;
  hiddenToHidden?: boolean;
  outputToHidden?: boolean;
  outputToGates?: boolean;
  inputToOutput?: boolean;
}

interface Synaptic1x {
  Layer: { connectionType: { ALL_TO_ALL: string; ONE_TO_ONE: string; ALL_TO_ELSE: string } };
  Network: { fromJSON(json: unknown): Network1x };
  Trainer: new (network: Network1x) => { train(set: unknown, options: unknown): { error: number; iterations: number } };
  Architect: {
    Perceptron: new (...sizes: number[]) => Network1x;
    LSTM: new (...args: Array<number | LSTMOptions1x>) => Network1x;
    Liquid: new (inputs: number, pool: number, outputs: number, connections: number, gates: number) => Network1x;
    Hopfield: new (
      size: number,
    ) => Network1x & {
      learn(patterns: number[][]): { error: number; iterations: number };
      feed(pattern: number[]): number[];
    };
  };
}

const require = createRequire(import.meta.url);
export const synaptic1x = require('synaptic') as Synaptic1x;

/** Seeded randomness and deterministic data, shared with the other packages' tests. */
export { mulberry32, makeData as makeSteps, withSeededRandom as withSeededMathRandom } from '@synaptic/test-support';

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
