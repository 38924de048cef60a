/** `synaptic train` on every kind of data, and the model it saves. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Network } from '@synaptic/core';
import { synaptic1x } from '@synaptic/test-support';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const dir = tempDir();

function loadNetwork(path: string): Network {
  return Network.fromJSON(JSON.parse(readFileSync(path, 'utf8')));
}

const XOR = [
  [0, 0, 0],
  [0, 1, 1],
  [1, 0, 1],
  [1, 1, 0],
];

describe('synaptic train', () => {
  it('learns XOR (built-in data) and saves a 1.x JSON model', async () => {
    const out = join(dir, 'xor.json');
    const result = await runCli(['train', '--data', 'xor', '--out', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      network: string;
      epochs: number;
      trainingSet: { accuracy: number };
      out: string;
      bytes: number;
    };
    expect(report.network).toBe('perceptron:2,3,1');
    expect(report.trainingSet.accuracy).toBe(1);
    expect(report.epochs).toBeLessThan(20000);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { neurons: unknown[]; connections: unknown[] };
    expect(json.neurons).toHaveLength(6);
    expect(json.connections).toHaveLength(9);
    const net = loadNetwork(out);
    for (const [a, b, y] of XOR) expect(Math.round(net.activate([a, b])[0])).toBe(y);
    // status lines on stderr, the JSON document alone on stdout
    expect(result.stderr).toMatch(/training perceptron:2,3,1 \(9 connections, compiled\) on 4 samples of xor/);
    expect(result.stderr).toMatch(/saved .*xor\.json \(synaptic 1\.x JSON/);
  });

  it('is repeatable: the same seed gives the same model', async () => {
    const a = join(dir, 'seed-a.json');
    const b = join(dir, 'seed-b.json');
    await runCli(['train', '--data', 'xor', '--epochs', '300', '--seed', '7', '--out', a, '--quiet']);
    await runCli([
      'train',
      '--data',
      'xor',
      '--epochs',
      '300',
      '--seed',
      '7',
      '--progress-every',
      '3',
      '--out',
      b,
      '--quiet',
    ]);
    // --progress-every only changes how the samples are handed to the trainer, not the result
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
  });

  it('reads a JSON training set and an --arch, and tests on --test', async () => {
    const set = XOR.map(([a, b, y]) => ({ input: [a, b], output: [y, 1 - y] }));
    writeFileSync(join(dir, 'set.json'), JSON.stringify(set));
    const result = await runCli(
      [
        'train',
        '--data',
        'set.json',
        '--test',
        'set.json',
        '--arch',
        'perceptron:2,4,2',
        '--rate',
        '0.3',
        '--epochs',
        '5000',
        '--out',
        'two.json',
      ],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/test \(set\.json\): 4 samples, error \(mse\) /);
    expect(result.stdout).toMatch(/accuracy: 100\.00% \(4 of 4 right\)/);
    expect(result.stdout).toMatch(/confusion matrix/);
    expect(loadNetwork(join(dir, 'two.json')).outputs()).toBe(2);
  });

  it('reads CSV with in:/out: prefixes (other columns ignored) and with --outputs', async () => {
    writeFileSync(
      join(dir, 'prefixed.csv'),
      `# XOR\nid,in:a,in:b,out:y\n${XOR.map(([a, b, y], i) => `${i},${a},${b},${y}`).join('\n')}\n`,
    );
    const prefixed = await runCli(
      ['train', '--data', 'prefixed.csv', '--epochs', '20000', '--out', 'csv1.json', '--json'],
      { cwd: dir },
    );
    expect(prefixed.code, prefixed.stderr).toBe(0);
    expect((JSON.parse(prefixed.stdout) as { trainingSet: { accuracy: number } }).trainingSet.accuracy).toBe(1);
    expect(loadNetwork(join(dir, 'csv1.json')).inputs()).toBe(2);

    writeFileSync(join(dir, 'plain.csv'), `a, b, y\n${XOR.map((r) => r.join(', ')).join('\n')}\n`);
    const named = await runCli(['train', '--data', 'plain.csv', '--outputs', 'y', '--out', 'csv2.json', '--quiet'], {
      cwd: dir,
    });
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout + named.stderr).toBe('');
    expect(loadNetwork(join(dir, 'csv2.json')).inputs()).toBe(2);
  });

  it('one-hot encodes a CSV output column of class labels (0, 1, 2), says so, and records the classes', async () => {
    // three classes along x; logistic outputs could never reach the label 2
    const rows = Array.from({ length: 60 }, (_, i) => {
      const c = i % 3;
      return [(c * 0.4 + ((i * 7) % 10) / 100).toFixed(3), (((i * 3) % 10) / 10).toFixed(2), c];
    });
    writeFileSync(join(dir, 'classes.csv'), `x,y,out:class\n${rows.map((r) => r.join(',')).join('\n')}\n`);
    const result = await runCli(['train', '--data', 'classes.csv', '--epochs', '2000', '--out', 'classes.json'], {
      cwd: dir,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /classes\.csv: column "out:class" holds class labels 0 to 2: one-hot encoded into 3 outputs, one per class/,
    );
    expect(result.stdout).toMatch(/accuracy: 100\.00% \(60 of 60 right\)/);
    const model = JSON.parse(readFileSync(join(dir, 'classes.json'), 'utf8')) as { trainedOn: unknown };
    expect(model.trainedOn).toEqual({
      data: 'classes.csv',
      samples: 60,
      seed: 1,
      labels: { column: 'out:class', classes: ['0', '1', '2'] },
    });
    expect(loadNetwork(join(dir, 'classes.json')).outputs()).toBe(3);
    // synaptic 1.x loads the file too (it reads neurons and connections, and ignores trainedOn)
    expect(synaptic1x.Network.fromJSON(model).activate([0.1, 0.5])).toHaveLength(3);
    // run --argmax answers with the class labels
    const run = await runCli(['run', 'classes.json', '--argmax', '--quiet'], {
      cwd: dir,
      input: '[0.05,0.5]\n[0.85,0.5]\n',
    });
    expect(run.stdout.trim().split('\n')).toEqual(['0', '2']);
  });

  it('warns about output values that logistic outputs cannot reach', async () => {
    writeFileSync(join(dir, 'big.csv'), 'x,out:y\n0,0.5\n1,3.5\n');
    const result = await runCli(['train', '--data', 'big.csv', '--epochs', '1', '--out', 'big.json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /warning: big\.csv: column "out:y" holds 3\.5, outside the 0 to 1 that logistic outputs reach: scale it to \[0, 1\]/,
    );
  });

  it('trains an LSTM on a sequence in file order (--no-shuffle) and continues training with --from', async () => {
    // predict the next symbol of a repeating sequence a b c
    const seq = [0, 1, 2];
    const rows = Array.from({ length: 30 }, (_, i) => {
      const x = seq[i % 3];
      const y = seq[(i + 1) % 3];
      return [0, 1, 2].map((k) => Number(k === x)).concat([0, 1, 2].map((k) => Number(k === y)));
    });
    writeFileSync(
      join(dir, 'seq.csv'),
      `in:a,in:b,in:c,out:a,out:b,out:c\n${rows.map((r) => r.join(',')).join('\n')}\n`,
    );
    const first = await runCli(
      [
        'train',
        '--data',
        'seq.csv',
        '--arch',
        'lstm:3,4,3',
        '--no-shuffle',
        '--epochs',
        '20',
        '--rate',
        '0.2',
        '--error',
        '0',
        '--out',
        'lstm.json',
        '--json',
      ],
      { cwd: dir },
    );
    expect(first.code, first.stderr).toBe(0);
    const firstReport = JSON.parse(first.stdout) as { epochs: number; trainingError: number };
    expect(firstReport.epochs).toBe(20);
    const more = await runCli(
      [
        'train',
        '--data',
        'seq.csv',
        '--from',
        'lstm.json',
        '--no-shuffle',
        '--epochs',
        '100',
        '--rate',
        '0.2',
        '--error',
        '0',
        '--out',
        'lstm.json',
        '--json',
      ],
      { cwd: dir },
    );
    expect(more.code, more.stderr).toBe(0);
    const moreReport = JSON.parse(more.stdout) as { network: string; trainingError: number };
    expect(moreReport.network).toBe('lstm.json');
    expect(moreReport.trainingError).toBeLessThan(firstReport.trainingError);
  });

  it('stops early once the error reaches --error', async () => {
    const result = await runCli([
      'train',
      '--data',
      'xor',
      '--error',
      '0.1',
      '--out',
      join(dir, 'early.json'),
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { trainingError: number; epochs: number };
    expect(report.trainingError).toBeLessThanOrEqual(0.1);
    expect(report.epochs).toBeLessThan(20000);
  });

  it('--quiet prints nothing at all', async () => {
    const result = await runCli([
      'train',
      '--data',
      'xor',
      '--epochs',
      '10',
      '--out',
      join(dir, 'quiet.json'),
      '--quiet',
    ]);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });
});
