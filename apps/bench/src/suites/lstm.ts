/**
 * LSTM suite: online training steps per second (activate + propagate) of LSTM(inputs, cells,
 * outputs) as synaptic 1.x's Architect.LSTM builds it, each (system, shape) in its own child process.
 */
import { fileURLToPath } from 'node:url';
import { bestOutcome, hasFiniteNumbers, notMeasuredText, runWorker, type Outcome } from '../lib/outcome.js';
import { formatFactor, formatMs, formatRate, ratio } from '../lib/ratio.js';
import { notRun, thresholdTarget } from '../lib/targets.js';
import type { Table } from '../lib/table.js';
import type { ReportBlock, RunOptions, Suite, SuiteReport, TargetResult } from '../suite.js';
import { benchLabel, LSTM_SYSTEM_IDS, type LstmSystemId } from '../systems.js';
import type { LstmSample } from '../workers/lstm-worker.js';

export type LstmShape = readonly [inputs: number, cells: number, outputs: number];

export const LSTM_SHAPES: readonly LstmShape[] = [
  [5, 3, 2],
  [7, 10, 7],
  [30, 30, 30],
];

export interface LstmTiming {
  /** Warm-up: at least this many steps... */
  warmSteps: number;
  /** ...and until this many ms have passed. */
  warmMs: number;
  /** Timed: at least this many steps, at most `maxSteps`, stopping after `budgetMs`. */
  minSteps: number;
  maxSteps: number;
  budgetMs: number;
  /** Each (shape, system) is measured in this many processes, interleaved with the others; the best is reported. */
  rounds: number;
}

export const FULL_LSTM: LstmTiming = {
  warmSteps: 20,
  warmMs: 500,
  minSteps: 30,
  maxSteps: 10_000_000,
  budgetMs: 3000,
  rounds: 2,
};
export const QUICK_LSTM: LstmTiming = { warmSteps: 5, warmMs: 0, minSteps: 30, maxSteps: 30, budgetMs: 0, rounds: 1 };

/** Targets at (30, 30, 30): compiled steps/s ÷ the peer's. */
export const TARGET_SHAPE: LstmShape = [30, 30, 30];
export const TARGET_VS_SYNAPTIC1 = 100;
export const TARGET_VS_NEATAPTIC = 10;

const WORKER = fileURLToPath(new URL('../workers/lstm-worker.ts', import.meta.url));

export type LstmOutcome = Outcome<LstmSample> & { system: LstmSystemId; shape: LstmShape };

export interface LstmOptions extends LstmTiming {
  shapes: readonly LstmShape[];
  timeoutMs: number;
  quick: boolean;
  systems?: readonly LstmSystemId[];
  log?: (line: string) => void;
}

function isLstmSample(value: unknown): value is LstmSample {
  return (
    hasFiniteNumbers(value, [
      'inputs',
      'cells',
      'outputs',
      'setupMs',
      'warmSteps',
      'steps',
      'ms',
      'stepsPerSec',
      'lastOutputSum',
    ]) && typeof (value as { system?: unknown }).system === 'string'
  );
}

export function shapeName(shape: LstmShape): string {
  return `(${shape.join(', ')})`;
}

function sameShape(a: LstmShape, b: LstmShape): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
}

export async function measureOne(system: LstmSystemId, shape: LstmShape, options: LstmOptions): Promise<LstmOutcome> {
  const args = [
    system,
    ...shape.map(String),
    ...[options.warmSteps, options.warmMs, options.minSteps, options.maxSteps, options.budgetMs].map(String),
  ];
  const outcome = await runWorker({ script: WORKER, args, timeoutMs: options.timeoutMs }, isLstmSample);
  return { ...outcome, system, shape };
}

/**
 * Every (shape, system) in its own child process, one at a time, `rounds` times over (all the
 * shapes and systems, then all again); the best round of each is kept.
 */
