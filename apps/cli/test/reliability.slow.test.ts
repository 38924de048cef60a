/**
 * Issue 11 at full size (slow tier): sizes the command line accepts must train and save, or be
 * refused before training.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const dir = tempDir('synaptic-reliability-slow-');

describe('large networks through the command line', () => {
  it('finding 3: perceptron:2,3000,3000,1 (9 M connections) trains one epoch and is saved', async () => {
    // JSON.stringify of this model is past V8's longest string: it used to fail after training
    // with "internal error: Invalid string length"
    const out = join(dir, 'big.json');
    const result = await runCli(
      ['train', '--data', 'xor', '--arch', 'perceptron:2,3000,3000,1', '--epochs', '1', '--out', out, '--quiet'],
      {
        cwd: dir,
        timeoutMs: 600_000,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(statSync(out).size).toBeGreaterThan(512 * 1024 * 1024);
  }, 660_000);

  it('finding 4: random:2,100000,1 trains without overflowing the stack', async () => {
    const result = await runCli(
      [
        'train',
        '--data',
        'xor',
        '--arch',
        'random:2,100000,1',
        '--epochs',
        '1',
        '--out',
        join(dir, 'r.json'),
        '--quiet',
      ],
      {
        cwd: dir,
        timeoutMs: 600_000,
      },
    );
    expect(result.stderr).not.toMatch(/Maximum call stack/);
    expect(result.code, result.stderr).toBe(0);
  }, 660_000);
});
