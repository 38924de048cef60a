/** `synaptic train` with the gradient path's pinned flags. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, lines, runCli, tempDir } from './helpers.js';

const dir = tempDir();

interface Report {
  optimizer: string;
  batchSize: number;
  epochs: number;
  trainingError: number;
  samplesPerSecond: number;
  trainSamples: number;
  history: { epoch: number; loss: number; validationLoss?: number; rate: number }[];
  test?: { samples: number; accuracy: number };
  trainingSet?: { samples: number; accuracy: number };
}

describe('train with the gradient flags', () => {
  it('--optimizer adam --batch-size on xor learns it', async () => {
    const result = await runCli(
      // (a 2-3-1 on xor has local minima: seed 4 starts outside them)
      [
        'train',
        '--data',
        'xor',
        '--optimizer',
        'adam',
        '--rate',
        '0.1',
        '--batch-size',
        '4',
        '--epochs',
        '1000',
        '--seed',
        '4',
        '--json',
        '--quiet',
      ],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report).toMatchObject({ optimizer: 'adam', batchSize: 4 });
    expect(report.history.length).toBe(report.epochs);
    expect(report.trainingSet?.accuracy).toBe(1);
    expect(report.history[report.history.length - 1].loss).toBeLessThan(report.history[0].loss / 5);
  });

  it('full MNIST with --validation, --early-stop, --l2, --schedule, --cost and --output-squash', async () => {
    const result = await runCli(
      [
        'train',
        '--data',
        'mnist-full',
        '--train-size',
        '400',
        '--test-size',
        '100',
        '--epochs',
        '3',
        '--optimizer',
        'adam',
        '--batch-size',
        '16',
        '--output-squash',
        'softmax',
        '--cost',
        'cross-entropy',
        '--l2',
        '0.0001',
        '--validation',
        '0.25',
        '--early-stop',
        '2',
        '--schedule',
        'cosine:warmup=1',
        '--json',
      ],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /adam \(rate 0\.003\), batches of 16, softmax outputs, cross-entropy, l2 0\.0001, cosine schedule, validation 0\.25, early stop after 2/,
    );
    const report = JSON.parse(result.stdout) as Report;
    expect(report.history.every((e) => Number.isFinite(e.validationLoss))).toBe(true);
    // warmup over the first epoch, then down a cosine over the other two
    expect(report.history[0].rate).toBeCloseTo(0.003, 12);
    expect(report.history[2].rate).toBeCloseTo(0, 12);
    expect(report.test?.samples).toBe(100);
  });

  it('--dropout trains on the interpreter', async () => {
    const result = await runCli(
      ['train', '--data', 'xor', '--optimizer', 'sgd', '--rate', '0.5', '--dropout', '0.2', '--epochs', '5'],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /interpreted\) on 4 samples of xor: 5 epochs, sgd \(rate 0\.5\), batches of 1, mse, dropout 0\.2/,
    );
  });

  it.each([
    [['--optimizer', 'adamax'], /--optimizer.*expected one of sgd, momentum/],
    [['--batch-size', '0'], /--batch-size.*positive whole number/],
    [['--dropout', '1'], /--dropout.*from 0 up to/],
    [['--validation', '1.5'], /--validation.*between 0 and 1/],
    [['--schedule', 'linear'], /--schedule.*step, exponential, cosine or constant/],
    [['--output-squash', 'sigmoid'], /--output-squash.*Allowed choices are softmax, logistic/],
    [['--optimizer', 'adam', '--rate', '0.1,0.01'], /--rate: one rate with --optimizer/],
  ])('refuses %j with one line and exit code 2', async (args, message) => {
    const result = await runCli(['train', '--data', 'xor', ...args], { cwd: dir });
    expect(result.code).toBe(2);
    expect(lines(result.stderr).join('\n')).toMatch(message);
  });

  it('--batch is now --progress-every', async () => {
    const result = await runCli(['train', '--data', 'xor', '--epochs', '10', '--progress-every', '2'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const old = await runCli(['train', '--data', 'xor', '--batch', '2'], { cwd: dir });
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/unknown option '--batch'/);
  });

  it('Ctrl-C stops the training worker: exit code 130, nothing saved', async () => {
    const child = spawn(
      process.execPath,
      [
        CLI,
        'train',
        '--data',
        'xor',
        '--optimizer',
        'adam',
        '--epochs',
        '1000000',
        '--error',
        '0',
        '--out',
        'never.json',
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr === '') setTimeout(() => child.kill('SIGINT'), 500);
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/interrupted: training stopped, nothing was saved \(never\.json is unchanged\)/);
    expect(existsSync(join(dir, 'never.json'))).toBe(false);
  });
});
