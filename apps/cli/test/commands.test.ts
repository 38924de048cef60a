/** eval, run, compile, dot, tasks, bench, --help and --version, through the built CLI. */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Network } from '@synaptic/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const dir = tempDir();
const xorModel = join(dir, 'xor.json');
const lstmModel = join(dir, 'lstm.json');

function loadNetwork(path: string): Network {
  return Network.fromJSON(JSON.parse(readFileSync(path, 'utf8')));
}

/** A short sequence of one-hot inputs for the 3-input LSTM. */
const SEQUENCE = [0, 1, 2, 0, 1, 2, 2, 1, 0, 0].map((k) => [0, 1, 2].map((i) => Number(i === k)));

beforeAll(async () => {
  const xor = await runCli(['train', '--data', 'xor', '--out', xorModel, '--quiet']);
  expect(xor.code, xor.stderr).toBe(0);
  const rows = SEQUENCE.map((x, i) => [...x, ...SEQUENCE[(i + 1) % SEQUENCE.length]].join(','));
  writeFileSync(join(dir, 'seq.csv'), `in:a,in:b,in:c,out:a,out:b,out:c\n${rows.join('\n')}\n`);
  const lstm = await runCli(
    [
      'train',
      '--data',
      'seq.csv',
      '--arch',
      'lstm:3,4,3',
      '--no-shuffle',
      '--epochs',
      '5',
      '--out',
      lstmModel,
      '--quiet',
    ],
    { cwd: dir },
  );
  expect(lstm.code, lstm.stderr).toBe(0);
});

