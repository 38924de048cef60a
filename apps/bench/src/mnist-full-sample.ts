/** What the MNIST-FULL worker (workers/mnist-full-worker.ts) prints, and the systems it knows. */

export const FULL_SYSTEMS = ['synaptic-f64', 'synaptic-f32', 'tfjs-wasm'] as const;
export type FullSystemId = (typeof FULL_SYSTEMS)[number];

export interface FullEpoch {
  wallMs: number;
  /** this process's CPU time over the epoch (all threads) */
  cpuMs: number;
  /** the epoch's mean training loss, as the system reports it */
  loss: number;
  /** the 1-minute load average when the epoch started */
  load: number;
}

export interface FullSystemSample {
  id: FullSystemId;
  epochs: FullEpoch[];
  /** right answers on the test digits after the last epoch (argmax) */
  accuracy: number;
  unavailable?: string;
}

export interface FullSample {
  epochs: number;
  train: number;
  test: number;
  batch: number;
  /** load averages (1, 5, 15 min) at the start and the end of the run */
  loadStart: number[];
  loadEnd: number[];
  systems: FullSystemSample[];
}
