/** What the TRANSFORMER worker (workers/transformer-worker.ts) prints, and the systems it knows. */

export const TRANSFORMER_SYSTEMS = ['reference', 'interpreted', 'compiled'] as const;
export type TransformerSystemId = (typeof TRANSFORMER_SYSTEMS)[number];

export interface TransformerSystemSample {
  id: TransformerSystemId;
  /** training steps per second, one per round */
  rates: number[];
  /** this process's CPU time ÷ wall time over the system's timed rounds */
  cpuPerWall: number;
  unavailable?: string;
}

export interface TransformerSample {
  shape: { length: number; dModel: number; heads: number; ff: number };
  rounds: number;
  /** seconds each system is timed per round */
  seconds: number;
  /**
   * The largest |difference| between the graph's outputs (interpreted, and compiled when it ran)
   * and the hand-written reference's, on every input of the pool after the same training steps from
   * the same parameters: the systems timed compute the same function and the same gradients.
   */
  maxDifference: number;
  loadStart: number[];
  loadEnd: number[];
  systems: TransformerSystemSample[];
}
