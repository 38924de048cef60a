/**
 * Issue 11: the command line's findings (2, 3, 6, 8, 9, 10, 11, 12), one regression test each,
 * and fast-check properties for CSV and JSON data files and for options.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsvSet, parseJsonSet } from '../src/data.js';
import { BadInputError } from '../src/errors.js';
import { markRenaming, removeTemporaryFiles, trackTemporaryFile } from '../src/interrupt.js';
import { parseJson, removeStaleTemporaryFiles, writeFileAtomic } from '../src/io.js';
import { jsonPieces } from '../src/json-pieces.js';
import { CLI, lines, runCli, tempDir, type RunResult } from './helpers.js';

const dir = tempDir('synaptic-reliability-');
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** Runs the CLI with stdout going to `/dev/full` (every write fails with ENOSPC). */
function runToFullDisk(args: string[], input = ''): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const full = openSync('/dev/full', 'w');
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['pipe', full, 'pipe'] });
    closeSync(full);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: '', stderr });
    });
    child.stdin?.end(input);
  });
}

function oneErrorLine(result: RunResult): string {
  const errors = lines(result.stderr).filter((l) => l.startsWith('synaptic: '));
  expect(errors, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  return errors[0];
}

/** A 2-1 model whose weights and bias are 1e308: its outputs overflow. */
const HUGE_MODEL = JSON.stringify({
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
      layer: 'input',
      squash: 'LOGISTIC',
    },
    {
      trace: { elegibility: {}, extended: {} },
      state: 0,
      old: 0,
      activation: 0,
      bias: 1e308,
      layer: 'output',
      squash: 'IDENTITY',
    },
  ],
  connections: [
    { from: 0, to: 2, weight: 1e308, gater: null },
    { from: 1, to: 2, weight: 1e308, gater: null },
  ],
});

beforeAll(async () => {
  const trained = await runCli(['train', '--data', 'xor', '--out', join(dir, 'xor.json'), '--quiet'], { cwd: dir });
  expect(trained.code, trained.stderr).toBe(0);
});

describe('finding 2: the CSV header check is linear', () => {
  it('a header of 200,000 columns is read (and a duplicate found) at once', () => {
    // indexOf per column took 54 s for 100,000 columns
    const names = Array.from({ length: 200_000 }, (_, i) => `in:c${i}`);
    const header = [...names, 'out:y', 'in:c7'].join(',');
    const row = Array.from({ length: 200_002 }, () => '0').join(',');
    expect(() => parseCsvSet(`${header}\n${row}\n`, 'wide.csv')).toThrow(/column "in:c7" appears twice/);
  });

  it('through the command line: exit 2 and one line', async () => {
    const names = Array.from({ length: 50_000 }, (_, i) => `c${i}`);
    const path = file('dup.csv', `${[...names, 'out:y', 'c3'].join(',')}\n${new Array(50_002).fill(0).join(',')}\n`);
    const result = await runCli(['train', '--data', path, '--out', 'm.json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(oneErrorLine(result)).toMatch(/column "c3" appears twice/);
  });
});

describe('finding 3: models too large for one string are written in pieces', () => {
  it('jsonPieces concatenates to exactly JSON.stringify', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 1, max: 64 }), (value, size) => {
        expect([...jsonPieces(value, 2, size)].join('')).toBe(JSON.stringify(value));
      }),
      { numRuns: 300, seed: 3 },
    );
    const model = {
      neurons: [{ a: 1, b: undefined }],
      connections: [{ from: 0, weight: -0.5 }],
      trainedOn: { x: [1] },
    };
    expect([...jsonPieces(model, 2, 8)].join('')).toBe(JSON.stringify(model));
  });

  it('writeFileAtomic writes content given in pieces', async () => {
    const path = join(dir, 'pieces.txt');
    await writeFileAtomic(path, ['a', 'bc', 'd']);
    expect(readFileSync(path, 'utf8')).toBe('abcd');
  });
});

