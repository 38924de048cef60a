/** Ctrl-C: training stops cleanly, the previous model stays as it was, no temporary file is left. */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, tempDir } from './helpers.js';

const dir = tempDir();

/** Starts a long run, waits until training has started, sends `signal`; resolves with how it ended. */
function interrupt(
  args: string[],
  signal: NodeJS.Signals,
  afterMs: number,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    let sent = false;
    const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (!sent && /^training /m.test(stderr)) {
        sent = true;
        setTimeout(() => child.kill(signal), afterMs);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr, stdout });
    });
  });
}

describe('interrupting a run', () => {
  it('SIGINT during training: exit code 130, the previous model intact, nothing half-written', async () => {
    const model = join(dir, 'model.json');
    const trained = await runCli(['train', '--data', 'xor', '--out', model, '--quiet']);
    expect(trained.code).toBe(0);
    const before = readFileSync(model, 'utf8');

    const result = await interrupt(
      [
        'train',
        '--data',
        'mnist',
        '--train-size',
        '2000',
        '--test-size',
        '100',
        '--epochs',
        '100',
        '--out',
        'model.json',
      ],
      'SIGINT',
      700,
    );
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toMatch(
      /synaptic: interrupted in epoch \d+ of 100: training stopped, nothing was saved \(model\.json is unchanged\)/,
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
    expect(readFileSync(model, 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('SIGTERM during the default run also stops cleanly', async () => {
    const model = join(dir, 'default.json');
    writeFileSync(model, '{"previous": true}');
    const result = await interrupt(
      ['--train-size', '2000', '--test-size', '100', '--epochs', '100', '--out', 'default.json'],
      'SIGTERM',
      300,
    );
    expect(result.code, result.stderr).toBe(130);
    expect(readFileSync(model, 'utf8')).toBe('{"previous": true}');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('SIGINT during the tasks: the worker is stopped, exit code 130', async () => {
    const child = spawn(process.execPath, [CLI, 'tasks', 'erg'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr === '') setTimeout(() => child.kill('SIGINT'), 500);
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toMatch(/synaptic: interrupted during the erg task/);
  });
});
