import type { SquashName } from '../squash.js';

/** A unit in synaptic 1.x's JSON. `layer` is "input", "output" or the hidden layer's index. */
export interface NeuronJSON {
  trace: { elegibility: Record<string, number>; extended: Record<string, Record<string, number>> };
  state: number;
  old: number;
  activation: number;
  bias: number;
  layer: 'input' | 'output' | number;
  squash: SquashName | null;
}

/** A connection in 1.x's JSON: indices into `neurons`; from === to is a self-connection. */
export interface ConnectionJSON {
  from: number;
  to: number;
  weight: number;
  gater: number | null;
}

export interface NetworkJSON {
  neurons: NeuronJSON[];
  connections: ConnectionJSON[];
}