export async function measureLstm(options: LstmOptions): Promise<LstmOutcome[]> {
  const systems = options.systems ?? LSTM_SYSTEM_IDS;
  const cells = options.shapes.flatMap((shape) =>
    systems.map((system) => ({ shape, system, rounds: [] as LstmOutcome[] })),
  );
  for (let round = 1; round <= options.rounds; round++) {
    const tag = options.rounds > 1 ? ` (round ${round}/${options.rounds})` : '';
    for (const cell of cells) {
      if (cell.rounds.some((o) => o.status === 'unavailable')) continue;
      const label = `[lstm] ${shapeName(cell.shape)} ${benchLabel(cell.system)}${tag}`;
      options.log?.(`${label} …`);
      const o = await measureOne(cell.system, cell.shape, options);
      options.log?.(
        `${label}: ${o.status === 'ok' ? `${formatRate(o.sample.stepsPerSec)} steps/s` : notMeasuredText(o)}`,
      );
      cell.rounds.push(o);
    }
  }
  return cells.map(({ shape, system, rounds }) => ({ ...bestOutcome(rounds, (s) => s.stepsPerSec), system, shape }));
}

/** compiled steps/s ÷ the system's at `shape`; null without both. */
export function compiledOver(outcomes: readonly LstmOutcome[], system: LstmSystemId, shape: LstmShape): number | null {
  const find = (id: LstmSystemId) => outcomes.find((o) => o.system === id && sameShape(o.shape, shape));
  const compiled = find('compiled');
  const other = find(system);
  if (compiled?.status !== 'ok' || other?.status !== 'ok') return null;
  return ratio(compiled.sample.stepsPerSec, other.sample.stepsPerSec);
}

function tableFor(outcomes: readonly LstmOutcome[], shape: LstmShape): Table {
  return {
    headers: ['System', 'Steps/s', 'Steps timed', 'Build + warm-up (ms)', 'Compiled ÷ system'],
    rows: outcomes.map((o) => {
      const label =
        o.system === 'synaptic1' ? `${benchLabel(o.system)} (optimized, its default)` : benchLabel(o.system);
      if (o.status !== 'ok') return [label, notMeasuredText(o), '–', '–', '–'];
      const s = o.sample;
      const r = o.system === 'compiled' ? 1 : compiledOver(outcomes, o.system, shape);
      return [
        label,
        formatRate(s.stepsPerSec),
        String(s.steps),
        `${formatMs(s.setupMs)} (${s.warmSteps} steps)`,
        r === null ? '–' : formatFactor(r),
      ];
    }),
  };
}

function bulletsFor(outcomes: readonly LstmOutcome[], shape: LstmShape): string[] {
  return outcomes
    .filter((o) => o.system !== 'compiled')
    .map((o) => {
      const label = benchLabel(o.system);
      if (o.status !== 'ok') return `synaptic 2 compiled vs ${label}: no ratio, ${notMeasuredText(o)}`;
      const r = compiledOver(outcomes, o.system, shape);
      return r === null
        ? `synaptic 2 compiled vs ${label}: no ratio, synaptic 2 compiled was not measured`
        : `synaptic 2 compiled vs ${label}: ${formatFactor(r)} the steps per second`;
    });
}

export function lstmTargets(outcomes: readonly LstmOutcome[], options: LstmOptions): TargetResult[] {
  const specs: Array<{ system: LstmSystemId; threshold: number }> = [
    { system: 'synaptic1', threshold: TARGET_VS_SYNAPTIC1 },
    { system: 'neataptic', threshold: TARGET_VS_NEATAPTIC },
  ];
  return specs.map(({ system, threshold }) => {
    const name = `LSTM${shapeName(TARGET_SHAPE)} compiled vs ${benchLabel(system)} >= ${threshold}x`;
    if (options.quick) return notRun(name, `quick run (${options.minSteps} steps)`);
    const find = (id: LstmSystemId) => outcomes.find((o) => o.system === id && sameShape(o.shape, TARGET_SHAPE));
    const compiled = find('compiled');
    const other = find(system);
    if (compiled === undefined || other === undefined)
      return notRun(name, `${shapeName(TARGET_SHAPE)} not in this run`);
    if (compiled.status !== 'ok')
      return { name, status: 'FAIL', measured: `synaptic 2 compiled: ${notMeasuredText(compiled)}` };
    if (other.status !== 'ok') return notRun(name, `${benchLabel(system)}: ${notMeasuredText(other)}`);
    return thresholdTarget({
      name,
      value: compiledOver(outcomes, system, TARGET_SHAPE),
      threshold,
      format: formatFactor,
    });
  });
}

