/**
 * Bad input: one line on stderr naming the file, line or field and what was expected, exit
 * code 2, no stack trace (unless --debug), and nothing written.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lines, runCli, tempDir } from './helpers.js';

const dir = tempDir();
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(async () => {
  // a good model of XOR (2 inputs, 1 output) to feed bad data to
  const trained = await runCli(['train', '--data', 'xor', '--out', join(dir, 'xor.json'), '--quiet'], { cwd: dir });
  expect(trained.code).toBe(0);
});

/** Runs the CLI and checks the bad-input contract; returns the error line. */
async function refuses(args: string[], input?: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  const result = await runCli(args, { cwd: dir, input });
  expect(result.code, result.stderr).toBe(2);
  const errorLines = lines(result.stderr).filter((l) => l.startsWith('synaptic: '));
  expect(errorLines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toMatch(/Error:/);
  // nothing new on disk: no model, no temporary file
  expect(readdirSync(dir).filter((f) => !before.has(f))).toEqual([]);
  return errorLines[0];
}

describe('bad input: exit code 2, one line, no stack', () => {
  it('a missing data file', async () => {
    expect(await refuses(['train', '--data', 'nope.json', '--out', 'm.json'])).toMatch(
      /^synaptic: nope\.json: no such file/,
    );
  });

  it('a missing model file', async () => {
    expect(await refuses(['eval', 'nope.json', '--data', 'xor'])).toMatch(/^synaptic: nope\.json: no such file/);
    expect(await refuses(['run', 'nope.json'])).toMatch(/nope\.json: no such file/);
    expect(await refuses(['compile', 'nope.json'])).toMatch(/nope\.json: no such file/);
    expect(await refuses(['dot', 'nope.json'])).toMatch(/nope\.json: no such file/);
  });

  it('malformed JSON data, with its line and column', async () => {
    file('broken.json', '[\n  {"input": [0, 1], "output": [1]},\n  {"input": [1, 1] "output": [0]}\n]\n');
    expect(await refuses(['train', '--data', 'broken.json', '--out', 'm.json'])).toMatch(
      /^synaptic: broken\.json: line 3, column 20: invalid JSON: expected ','/,
    );
  });

  it('a truncated JSON file', async () => {
    file('truncated.json', '[{"input": [0, 1], "output": [1]}, {"input": [1');
    expect(await refuses(['train', '--data', 'truncated.json', '--out', 'm.json'])).toMatch(
      /truncated\.json: line 1, column \d+: invalid JSON: .*the end of the file/,
    );
  });

  it('an empty file', async () => {
    file('empty.json', '');
    expect(await refuses(['train', '--data', 'empty.json', '--out', 'm.json'])).toMatch(
      /empty\.json: the file is empty/,
    );
  });

  it('JSON that is not a training set', async () => {
    file('object.json', '{"input": [0]}');
    expect(await refuses(['train', '--data', 'object.json', '--out', 'm.json'])).toMatch(
      /object\.json: the top level: expected an array of samples/,
    );
    file('nooutput.json', '[{"input": [0, 1]}]');
    expect(await refuses(['train', '--data', 'nooutput.json', '--out', 'm.json'])).toMatch(
      /nooutput\.json: line 1, \[0\]: expected "output" to be an array of numbers, got nothing/,
    );
  });

  it('a non-numeric value in JSON, by line and field', async () => {
    file('text.json', '[\n  {"input": [0, 1], "output": [1]},\n  {"input": [0, "one"], "output": [1]}\n]\n');
    expect(await refuses(['train', '--data', 'text.json', '--out', 'm.json'])).toBe(
      'synaptic: text.json: line 3, [1].input[1]: expected a number, got "one"',
    );
  });

  it('samples of different sizes in JSON', async () => {
    file('sizes.json', '[{"input": [0, 1], "output": [1]}, {"input": [0, 1, 1], "output": [1]}]');
    expect(await refuses(['train', '--data', 'sizes.json', '--out', 'm.json'])).toMatch(
      /sizes\.json: line 1, \[1\]\.input: expected 2 numbers like the first sample's input, got 3/,
    );
  });

  it('a non-numeric value in CSV, by line and column', async () => {
    file('text.csv', 'a,b,out:y\n0,0,0\n0,one,1\n');
    expect(await refuses(['train', '--data', 'text.csv', '--out', 'm.json'])).toBe(
      'synaptic: text.csv: line 3, column "b": expected a number, got "one"',
    );
  });

  it('malformed CSV: a row of the wrong length, an unclosed quote', async () => {
    file('ragged.csv', 'a,b,out:y\n0,0,0\n0,1\n');
    expect(await refuses(['train', '--data', 'ragged.csv', '--out', 'm.json'])).toMatch(
      /^synaptic: ragged\.csv: invalid CSV: .*line 3/,
    );
    file('quote.csv', 'a,b,out:y\n0,"0,0\n');
    expect(await refuses(['train', '--data', 'quote.csv', '--out', 'm.json'])).toMatch(
      /^synaptic: quote\.csv: invalid CSV: /,
    );
  });

  it('CSV without output columns, and an unknown --outputs column', async () => {
    file('noout.csv', 'a,b,y\n0,0,0\n');
    expect(await refuses(['train', '--data', 'noout.csv', '--out', 'm.json'])).toMatch(
      /noout\.csv: line 1: no output column: prefix .*out:.* or name them with --outputs/,
    );
    expect(await refuses(['train', '--data', 'noout.csv', '--outputs', 'z', '--out', 'm.json'])).toMatch(
      /--outputs: noout\.csv has no column "z"/,
    );
  });

  it('a model that does not fit the data', async () => {
    file('three.csv', 'a,b,c,out:y\n0,0,0,0\n1,1,1,1\n');
    expect(await refuses(['eval', 'xor.json', '--data', 'three.csv'])).toBe(
      'synaptic: xor.json takes 2 inputs and gives 1 output, but three.csv has 3 inputs and 1 output per sample',
    );
    expect(await refuses(['train', '--data', 'three.csv', '--from', 'xor.json', '--out', 'm.json'])).toMatch(
      /xor\.json takes 2 inputs/,
    );
    expect(await refuses(['train', '--data', 'xor', '--arch', 'perceptron:3,4,1', '--out', 'm.json'])).toMatch(
      /--arch "perceptron:3,4,1" takes 3 inputs and gives 1 output, but xor has 2 inputs and 1 output per sample/,
    );
  });

  it('run: an input line of the wrong size or with text', async () => {
    expect(await refuses(['run', 'xor.json'], '[0, 1]\n[0, 1, 1]\n')).toMatch(
      /^synaptic: stdin line 2: expected 2 numbers, the model's inputs, got 3/,
    );
    expect(await refuses(['run', 'xor.json'], '[0, "x"]\n')).toMatch(
      /stdin line 1: value 2: expected a number, got "x"/,
    );
    expect(await refuses(['run', 'xor.json'], 'zero one\n')).toMatch(/stdin line 1: invalid JSON/);
  });

  it('an unknown architecture string, or bad sizes in it', async () => {
    expect(await refuses(['train', '--data', 'xor', '--arch', 'transformer:2,3,1', '--out', 'm.json'])).toMatch(
      /--arch "transformer:2,3,1": unknown architecture "transformer" \(expected one of perceptron, lstm, gru, liquid, hopfield, narx, random/,
    );
    expect(await refuses(['train', '--data', 'xor', '--arch', 'perceptron:2,x,1', '--out', 'm.json'])).toMatch(
      /number 2 is "x", expected a positive whole number/,
    );
    expect(await refuses(['train', '--data', 'xor', '--arch', 'perceptron:2,1', '--out', 'm.json'])).toMatch(
      /expected at least 3 numbers, got 2/,
    );
    expect(await refuses(['train', '--data', 'xor', '--arch', 'perceptron', '--out', 'm.json'])).toMatch(
      /expected sizes after the colon/,
    );
  });

  it('a file that is not a model', async () => {
    file('notmodel.json', '{"neurons": 3, "connections": []}');
    expect(await refuses(['eval', 'notmodel.json', '--data', 'xor'])).toMatch(
      /^synaptic: notmodel\.json: not a synaptic model: invalid network JSON at \$\.neurons/,
    );
    file(
      'badweight.json',
      JSON.stringify({
        neurons: [
          {
            trace: { elegibility: {}, extended: {} },
            state: 0,
            old: 0,
            activation: 0,
            bias: 0,
            layer: 'input',
            squash: 'LOGISTIC',
          },
          {
            trace: { elegibility: {}, extended: {} },
            state: 0,
            old: 0,
            activation: 0,
            bias: 0,
            layer: 'output',
            squash: 'LOGISTIC',
          },
        ],
        connections: [{ from: 0, to: 1, weight: 'heavy', gater: null }],
      }),
    );
    expect(await refuses(['run', 'badweight.json'])).toMatch(
      /badweight\.json: not a synaptic model: invalid network JSON at \$\.connections\[0\]\.weight/,
    );
  });

  it('non-numeric and out-of-range option values', async () => {
    expect(await refuses(['train', '--data', 'xor', '--epochs', 'many'])).toBe(
      "synaptic: option '--epochs <n>' argument 'many' is invalid. expected a positive whole number.",
    );
    expect(await refuses(['train', '--data', 'xor', '--rate', '0.1,fast'])).toMatch(
      /option '--rate <r>' argument '0\.1,fast' is invalid/,
    );
    expect(await refuses(['train', '--data', 'xor', '--seed', '1.5'])).toMatch(
      /--seed <n>' argument '1\.5' is invalid/,
    );
    expect(await refuses(['train', '--data', 'xor', '--cost', 'hinge'])).toMatch(
      /--cost <name>' argument 'hinge' is invalid/,
    );
    expect(await refuses(['--train-size', '100000'])).toMatch(
      /--train-size 100000: expected a whole number from 10 to 60000 \(full MNIST\)/,
    );
    expect(await refuses(['train', '--data', 'xor', '--epoch', '3'])).toMatch(
      /unknown option '--epoch' \(Did you mean --epochs\?\)/,
    );
    expect(await refuses(['tasks', 'chess'])).toMatch(/'chess' is invalid for argument 'task'/);
    expect(await refuses(['train'])).toMatch(/required option '-d, --data <file>' not specified/);
    expect(await refuses(['frobnicate'])).toMatch(/^synaptic: /);
  });

  it('--out in a directory that does not exist: nothing is written', async () => {
    expect(await refuses(['train', '--data', 'xor', '--out', join('no', 'such', 'dir', 'm.json')])).toMatch(
      /m\.json: cannot write: the directory .* does not exist/,
    );
  });

  it('--out naming a directory: refused before training', async () => {
    expect(await refuses(['train', '--data', 'xor', '--out', '.'])).toBe(
      'synaptic: .: is a directory (expected a file name to write)',
    );
  });

  it('--debug shows the stack trace', async () => {
    const result = await runCli(['train', '--data', 'xor', '--arch', 'nope:1', '--debug'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^synaptic: --arch "nope:1": unknown architecture/);
    expect(result.stderr).toMatch(/BadInputError: .*\n\s+at parseArch \(.*arch\.ts:\d+/);
    expect(existsSync(join(dir, 'model.json'))).toBe(false);
  });
});
