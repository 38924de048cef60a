/**
 * SIZE suite: build time, added memory and the first two training steps of Perceptron(N, N, N),
 * each (system, N) in its own `node --expose-gc` process so heap figures do not contaminate each other.
 */
import { fileURLToPath } from 'node:url';
import { runTsWorker } from '../lib/child.js';
import { bytesToMB, describeMemory, describeTime, formatMB, formatMs, ratio } from '../lib/ratio.js';
import type { Table } from '../lib/table.js';
import type { ReportBlock, RunOptions, Suite, SuiteReport, TargetResult } from '../suite.js';
import { SYSTEM_IDS, systemInfo, type SystemId } from '../systems.js';
import type { SizeSample } from '../workers/size-worker.js';

export const DEFAULT_SIZES: readonly number[] = [256, 512, 1024];
export const QUICK_SIZES: readonly number[] = [32, 64];

/** Targets for this project, checked at N = TARGET_N. */
export const TARGET_N = 1024;
export const TARGET_BUILD_MS = 1000;
export const TARGET_ADDED_MB = 64;

/** Flags of each child process; the heap limit leaves room for the object-per-connection peers. */
const NODE_ARGS = ['--expose-gc', '--max-old-space-size=8192'];
const WORKER = fileURLToPath(new URL('../workers/size-worker.ts', import.meta.url));

export type SizeOutcome =
  | { system: SystemId; n: number; status: 'ok'; sample: SizeSample }
  | { system: SystemId; n: number; status: 'skipped'; reason: string }
  | { system: SystemId; n: number; status: 'timeout'; afterMs: number }
  | { system: SystemId; n: number; status: 'error'; message: string };

