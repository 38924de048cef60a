/** What the MNIST-FULL worker (workers/mnist-full-worker.ts) prints, and the systems it knows. */

export const FULL_SYSTEMS = ['synaptic-f64', 'synaptic-f32', 'tfjs-wasm'] as const;
export type FullSystemId = (typeof FULL_SYSTEMS)[number];

/**
 * The seeds of run `seed` (1, 2, 3, …): the initial weights and the epochs' shuffles. Seed 1 is the
 * single run this suite made before it ran several (weights 42, shuffles 7); the others are 1000
 * apart, so no system's streams overlap another seed's. tfjs seeds its two kernels `weights` and
 * `weights + 1`; ours draws both from one generator seeded `weights`.
 */
export function seedsOf(seed: number): { weights: number; shuffle: number } {
  return { weights: 42 + 1000 * (seed - 1), shuffle: 7 + 1000 * (seed - 1) };
}

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

/** One seed's run (one child process). */
export interface FullSample {
  /** 1, 2, 3, …: the initial weights and the shuffles (`seedsOf`) */
  seed: number;
  epochs: number;
  train: number;
  test: number;
  batch: number;
  /** load averages (1, 5, 15 min) at the start and the end of the run */
  loadStart: number[];
  loadEnd: number[];
  systems: FullSystemSample[];
}
