/** `--arch FILE.json`: a Convolutional spec file trains on MNIST digits; a bad one is bad input naming the layer. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Network } from '@synaptic/core';
import { describe, expect, it } from 'vitest';
import { lines, runCli, tempDir } from './helpers.js';

const dir = tempDir();
const SEED_003 = fileURLToPath(new URL('../examples/seed-003.json', import.meta.url));

function spec(name: string, layers: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(layers));
  return path;
}

describe('--arch FILE.json', () => {
  it("trains seed 003's network on MNIST digits and saves it in the versioned JSON", async () => {
    const out = join(dir, 'conv.json');
    const result = await runCli(
      [
        'train',
        '--data',
        'mnist',
        '--arch',
        SEED_003,
        '--train-size',
        '300',
        '--test-size',
        '100',
        '--epochs',
        '1',
        '--json',
        '--out',
        out,
      ],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { test?: { accuracy?: number } };
    expect(typeof report.test?.accuracy).toBe('number');
    const saved = JSON.parse(readFileSync(out, 'utf8')) as {
      format: string;
      version: number;
      ops: Array<{ kind: string }>;
    };
    expect(saved.format).toBe('synaptic');
    expect(saved.ops.map((op) => op.kind)).toEqual(['CONVOLUTION', 'MAX_POOL']);
    const network = Network.fromJSON(saved);
    expect(network.parameters().map((p) => p.value.length)).toEqual([243, 3, 10, 3000]);
  });

  it('trains its mini-batches as matrix products: --precision f32 is accepted (it is refused where the batch cannot run)', async () => {
    const result = await runCli(
      [
        'train',
        '--data',
        'mnist',
        '--arch',
        SEED_003,
        '--train-size',
        '64',
        '--test-size',
        '20',
        '--optimizer',
        'adam',
        '--batch-size',
        '16',
        '--precision',
        'f32',
        '--epochs',
        '1',
        '--json',
        '--out',
        join(dir, 'conv-f32.json'),
      ],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { precision?: string; test?: { accuracy?: number } };
    expect(report.precision).toBe('f32');
    expect(typeof report.test?.accuracy).toBe('number');
  });

  it('a bad spec: exit 2, one line naming the layer', async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      [
        'pools.json',
        [
          { type: 'input', fieldSize: [28, 28] },
          { type: 'convolution', featureMap: { size: [9, 9], k: 3 }, pool: { kind: 'max', size: [3, 3] } },
          { type: 'fully-connected', n: 10 },
        ],
        /--arch ".*pools\.json": Convolutional layer 1 \(convolution\): 3×3 pools do not tile the 20×20 maps/,
      ],
      ['object.json', { type: 'input' }, /a spec file holds a JSON array of layers/],
      [
        'big.json',
        [
          { type: 'input', fieldSize: [8, 8] },
          { type: 'convolution', featureMap: { size: [9, 9], k: 1 } },
        ],
        /Convolutional layer 1 \(convolution\): the 9×9 kernel is larger than the 8×8 field/,
      ],
    ];
    for (const [name, layers, message] of cases) {
      const result = await runCli(['train', '--data', 'mnist', '--arch', spec(name, layers), '--out', 'm.json'], {
        cwd: dir,
      });
      expect(result.code, result.stderr).toBe(2);
      const errors = lines(result.stderr).filter((l) => l.startsWith('synaptic: '));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(message);
    }
    const missing = await runCli(['train', '--data', 'mnist', '--arch', 'nope.json', '--out', 'm.json'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--arch "nope\.json": cannot read the spec file/);
  });
});