export interface SizeOptions {
  sizes: readonly number[];
  timeoutMs: number;
  slowPeers: boolean;
  systems?: readonly SystemId[];
  log?: (line: string) => void;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isSizeSample(value: unknown): value is SizeSample {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<Record<keyof SizeSample, unknown>>;
  return (
    typeof v.system === 'string' &&
    isFiniteNumber(v.n) &&
    isFiniteNumber(v.buildMs) &&
    isFiniteNumber(v.addedBytes) &&
    isFiniteNumber(v.firstStepMs) &&
    isFiniteNumber(v.secondStepMs)
  );
}

/** Measures one (system, N) in a child process. */
export async function measureOne(system: SystemId, n: number, timeoutMs: number): Promise<SizeOutcome> {
  const outcome = await runTsWorker({ script: WORKER, args: [system, String(n)], timeoutMs, nodeArgs: NODE_ARGS });
  switch (outcome.kind) {
    case 'timeout':
      return { system, n, status: 'timeout', afterMs: outcome.afterMs };
    case 'error':
      return { system, n, status: 'error', message: outcome.message };
    case 'ok':
      if (!isSizeSample(outcome.result)) {
        return { system, n, status: 'error', message: `unexpected worker output ${JSON.stringify(outcome.result)}` };
      }
      return { system, n, status: 'ok', sample: outcome.result };
  }
}

/** Runs every (system, N), one child process at a time (in order of N, then system). */
export async function measureSizes(options: SizeOptions): Promise<SizeOutcome[]> {
  const systems = options.systems ?? SYSTEM_IDS;
  const outcomes: SizeOutcome[] = [];
  for (const n of options.sizes) {
    for (const system of systems) {
      const info = systemInfo(system);
      let outcome: SizeOutcome;
      if (!options.slowPeers && info.slowAbove !== undefined && n > info.slowAbove) {
        outcome = {
          system,
          n,
          status: 'skipped',
          reason: `skipped (${info.slowNote ?? `slow above N=${info.slowAbove}`})`,
        };
      } else {
        options.log?.(`[size] N=${n} ${info.label} …`);
        outcome = await measureOne(system, n, options.timeoutMs);
      }
      options.log?.(`[size] N=${n} ${info.label}: ${describeOutcome(outcome)}`);
      outcomes.push(outcome);
    }
  }
  return outcomes;
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return Number.isInteger(seconds) ? String(seconds) : seconds.toFixed(1);
}

/** "timed out after 120 s", "failed: ..." or the reason it was skipped. */
export function notMeasured(outcome: Exclude<SizeOutcome, { status: 'ok' }>): string {
  switch (outcome.status) {
    case 'skipped':
      return outcome.reason;
    case 'timeout':
      return `timed out after ${formatSeconds(outcome.afterMs)} s`;
    case 'error':
      return `failed: ${outcome.message.split('\n')[0]}`;
  }
}

function describeOutcome(outcome: SizeOutcome): string {
  if (outcome.status !== 'ok') return notMeasured(outcome);
  const s = outcome.sample;
  return `build ${formatMs(s.buildMs)} ms, +${formatMB(s.addedBytes)} MB, steps ${formatMs(s.firstStepMs)} / ${formatMs(s.secondStepMs)} ms`;
}

function tableFor(outcomes: SizeOutcome[]): Table {
  return {
    headers: ['System', 'Build (ms)', 'Added memory (MB)', '1st step (ms)', '2nd step (ms)'],
    rows: outcomes.map((o) => {
      const label = systemInfo(o.system).label;
      if (o.status !== 'ok') return [label, notMeasured(o), '–', '–', '–'];
      const s = o.sample;
      return [label, formatMs(s.buildMs), formatMB(s.addedBytes), formatMs(s.firstStepMs), formatMs(s.secondStepMs)];
    }),
  };
}

function ratioLines(outcomes: SizeOutcome[]): string[] {
  const base = outcomes.find((o) => o.system === 'this');
  const thisLabel = systemInfo('this').label;
  const lines: string[] = [];
  for (const o of outcomes) {
    if (o.system === 'this') continue;
    const label = systemInfo(o.system).label;
    if (o.status !== 'ok') {
      lines.push(`${label}: no ratio, ${notMeasured(o)}`);
      continue;
    }
    if (base === undefined || base.status !== 'ok') {
      lines.push(`${label}: no ratio, ${thisLabel} was not measured`);
      continue;
    }
    const p = o.sample;
    const b = base.sample;
    lines.push(
      `${label} vs ${thisLabel}: ${describeTime(ratio(p.buildMs, b.buildMs), 'builds')}, ` +
        `${describeMemory(ratio(p.addedBytes, b.addedBytes))}, ${describeTime(ratio(p.secondStepMs, b.secondStepMs), '2nd step')}`,
    );
  }
  return lines;
}

/** PASS/FAIL for this project at N = TARGET_N; NOT RUN when that size was not part of the run. */
export function sizeTargets(outcomes: SizeOutcome[]): TargetResult[] {
  const buildName = `N=${TARGET_N} build < ${TARGET_BUILD_MS} ms`;
  const memoryName = `N=${TARGET_N} added memory < ${TARGET_ADDED_MB} MB`;
  const o = outcomes.find((x) => x.system === 'this' && x.n === TARGET_N);
  if (o === undefined) {
    return [
      { name: buildName, status: 'NOT RUN', measured: `N=${TARGET_N} not in this run` },
      { name: memoryName, status: 'NOT RUN', measured: `N=${TARGET_N} not in this run` },
    ];
  }
  if (o.status !== 'ok') {
    const why = notMeasured(o);
    return [
      { name: buildName, status: 'FAIL', measured: why },
      { name: memoryName, status: 'FAIL', measured: why },
    ];
  }
  const s = o.sample;
  return [
    { name: buildName, status: s.buildMs < TARGET_BUILD_MS ? 'PASS' : 'FAIL', measured: `${formatMs(s.buildMs)} ms` },
    {
      name: memoryName,
      status: bytesToMB(s.addedBytes) < TARGET_ADDED_MB ? 'PASS' : 'FAIL',
      measured: `${formatMB(s.addedBytes)} MB`,
    },
  ];
}

const METHOD =
  'Each (system, N) runs in its own `node --expose-gc --max-old-space-size=8192` process (TypeScript through tsx), ' +
  'one at a time, so heap figures do not contaminate each other. The child loads the library, runs `gc()` twice and reads ' +
  '`process.memoryUsage()`, times the construction of Perceptron(N, N, N) with `performance.now()`, runs `gc()` twice again and ' +
  'reads memory again: added memory is the difference in `heapUsed + external` (`external` already includes `arrayBuffers`, ' +
  'so typed arrays are counted once), in MB of 2^20 bytes. It then times one `activate` + `propagate` (rate 0.1, ' +
  'N deterministic inputs and targets in [0, 1)) and a second one; the first includes JIT warm-up. ' +
  'synaptic 2 (this) is `@synaptic/core` from its built `dist/` (input, hidden and output Layers projected ALL_TO_ALL, in a Network); ' +
  'synaptic 1.x is `new Architect.Perceptron(N, N, N)` with `setOptimize(false)` (its optimizer would generate megabytes of code); ' +
  'neataptic is `new architect.Perceptron(N, N, N)` trained with `propagate(0.1, 0, true, target)`. ' +
  'Single runs, not averages: expect some noise between runs.';

export function sizeReport(outcomes: SizeOutcome[], options: SizeOptions): SuiteReport {
  const blocks: ReportBlock[] = options.sizes.map((n) => {
    const forN = outcomes.filter((o) => o.n === n);
    return { heading: `Perceptron(${n}, ${n}, ${n})`, table: tableFor(forN), bullets: ratioLines(forN) };
  });
  const slow = SYSTEM_IDS.map(systemInfo).filter((s) => s.slowAbove !== undefined);
  const slowText = options.slowPeers
    ? 'all systems at every N'
    : `${slow.map((s) => `${s.label} only at N <= ${s.slowAbove}`).join(', ')} (--slow-peers for more)`;
  return {
    id: 'size',
    title: 'SIZE: Perceptron(N, N, N)',
    summary: `N in ${options.sizes.join(', ')}; timeout ${formatSeconds(options.timeoutMs)} s per child process; ${slowText}.`,
    blocks,
    targets: sizeTargets(outcomes),
    method: METHOD,
  };
}

export const sizeSuite: Suite = {
  id: 'size',
  title: 'SIZE',
  async run(options: RunOptions): Promise<SuiteReport> {
    const sizeOptions: SizeOptions = {
      sizes: options.sizes ?? (options.quick ? QUICK_SIZES : DEFAULT_SIZES),
      timeoutMs: options.timeoutMs,
      slowPeers: options.slowPeers,
      log: options.log,
    };
    return sizeReport(await measureSizes(sizeOptions), sizeOptions);
  },
};
