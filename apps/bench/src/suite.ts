import type { Table } from './lib/table.js';

/** Options shared by every suite; each suite reads the ones it understands. */
export interface RunOptions {
  /** Small sizes, for a CI smoke test. */
  quick: boolean;
  /** SIZE suite: the N of Perceptron(N, N, N); undefined means the suite's default. */
  sizes?: number[];
  /** Per child process, in milliseconds. */
  timeoutMs: number;
  /** Also run peers above the size where they are known to be very slow. */
  slowPeers: boolean;
  /** Progress lines (to the console in the CLI). */
  log: (line: string) => void;
}

export type TargetStatus = 'PASS' | 'FAIL' | 'NOT RUN';

export interface TargetResult {
  /** e.g. "N=1024 build < 1000 ms" */
  name: string;
  status: TargetStatus;
  /** What was measured, e.g. "412 ms". */
  measured: string;
}

/** One heading with an optional table and bullet lines (ratios, notes). */
export interface ReportBlock {
  heading: string;
  table?: Table;
  bullets: string[];
}

export interface SuiteReport {
  id: string;
  title: string;
  /** One line on what was run (sizes, timeouts...). */
  summary: string;
  blocks: ReportBlock[];
  targets: TargetResult[];
  /**
   * When every target name of the suite starts with it: a run of some suites into an existing
   * BENCHMARKS.md then also drops the suite's earlier rows whose names this run no longer has.
   */
  targetPrefix?: string;
  /** The "how measured" paragraph. */
  method: string;
}

export interface Suite {
  /** Short id used by `--suite`. */
  id: string;
  title: string;
  run(options: RunOptions): Promise<SuiteReport>;
}