describe('synaptic eval', () => {
  it('scores a model on a data set', async () => {
    const result = await runCli(['eval', xorModel, '--data', 'xor']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/xor\.json on xor: 4 samples, error \(mse\) 0\.00\d+/);
    expect(result.stdout).toMatch(/accuracy: 100\.00% \(4 of 4 right\)/);
    const json = await runCli(['eval', xorModel, '--data', 'xor', '--cost', 'cross-entropy', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      command: 'eval',
      samples: 4,
      cost: 'cross-entropy',
      accuracy: 1,
      confusion: [
        [2, 0],
        [0, 2],
      ],
    });
  });

  it('scores an MNIST model on the same test digits it was tested on in training', async () => {
    const trained = await runCli(
      [
        'train',
        '--data',
        'mnist',
        '--train-size',
        '200',
        '--test-size',
        '100',
        '--epochs',
        '1',
        '--out',
        'digits.json',
        '--json',
        '--seed',
        '3',
      ],
      { cwd: dir },
    );
    expect(trained.code, trained.stderr).toBe(0);
    const accuracy = (JSON.parse(trained.stdout) as { test: { accuracy: number } }).test.accuracy;
    // the model records its 200 training digits: eval tests on the digits after them, whatever the seed was
    const scored = await runCli(['eval', 'digits.json', '--data', 'mnist', '--test-size', '100', '--json'], {
      cwd: dir,
    });
    expect(scored.code, scored.stderr).toBe(0);
    expect((JSON.parse(scored.stdout) as { accuracy: number; samples: number }).accuracy).toBe(accuracy);
    expect(scored.stderr).toMatch(/testing on 100 mnist test digits: the ones after the first 200 training digits/);
    const model = JSON.parse(readFileSync(join(dir, 'digits.json'), 'utf8')) as { trainedOn: unknown };
    expect(model.trainedOn).toEqual({ data: 'mnist', samples: 200, seed: 3, trainSize: 200 });
  });

  it('refuses a --train-size that would test an MNIST model on digits it was trained on', async () => {
    const result = await runCli(['eval', 'digits.json', '--data', 'mnist', '--train-size', '100'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'synaptic: --train-size 100: digits.json was trained on the first 200 mnist training digits, so testing after only 100 would test it on digits it learned; leave out --train-size (200 is then used) or give at least 200',
    );
  });

  it('says which digits it tests a model that does not record its training on', async () => {
    const bare = JSON.parse(readFileSync(join(dir, 'digits.json'), 'utf8')) as Record<string, unknown>;
    delete bare.trainedOn;
    writeFileSync(join(dir, 'bare.json'), JSON.stringify(bare));
    const result = await runCli(['eval', 'bare.json', '--data', 'mnist', '--test-size', '50'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /bare\.json does not record what it was trained on: testing on the mnist digits after the first 8,000/,
    );
  });

  it('has no --seed: the test digits are a fixed set, a seed would only reorder them', async () => {
    const result = await runCli(['eval', 'digits.json', '--data', 'mnist', '--seed', '3'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--seed'/);
  });
});

describe('synaptic run', () => {
  it('reads JSON lines on stdin and writes the outputs as JSON lines, for pipes', async () => {
    const input = '[0,0]\n[0, 1]\n\n{"input": [1, 0], "output": [1]}\n[1,1]\n';
    const result = await runCli(['run', xorModel], { input });
    expect(result.code, result.stderr).toBe(0);
    const outputs = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as number[]);
    const net = loadNetwork(xorModel);
    const expected = [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ].map((x) => net.activate(x));
    // run compiles the model (a layered one runs in WebAssembly: its sums in another order, to rounding)
    expect(outputs).toHaveLength(expected.length);
    outputs.forEach((y, k) => y.forEach((v, i) => expect(Math.abs(v - expected[k][i])).toBeLessThanOrEqual(1e-12)));
    expect(outputs.map((y) => Math.round(y[0]))).toEqual([0, 1, 1, 0]);
  });

  it("carries a recurrent network's state from line to line; --clear starts every line from a zero state", async () => {
    const input = `${SEQUENCE.map((x) => JSON.stringify(x)).join('\n')}\n`;
    const sequence = await runCli(['run', lstmModel, '--quiet'], { input });
    const cleared = await runCli(['run', lstmModel, '--clear', '--quiet'], { input });
    const read = (text: string): number[][] =>
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as number[]);
    const net = loadNetwork(lstmModel);
    const expected = SEQUENCE.map((x) => net.activate(x));
    read(sequence.stdout).forEach((y, i) => y.forEach((v, k) => expect(v).toBeCloseTo(expected[i][k], 12)));
    const fresh = read(cleared.stdout);
    // SEQUENCE[0] and SEQUENCE[3] are the same input: the same output once the state is cleared
    expect(fresh[3]).toEqual(fresh[0]);
    expect(read(sequence.stdout)[3]).not.toEqual(read(sequence.stdout)[0]);
  });

  it('--argmax writes the index of the largest output per line, --labels its label', async () => {
    const input = `${SEQUENCE.map((x) => JSON.stringify(x)).join('\n')}\n`;
    const net = loadNetwork(lstmModel);
    const expected = SEQUENCE.map((x) => {
      const y = net.activate(x);
      return y.indexOf(Math.max(...y));
    });
    const argmax = await runCli(['run', lstmModel, '--argmax', '--quiet'], { input });
    expect(argmax.code, argmax.stderr).toBe(0);
    expect(argmax.stdout.trim().split('\n').map(Number)).toEqual(expected);
    const labelled = await runCli(['run', lstmModel, '--labels', 'a,b,c', '--quiet'], { input });
    expect(labelled.stdout.trim().split('\n')).toEqual(expected.map((k) => 'abc'[k]));
    const wrong = await runCli(['run', lstmModel, '--labels', 'a,b'], { input });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--labels: .*lstm\.json has 3 outputs, so it needs 3 labels, got 2 \(a, b\)/);
  });

  it('stops at a bad line, after writing the outputs of the lines before it, and names its number', async () => {
    const result = await runCli(['run', xorModel, '--quiet'], { input: '[0,0]\n[0,1]\n\n[0, "x"]\n[1,1]\n' });
    expect(result.code).toBe(2);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
    expect(result.stderr.trim()).toBe('synaptic: stdin line 4: value 2: expected a number, got "x"');
  });
});

describe('synaptic compile', () => {
  it("writes a standalone ES module whose outputs equal the model's", async () => {
    const out = join(dir, 'xor.mjs');
    const result = await runCli(['compile', xorModel, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /wrote .*xor\.mjs \(esm module, [\d.]+ kB, 2 inputs, 1 output, 6 units, 9 connections\)/,
    );
    const source = readFileSync(out, 'utf8');
    expect(source).not.toMatch(/from ['"]@synaptic/);
    const module = (await import(pathToFileURL(out).href)) as { activate: (x: number[]) => number[] };
    const net = loadNetwork(xorModel);
    for (const x of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [0.3, 0.7],
    ])
      expect(module.activate(x)).toEqual(net.activate(x));
  });

  it("an LSTM's module follows the model over a sequence", async () => {
    const out = join(dir, 'lstm.mjs');
    expect((await runCli(['compile', lstmModel, '--out', out, '--quiet'])).code).toBe(0);
    const module = (await import(pathToFileURL(out).href)) as { activate: (x: number[]) => number[] };
    const net = loadNetwork(lstmModel);
    for (const x of SEQUENCE) {
      const expected = net.activate(x);
      module.activate(x).forEach((y, k) => expect(y).toBeCloseTo(expected[k], 12));
    }
  });

  it('CommonJS for .cjs, --format function, --train, and stdout without --out', async () => {
    const cjs = await runCli(['compile', xorModel, '--out', join(dir, 'xor.cjs'), '--train', '--quiet']);
    expect(cjs.code).toBe(0);
    const text = readFileSync(join(dir, 'xor.cjs'), 'utf8');
    expect(text).toMatch(/module\.exports/);
    expect(text).toMatch(/propagate/);
    const fn = await runCli(['compile', xorModel, '--format', 'function']);
    expect(fn.code).toBe(0);
    const run = new Function(`return ${fn.stdout}`)() as (x: number[]) => number[];
    expect(run([0, 1])).toEqual(loadNetwork(xorModel).activate([0, 1]));
  });
});

describe('synaptic dot', () => {
  it('prints DOT', async () => {
    const result = await runCli(['dot', xorModel]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^digraph nn \{/);
    expect(result.stdout).toMatch(/label = "input \(2\)"/);
  });

  it("names an LSTM's gates and memory cell (1.x's JSON numbers its hidden layers only)", async () => {
    const result = await runCli(['dot', lstmModel]);
    expect(result.code, result.stderr).toBe(0);
    const labels = [...result.stdout.matchAll(/label = "([^"]+)"\]/g)].map((m) => m[1]);
    expect(labels).toEqual([
      'input (3)',
      'input gate (4)',
      'forget gate (4)',
      'memory cell (4)',
      'output gate (4)',
      'output (3)',
    ]);
  });

  it("renders SVG through Graphviz's dot when it is on the PATH", async () => {
    const bin = join(dir, 'fake-graphviz');
    mkdirSync(bin, { recursive: true });
    // a stand-in for Graphviz: checks its arguments and wraps what it reads
    writeFileSync(
      join(bin, 'dot'),
      `#!/bin/sh\n[ "$1" = "-Tsvg" ] || exit 3\necho '<svg xmlns="http://www.w3.org/2000/svg">'\nwc -l\necho '</svg>'\n`,
    );
    chmodSync(join(bin, 'dot'), 0o755);
    const env = { PATH: `${bin}:${process.env.PATH ?? ''}` };
    const result = await runCli(['dot', xorModel, '--out', join(dir, 'xor.svg')], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(dir, 'xor.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>/);
    const stdout = await runCli(['dot', xorModel, '--svg'], { env });
    expect(stdout.stdout).toMatch(/^<svg/);
  });

  it('says so when Graphviz is missing', async () => {
    const empty = join(dir, 'empty-path');
    mkdirSync(empty, { recursive: true });
    const result = await runCli(['dot', xorModel, '--svg'], { env: { PATH: empty } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      "synaptic: SVG needs Graphviz's dot, which is not on the PATH: install Graphviz (e.g. apt-get install graphviz), or leave out --svg to get the DOT source",
    );
  });
});

describe('synaptic tasks', () => {
  it('runs one task and prints a table', async () => {
    const result = await runCli(['tasks', 'xor', '--iterations', '200']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^task +network +iterations +error +result +time/);
    expect(result.stdout).toMatch(/\nxor +perceptron 2-3-1 +200 /);
  });

  it('runs them all, with --json', async () => {
    const result = await runCli(['tasks', 'all', '--iterations', '20', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { tasks: Array<{ task: string; iterations: number; error: number }> };
    expect(report.tasks.map((t) => t.task)).toEqual(['xor', 'dsr', 'erg', 'timing']);
    for (const t of report.tasks) {
      expect(t.iterations).toBeLessThanOrEqual(20);
      expect(Number.isFinite(t.error)).toBe(true);
    }
  });
});

describe('synaptic bench', () => {
  it('--dry-run shows the quick benchmark command', async () => {
    const result = await runCli(['bench', '--dry-run', '--', '--suite', 'mnist']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^pnpm --filter @synaptic\/bench bench:quick --suite mnist\n\(in .+\)/);
  });

  it('says clearly when the benchmark app is not available', async () => {
    const result = await runCli(['bench'], { env: { SYNAPTIC_ROOT: dir } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^synaptic: the benchmark app is not available: .*apps\/bench does not exist/);
  });
});

describe('--help and --version', () => {
  it.each(['mnist', 'train', 'eval', 'run', 'compile', 'dot', 'tasks', 'bench'])(
    'synaptic %s --help',
    async (command) => {
      const result = await runCli([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: synaptic ${command} `));
      expect(result.stdout).toMatch(/--json/);
      expect(result.stdout).toMatch(/--quiet/);
    },
  );

  it('synaptic --help lists the commands; --version prints the version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['train', 'eval', 'run', 'compile', 'dot', 'tasks', 'bench'])
      expect(help.stdout).toMatch(new RegExp(`\\n  ${command} `));
    const version = await runCli(['--version']);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });
});
