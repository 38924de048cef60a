/** `synaptic` without a command, with its defaults: the whole MNIST run (about 10 to 50 s of training). */
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
  out: string;
  seconds: number;
}

describe('the default run (MNIST), full size', () => {
  // The acceptance criterion: the defaults (8,000 digits, 5 epochs) reach 90%. How long it takes is
  // measured by `pnpm bench`, not here.
  it('with its defaults reaches at least 90% test accuracy', async () => {
    const result = await runCli(['--json', '--out', 'full.json', '--quiet'], { cwd: dir, timeoutMs: 600_000 });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as MnistReport;
    expect(report.trainSamples).toBe(8000);
    expect(report.epochs).toBe(5);
    expect(report.test.accuracy).toBeGreaterThanOrEqual(0.9);
  }, 600_000);
});