function method(options: LstmOptions): string {
  return [
    [
      "Each (shape, system) runs in its own `node` process (TypeScript through tsx). The network is LSTM(inputs, cells, outputs) with synaptic 1.x's default options: one memory block whose",
      "input, forget and output gates have bias 1; the forget gate gates the cells' self-connections (ONE_TO_ONE), the input gate the input -> cell projection (INPUT), the output gate the",
      'cell -> output projection (OUTPUT); peepholes ALL_TO_ALL from the cells to each gate; input -> output connections. Weights are drawn from a seeded `Math.random`.',
    ],
    [
      "**synaptic 2** is `new LSTM(inputs, cells, outputs)` from `@synaptic/architect` (1.x's `Architect.LSTM`: its differential test checks the same JSON and the same numbers as 1.x's interpreter),",
      'from the built `dist/`; *compiled* after `optimize(net)` (`@synaptic/compile`, its default, non-exact mode), *interpreted* without.',
      '**synaptic 1.x** is `new Architect.LSTM(inputs, cells, outputs)` in its default optimized mode, which its users got unless they called `setOptimize(false)`; it generates the',
      "network's code on the first activate (part of the warm-up). **neataptic** is `new architect.LSTM(inputs, cells, outputs)` trained with `propagate(0.1, 0, true, target)`.",
    ],
    [
      `A step is \`activate(x)\` then \`propagate(0.1, t)\`, x and t cycling through 64 pairs drawn from a seeded PRNG (uniform in [0, 1)). Warm-up: at least ${options.warmSteps} steps and`,
      `${options.warmMs} ms, untimed. Then steps are timed with \`performance.now()\` in chunks (doubled while a chunk takes under 25 ms): at least ${options.minSteps} steps,`,
      `until ${options.budgetMs / 1000} s have been spent. Each (shape, system) is measured in ${options.rounds} separate process${options.rounds > 1 ? 'es' : ''}, the rounds interleaved`,
      '(every shape and system once, then again), and the best is shown: on a shared machine, interference only slows a system down.',
      `"Compiled ÷ system" divides synaptic 2 compiled's steps per second by the system's.`,
      'One run on a shared machine: compare systems within a run, not across runs.',
    ],
  ]
    .map((lines) => lines.join(' '))
    .join('\n\n');
}

export function lstmReport(outcomes: readonly LstmOutcome[], options: LstmOptions): SuiteReport {
  const blocks: ReportBlock[] = options.shapes.map((shape) => {
    const forShape = outcomes.filter((o) => sameShape(o.shape, shape));
    return {
      heading: `LSTM${shapeName(shape)}`,
      table: tableFor(forShape, shape),
      bullets: bulletsFor(forShape, shape),
    };
  });
  return {
    id: 'lstm',
    title: 'LSTM: online training steps per second',
    summary:
      `Shapes (inputs, cells, outputs) ${options.shapes.map(shapeName).join(', ')}; ` +
      (options.quick
        ? `${options.minSteps} timed steps each`
        : `about ${options.budgetMs / 1000} s of timed steps each (at least ${options.minSteps})`) +
      `; best of ${options.rounds} interleaved process${options.rounds > 1 ? 'es' : ''} each; timeout ${options.timeoutMs / 1000} s per child process.`,
    blocks,
    targets: lstmTargets(outcomes, options),
    method: method(options),
  };
}

export const lstmSuite: Suite = {
  id: 'lstm',
  title: 'LSTM',
  async run(options: RunOptions): Promise<SuiteReport> {
    const lstmOptions: LstmOptions = {
      ...(options.quick ? QUICK_LSTM : FULL_LSTM),
      shapes: LSTM_SHAPES,
      timeoutMs: options.timeoutMs,
      quick: options.quick,
      log: options.log,
    };
    return lstmReport(await measureLstm(lstmOptions), lstmOptions);
  },
};
