/** synaptic export --onnx and synaptic import, through the built CLI; bad input is one line and exit code 2. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LSTM, Perceptron } from '@synaptic/architect';
import { mulberry32, Network, Neuron, setRandom } from '@synaptic/core';
import { toONNX } from '@synaptic/onnx';
import { describe, expect, it } from 'vitest';
import { lines, runCli, tempDir } from './helpers.js';

const dir = tempDir('synaptic-onnx-');
const write = (name: string, content: string | Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

setRandom(mulberry32(3));
const perceptron = new Perceptron(3, 5, 2);
const lstm = new LSTM(2, 3, 1);
setRandom(Math.random);
const perceptronModel = write('perceptron.json', JSON.stringify(perceptron.toJSON()));
const lstmModel = write('lstm.json', JSON.stringify(lstm.toJSON()));

async function refuses(args: string[]): Promise<string> {
  const before = new Set(readdirSync(dir));
  const result = await runCli(args, { cwd: dir });
  expect(result.code, result.stderr).toBe(2);
  const errorLines = lines(result.stderr).filter((l) => l.startsWith('synaptic: '));
  expect(errorLines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(readdirSync(dir).filter((f) => !before.has(f))).toEqual([]);
  return errorLines[0];
}

describe('synaptic export --onnx, synaptic import', () => {
  it('exports a perceptron and imports it back to a model computing the same outputs', async () => {
    const onnx = join(dir, 'perceptron.onnx');
    const exported = await runCli(['export', perceptronModel, '--onnx', onnx]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/wrote .*perceptron\.onnx \(ONNX, .*feed-forward\)/);
    const back = join(dir, 'back.json');
    const imported = await runCli(['import', onnx, '-o', back]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/wrote .*back\.json \(synaptic 1\.x JSON/);
    const network = Network.fromJSON(readFileSync(back, 'utf8'));
    const next = mulberry32(5);
    for (let k = 0; k < 20; k++) {
      const input = [next(), next(), next()].map(Math.fround);
      const want = perceptron.activate(input);
      network.activate(input).forEach((y, i) => expect(Math.abs(y - want[i])).toBeLessThan(1e-6));
    }
  });

  it('exports an LSTM as a step function and says what it carries (--json too)', async () => {
    const onnx = join(dir, 'lstm.onnx');
    const result = await runCli(['export', lstmModel, '--onnx', onnx, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /carries state\.hidden2 -> state\.hidden2\.next, activation\.hidden2 -> activation\.hidden2\.next/,
    );
    const doc = JSON.parse(result.stdout) as { carried: Array<{ input: string }>; bytes: number };
    expect(doc.carried.map((c) => c.input)).toEqual(['state.hidden2', 'activation.hidden2']);
    expect(doc.bytes).toBe(readFileSync(onnx).length);
  });

  it('import without -o writes the model JSON to stdout', async () => {
    const onnx = join(dir, 'perceptron2.onnx');
    expect((await runCli(['export', perceptronModel, '--onnx', onnx, '--quiet'])).code).toBe(0);
    const result = await runCli(['import', onnx]);
    expect(result.code, result.stderr).toBe(0);
    expect(Network.fromJSON(result.stdout).inputs()).toBe(3);
  });
});

describe('bad input: exit code 2, one line, nothing written', () => {
  it('export without --onnx', async () => {
    expect(await refuses(['export', perceptronModel])).toMatch(/--onnx <file>/);
  });
  it('a model file that is missing or not a model', async () => {
    expect(await refuses(['export', 'nope.json', '--onnx', 'x.onnx'])).toMatch(/nope\.json: no such file/);
    const bad = write('bad.json', '{"neurons": 3}');
    expect(await refuses(['export', bad, '--onnx', 'x.onnx'])).toMatch(/not a synaptic model/);
  });
  it('an .onnx file that is missing, not ONNX, or a step function', async () => {
    expect(await refuses(['import', 'nope.onnx', '-o', 'x.json'])).toMatch(/nope\.onnx: no such file/);
    const garbage = write('garbage.onnx', Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]));
    expect(await refuses(['import', garbage, '-o', 'x.json'])).toMatch(/cannot import: fromONNX: not an ONNX model/);
    const onnx = join(dir, 'lstm-step.onnx');
    expect((await runCli(['export', lstmModel, '--onnx', onnx, '--quiet'])).code).toBe(0);
    expect(await refuses(['import', onnx, '-o', 'x.json'])).toMatch(/step functions with carried state/);
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
  });
  it('an .onnx model with a Softmax imports into the versioned JSON, which loads and computes the same', async () => {
    setRandom(mulberry32(4));
    const softmax = new Perceptron(2, 3, 2);
    setRandom(Math.random);
    softmax.layers.output!.set({ squash: Neuron.squash.SOFTMAX });
    const onnx = write('softmax.onnx', toONNX(softmax));
    const out = join(dir, 'softmax.json');
    const result = await runCli(['import', onnx, '-o', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr + result.stdout).toMatch(/synaptic JSON, version 2/);
    const loaded = Network.fromJSON(readFileSync(out, 'utf8'));
    const a = loaded.activate([0.3, -0.7]);
    const b = softmax.activate([0.3, -0.7]);
    a.forEach((y, k) => expect(Math.abs(y - b[k])).toBeLessThan(1e-6));
  });
});

describe('--help', () => {
  it.each(['export', 'import'])('synaptic %s --help, and synaptic --help lists it', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: synaptic ${command} `));
    expect(result.stdout).toMatch(/--json/);
    expect((await runCli(['--help'])).stdout).toMatch(new RegExp(`\\n  ${command} `));
  });
});
