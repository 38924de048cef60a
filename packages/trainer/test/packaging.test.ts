/**
 * The built package as a user gets it: the 1.x README example, run unchanged (imports aside)
 * with Node on the ES module build, and trainAsync from both builds, each finding its own worker
 * file (worker.js next to index.js, worker.cjs next to index.cjs) without a workerUrl.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function run(file: string): Record<string, unknown> {
  for (const built of ['dist/index.js', 'dist/index.cjs', 'dist/worker.js', 'dist/worker.cjs']) {
    if (!existsSync(`${packageDir}/${built}`))
      throw new Error(`packages/trainer/${built} is missing: build first (the root \`pnpm test\` does)`);
  }
  const stdout = execFileSync(process.execPath, ['--import', fixture('seed-math-random.mjs'), file], {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

type Result = { error: number; iterations: number; time: number };
const rounded = (outputs: number[][]) => outputs.map(([y]) => Math.round(y));

describe('the built package', () => {
  it('runs the 1.x README example: new Trainer(myPerceptron).XOR() returns { error, iterations, time }', () => {
    const { result, outputs, asyncResult, asyncOutputs } = run(fixture('readme-xor.mjs')) as {
      result: Result;
      outputs: number[][];
      asyncResult: Result;
      asyncOutputs: number[][];
    };
    expect(Object.keys(result).sort()).toEqual(['error', 'iterations', 'time']);
    expect(result.error).toBeLessThanOrEqual(0.005);
    expect(rounded(outputs)).toEqual([0, 1, 1, 0]);
    expect(Object.keys(asyncResult).sort()).toEqual(['error', 'iterations', 'time']);
    expect(rounded(asyncOutputs)).toEqual([0, 1, 1, 0]);
  });

  it('trains in a worker from the CommonJS build', () => {
    const { result, outputs, progress } = run(fixture('train-async.cjs')) as {
      result: Result;
      outputs: number[][];
      progress: number;
    };
    expect(result.iterations).toBeGreaterThan(0);
    expect(rounded(outputs)).toEqual([0, 1, 1, 0]);
    expect(progress).toBeGreaterThan(0);
  });

  it('starts its browser worker with the one form bundlers recognise (apps/playground runs it in Chromium)', () => {
    // Vite, webpack 5 and Parcel bundle a worker (and its imports) only for this literal form
    const source = readFileSync(`${packageDir}/dist/index.js`, 'utf8');
    expect(source).toMatch(/new Worker\(new URL\("\.\/worker\.js", import\.meta\.url\), \{ type: "module" \}\)/);
  });
});
