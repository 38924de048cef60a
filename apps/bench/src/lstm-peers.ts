/**
 * The systems of the LSTM suite, loaded inside a worker process: LSTM(inputs, cells, outputs)
 * as synaptic 1.x's `Architect.LSTM` builds it with default options, trained online.
 */
import { requirePeer } from './lib/worker-main.js';
import { loadArchitect, loadCompile } from './peers.js';
import type { LstmSystemId } from './systems.js';

export interface LstmModel {
  activate(input: number[]): ArrayLike<number>;
  propagate(rate: number, target: number[]): void;
}

export type LstmFactory = (inputs: number, cells: number, outputs: number) => LstmModel;

interface Synaptic1Module {
  Architect: {
    LSTM: new (...sizes: number[]) => { activate(x: number[]): number[]; propagate(rate: number, y: number[]): void };
  };
}

interface NeatapticModule {
  architect: {
    LSTM: new (
      ...sizes: number[]
    ) => {
      activate(x: number[]): number[];
      propagate(rate: number, momentum: number, update: boolean, y: number[]): void;
    };
  };
}

/** Builds draw their random weights from `Math.random`, which the worker seeds first. */
export async function loadLstmSystem(id: LstmSystemId): Promise<LstmFactory> {
  switch (id) {
    case 'compiled':
    case 'interpreted': {
      const { LSTM } = await loadArchitect();
      const optimize = id === 'compiled' ? (await loadCompile()).optimize : null;
      return (i, c, o) => {
        // @synaptic/architect's LSTM: 1.x's Architect.LSTM, identical in structure and weights
        const net = new LSTM(i, c, o);
        if (optimize) optimize(net);
        return { activate: (x) => net.activate(x), propagate: (rate, y) => net.propagate(rate, y) };
      };
    }
    case 'synaptic1': {
      const synaptic = requirePeer<Synaptic1Module>('synaptic');
      // default mode: optimized (1.x generates the network's code on the first activate)
      return (i, c, o) => new synaptic.Architect.LSTM(i, c, o);
    }
    case 'neataptic': {
      const neataptic = requirePeer<NeatapticModule>('neataptic');
      return (i, c, o) => {
        const net = new neataptic.architect.LSTM(i, c, o);
        return { activate: (x) => net.activate(x), propagate: (rate, y) => net.propagate(rate, 0, true, y) };
      };
    }
  }
}
