/**
 * The Trainer's built-in tasks as `synaptic tasks` runs them: the network each one trains, its
 * settings (those of the trainer's own tests, which learn), and what the worker thread reports.
 */
import { optimize } from '@synaptic/compile';
import { LSTM, Perceptron } from '@synaptic/architect';
import type { Network } from '@synaptic/core';
import { Trainer } from '@synaptic/trainer';
import { withSeed } from './arch.js';

export const TASK_NAMES = ['xor', 'dsr', 'erg', 'timing'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

export interface TaskRequest {
  task: TaskName;
  /** Overrides the task's iterations (XOR: epochs of 4 samples; DSR, ERG: sequences; timing: epochs). */
  iterations?: number;
  seed: number;
  compile: boolean;
}

export interface TaskSummary {
  task: TaskName;
  network: string;
  iterations: number;
  /** The task's own error measure (see the trainer's README). */
  error: number;
  /** DSR: the share of the last block of 1000 sequences recalled without a mistake. */
  success?: number;
  /** Timing: the error on the test samples. */
  testError?: number;
  /** What "learned" means for this task, and whether it did. */
  verdict: string;
  seconds: number;
}

export type WorkerMessage =
  | { type: 'start'; total: number; network: string; unit: string }
  | { type: 'progress'; iterations: number; error: number; success?: number }
  | { type: 'done'; summary: TaskSummary }
  /** `synaptic`: a SynapticError other than divergence, i.e. bad input (exit code 2). */
  | { type: 'failed'; message: string; name: string; stack?: string; synaptic: boolean };

export interface TaskDefinition {
  network: string;
  unit: string;
  /** Default iterations (the bar's total). */
  iterations: number;
  description: string;
  build: () => Network;
  run: (
    trainer: Trainer,
    network: Network,
    iterations: number,
    seed: number,
    onProgress: (p: { iterations: number; error: number; success?: number }) => void,
  ) => Omit<TaskSummary, 'task' | 'network' | 'seconds'>;
}

const DSR_TARGETS = [2, 4];
const DSR_DISTRACTORS = [3, 5];
const DSR_PROMPTS = [0, 1];

export const TASKS: Record<TaskName, TaskDefinition> = {
  xor: {
    network: 'perceptron 2-3-1',
    unit: 'epochs',
    iterations: 100000,
    description: 'XOR: learn the 4 cases until the mean squared error is at most 0.005',
    build: () => new Perceptron(2, 3, 1),
    run: (trainer, network, iterations, seed, onProgress) => {
      const r = trainer.XOR({ iterations, seed, onProgress, progressEvery: 50 });
      const cases: Array<[number[], number]> = [
        [[0, 0], 0],
        [[0, 1], 1],
        [[1, 0], 1],
        [[1, 1], 0],
      ];
      const right = cases.filter(([input, target]) => Math.round(network.activate(input)[0]) === target).length;
      return {
        iterations: r.iterations,
        error: r.error,
        verdict: `${right}/4 cases right${r.error <= 0.005 ? ', error <= 0.005' : ''}`,
      };
    },
  },
  dsr: {
    network: 'LSTM 6-3-2',
    unit: 'sequences',
    iterations: 250000,
    description:
      'distracted sequence recall: recall targets 2 and 4 among distractors 3 and 5 when prompted (sequences of 9), until 95% of 1000 sequences are perfect',
    build: () => new LSTM(6, 3, 2),
    run: (trainer, _network, iterations, seed, onProgress) => {
      const r = trainer.DSR({
        targets: DSR_TARGETS,
        distractors: DSR_DISTRACTORS,
        prompts: DSR_PROMPTS,
        length: 9,
        rate: 0.17,
        iterations,
        seed,
        log: false,
        onProgress,
        progressEvery: 100,
      });
      return {
        iterations: r.iterations,
        error: r.error,
        success: r.success,
        verdict: `${(100 * r.success).toFixed(0)}% of a block of sequences recalled${r.success >= 0.95 ? ' (>= 95%: learned)' : ''}`,
      };
    },
  },
  erg: {
    network: 'LSTM 6-8-6',
    unit: 'strings',
    iterations: 20000,
    description: 'embedded Reber grammar: predict the next symbol of fresh grammar strings',
    build: () => new LSTM(6, 8, 6),
    run: (trainer, _network, iterations, seed, onProgress) => {
      const r = trainer.ERG({
        iterations,
        error: 0,
        rate: [0.1, 0.05, 0.02, 0.01],
        log: false,
        seed,
        onProgress,
        progressEvery: 100,
      });
      return {
        iterations: r.iterations,
        error: r.error,
        verdict: `error ${r.error.toFixed(3)} over the last strings (1.x's measure)`,
      };
    },
  },
  timing: {
    network: 'LSTM 2-7-1',
    unit: 'epochs',
    iterations: 200,
    description: 'timing task: output a pulse of a given length after a trigger (4000 training steps, 500 test steps)',
    build: () => new LSTM(2, 7, 1),
    run: (trainer, _network, iterations, seed, onProgress) => {
      const r = trainer.timingTask({
        iterations,
        trainSamples: 4000,
        testSamples: 500,
        log: false,
        seed,
        onProgress,
        progressEvery: 1,
      });
      return {
        iterations: r.train.iterations,
        error: r.train.error,
        testError: r.test.error,
        verdict: `test error ${r.test.error.toFixed(4)}${r.test.error < 0.05 ? ' (< 0.05: learned)' : ''}`,
      };
    },
  },
};

/** Runs one task in this thread. */
export function runTask(request: TaskRequest, post: (message: WorkerMessage) => void): void {
  const definition = TASKS[request.task];
  const network = withSeed(request.seed, definition.build);
  if (request.compile) optimize(network);
  const iterations = request.iterations ?? definition.iterations;
  post({ type: 'start', total: iterations, network: definition.network, unit: definition.unit });
  const started = performance.now();
  const trainer = new Trainer(network);
  const result = definition.run(trainer, network, iterations, request.seed, (p) =>
    post({
      type: 'progress',
      iterations: p.iterations,
      error: p.error,
      ...(p.success !== undefined ? { success: p.success } : {}),
    }),
  );
  post({
    type: 'done',
    summary: {
      task: request.task,
      network: definition.network,
      seconds: (performance.now() - started) / 1000,
      ...result,
    },
  });
}