describe('finding 6: non-finite outputs in the command line', () => {
  it('run exits 2 with one line naming the unit instead of printing [null]', async () => {
    const model = file('huge.json', HUGE_MODEL);
    const result = await runCli(['run', model], { cwd: dir, input: '[1,1]\n' });
    expect(result.code).toBe(2);
    expect(result.stdout).not.toContain('null');
    expect(oneErrorLine(result)).toMatch(/unit 2.*Infinity/);
  });

  it('eval exits 2 instead of printing "error (mse) -"', async () => {
    const model = file('huge2.json', HUGE_MODEL);
    const result = await runCli(['eval', model, '--data', 'xor'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).not.toMatch(/error \(mse\) -/);
    expect(oneErrorLine(result)).toMatch(/Infinity/);
  });
});

describe('finding 8: deeply nested JSON', () => {
  for (const command of [
    ['run', 'deep.json'],
    ['train', '--data', 'deep.json', '--out', 'm.json'],
  ]) {
    it(`${command[0]}: an unclosed [[[[… 5,000 deep is one line and exit 2`, async () => {
      file('deep.json', '['.repeat(5000));
      const result = await runCli(command, { cwd: dir, input: '' });
      expect(result.code).toBe(2);
      expect(oneErrorLine(result)).toMatch(
        /deep\.json: line 1, column 1001: invalid JSON: nested more than 1000 levels deep/,
      );
    });
  }

  it('parseJson of 100,000 levels, closed or not, is a BadInputError', () => {
    expect(() => parseJson('['.repeat(100_000), 'x.json')).toThrow(BadInputError);
    expect(() => parseJson(`${'['.repeat(100_000)}1${']'.repeat(99_999)}`, 'x.json')).toThrow(BadInputError);
  });
});

describe('finding 9: a full disk is a failure', () => {
  it('compile > /dev/full exits 1 naming ENOSPC', async () => {
    const result = await runToFullDisk(['compile', 'xor.json']);
    expect(result.code).toBe(1);
    expect(oneErrorLine(result)).toMatch(/cannot write to stdout: no space left on the device \(ENOSPC\)/);
  });

  it('dot > /dev/full exits 1', async () => {
    const result = await runToFullDisk(['dot', 'xor.json']);
    expect(result.code).toBe(1);
    expect(oneErrorLine(result)).toMatch(/ENOSPC/);
  });

  it('train --json > /dev/full exits 1', async () => {
    const result = await runToFullDisk(['train', '--data', 'xor', '--out', 'full.json', '--json', '--quiet']);
    expect(result.code).toBe(1);
    expect(oneErrorLine(result)).toMatch(/ENOSPC/);
  });

  it('run > /dev/full exits 1 with one line, not a stack', async () => {
    const input = `${Array.from({ length: 2000 }, () => '[1,0]').join('\n')}\n`;
    const result = await runToFullDisk(['run', 'xor.json'], input);
    expect(result.code).toBe(1);
    expect(oneErrorLine(result)).toMatch(/ENOSPC/);
  });
});

describe('finding 10: an interrupted final write says what is on disk', () => {
  it('a temporary file renamed into place before the signal counts as saved', () => {
    const temporary = join(dir, '.done.json.1.aaaaaaaa.tmp');
    const target = join(dir, 'done.json');
    writeFileSync(temporary, '{}');
    trackTemporaryFile(temporary, target);
    markRenaming(temporary);
    renameSync(temporary, target);
    expect(removeTemporaryFiles()).toEqual([target]);
  });

  it('a temporary file not yet renamed is removed and counts as nothing saved', () => {
    const temporary = join(dir, '.half.json.1.bbbbbbbb.tmp');
    writeFileSync(temporary, '{');
    trackTemporaryFile(temporary, join(dir, 'half.json'));
    markRenaming(temporary);
    expect(removeTemporaryFiles()).toEqual([]);
    expect(existsSync(temporary)).toBe(false);
  });
});

describe('finding 11: temporary files of killed runs are cleaned up', () => {
  it('the next write removes those of processes that no longer run, and keeps live ones', async () => {
    const sub = join(dir, 'stale');
    mkdirSync(sub);
    // pid 2^22 + 1 is above Linux's pid_max limit: never a running process
    const dead = join(sub, `.model.json.${2 ** 22 + 1}.0123abcd.tmp`);
    const live = join(sub, `.model.json.${process.pid}.0123abcd.tmp`);
    const other = join(sub, `.other.json.${2 ** 22 + 1}.0123abcd.tmp`);
    for (const f of [dead, live, other]) writeFileSync(f, 'x'.repeat(100));
    expect(await removeStaleTemporaryFiles(join(sub, 'model.json'))).toBe(1);
    expect(readdirSync(sub).sort()).toEqual([live, other].map((f) => f.slice(sub.length + 1)).sort());
  });
});

describe('finding 12: bad output paths', () => {
  it('-o /proc/version is bad input, not an internal ENOENT', async () => {
    const result = await runCli(['train', '--data', 'xor', '--out', '/proc/version', '--quiet'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(oneErrorLine(result)).toMatch(/\/proc\/version: cannot write/);
  });

  it('a read-only model.json is not replaced', async () => {
    const path = file('readonly.json', readFileSync(join(dir, 'xor.json'), 'utf8'));
    chmodSync(path, 0o444);
    const before = readFileSync(path, 'utf8');
    const result = await runCli(['train', '--data', 'xor', '--out', path, '--quiet'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(oneErrorLine(result)).toMatch(/read-only/);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });
});

describe('property: junk data files give a BadInputError', () => {
  it('CSV', () => {
    const cell = fc.oneof(
      fc.constantFrom('', '1', '0.5', 'x', 'out:y', 'in:a', '"', '#', 'NaN', '1e999'),
      fc.string({ maxLength: 4 }),
    );
    const csv = fc
      .array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 6 })
      .map((rows) => rows.map((r) => r.join(',')).join('\n'));
    fc.assert(
      fc.property(csv, (text) => {
        try {
          const set = parseCsvSet(text, 'junk.csv');
          for (const s of set.samples) expect([...s.input, ...s.output].every(Number.isFinite)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(BadInputError);
        }
      }),
      { numRuns: 500, seed: 21 },
    );
  });

  it('JSON', () => {
    const json = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 30 }),
      fc
        .array(fc.record({ input: fc.jsonValue(), output: fc.jsonValue() }), { maxLength: 3 })
        .map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(json, (text) => {
        try {
          const set = parseJsonSet(text, 'junk.json');
          for (const s of set.samples) expect([...s.input, ...s.output].every(Number.isFinite)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(BadInputError);
        }
      }),
      { numRuns: 500, seed: 22 },
    );
  });
});

describe('property: junk options give one line and exit 2', () => {
  it('train, run, eval, compile with junk option values', async () => {
    const value = fc.oneof(
      fc.constantFrom(
        '',
        '-1',
        '0',
        'NaN',
        '1e999',
        'abc',
        'perceptron:',
        'perceptron:2,0,1',
        'lstm:1,x',
        '/proc/version',
        'nope.json',
      ),
      fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !s.startsWith('-')),
    );
    const option = fc.constantFrom('--epochs', '--rate', '--arch', '--data', '--batch', '--out', '--error');
    await fc.assert(
      fc.asyncProperty(option, value, async (name, v) => {
        const args = ['train', '--data', 'xor', '--out', 'p.json', '--quiet', '--epochs', '1'];
        const i = args.indexOf(name);
        if (i === -1) args.push(name, v);
        else args[i + 1] = v;
        const result = await runCli(args, { cwd: dir });
        if (result.code === 0) return; // a junk-looking value that is valid (e.g. --rate 0)
        expect(result.code, result.stderr).toBe(2);
        oneErrorLine(result);
      }),
      { numRuns: 25, seed: 23 },
    );
  }, 120_000);
});
