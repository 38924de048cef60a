/** `synaptic train --precision f32`: mini-batches as float32 matrix products (compileBatch's precision). */
import { describe, expect, it } from 'vitest';
import { lines, runCli, tempDir } from './helpers.js';

const dir = tempDir();

interface Report {
  precision: string;
  batchSize: number;
  history: { epoch: number; loss: number }[];
  test?: { samples: number; accuracy: number };
}

const mnist = (precision: string) => [
  'train',
  '--data',
  'mnist-full',
  '--train-size',
  '320',
  '--test-size',
  '100',
  '--epochs',
  '2',
  '--optimizer',
  'adam',
  '--batch-size',
  '32',
  '--output-squash',
  'softmax',
  '--cost',
  'cross-entropy',
  '--precision',
  precision,
  '--json',
  '--quiet',
  '--out',
  `model-${precision}.json`,
];

describe('train --precision', () => {
  it('f32 trains the mini-batches in float32: close to f64, not the same bits', async () => {
    const [f64, f32] = await Promise.all([runCli(mnist('f64'), { cwd: dir }), runCli(mnist('f32'), { cwd: dir })]);
    expect(f64.code, f64.stderr).toBe(0);
    expect(f32.code, f32.stderr).toBe(0);
    const a = JSON.parse(f64.stdout) as Report;
    const b = JSON.parse(f32.stdout) as Report;
    expect([a.precision, b.precision]).toEqual(['f64', 'f32']);
    expect(b.history).toHaveLength(2);
    for (let e = 0; e < 2; e++) {
      // float32 products round each term (relative 6e-8): after 20 Adam steps the losses still agree closely
      expect(Math.abs(b.history[e].loss - a.history[e].loss)).toBeLessThan(1e-3 * a.history[e].loss);
    }
    // ...but they are float32's numbers, not f64's: the run really took the other path
    expect(b.history[1].loss).not.toBe(a.history[1].loss);
  });

  it('says f32 in the run line', async () => {
    const result = await runCli(
      mnist('f32').filter((x) => x !== '--quiet' && x !== '--json'),
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/adam \(rate 0\.003\), batches of 32 in float32, softmax outputs, cross-entropy/);
  });

  it.each([
    [['--precision', 'f16'], /--precision.*Allowed choices are f64, f32/],
    [['--precision', 'f32'], /--precision f32 runs mini-batches as float32.*give --optimizer and --batch-size/],
    [['--precision', 'f32', '--optimizer', 'adam'], /--precision f32.*not --batch-size 1/],
    [
      ['--precision', 'f32', '--optimizer', 'adam', '--batch-size', '4', '--no-compile'],
      /not --dropout or --no-compile/,
    ],
  ])('refuses %j with one line and exit code 2', async (args, message) => {
    const result = await runCli(['train', '--data', 'xor', ...args], { cwd: dir });
    expect(result.code).toBe(2);
    expect(lines(result.stderr).join('\n')).toMatch(message);
  });

  it('refuses f32 on a network that cannot run as matrix products, rather than training at f64', async () => {
    const result = await runCli(
      [
        'train',
        '--data',
        'xor',
        '--arch',
        'lstm:2,2,1',
        '--optimizer',
        'adam',
        '--batch-size',
        '4',
        '--epochs',
        '2',
        '--precision',
        'f32',
      ],
      { cwd: dir },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--precision f32: /);
  });
});
