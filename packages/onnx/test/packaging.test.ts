/**
 * The built package as a user gets it: both builds (ES module and CommonJS) load onnx-proto,
 * export a network that onnxruntime-node runs, and import it back.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function run(file: string): { onnx: number[]; network: number[]; imported: number[] } {
  for (const built of ['dist/index.js', 'dist/index.cjs', '../core/dist/index.js', '../core/dist/index.cjs']) {
    if (!existsSync(`${packageDir}/${built}`))
      throw new Error(`packages/onnx/${built} is missing: build first (the root \`pnpm test\` does)`);
  }
  const stdout = execFileSync(process.execPath, [file], { cwd: packageDir, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('the built package', () => {
  for (const file of ['use-esm.mjs', 'use-cjs.cjs']) {
    it(`${file}: exports, runs in onnxruntime-node and imports back`, () => {
      const { onnx, network, imported } = run(fixture(file));
      expect(onnx).toHaveLength(1);
      expect(Math.abs(onnx[0] - network[0])).toBeLessThan(1e-6);
      expect(Math.abs(imported[0] - network[0])).toBeLessThan(1e-6);
    });
  }
});

describe("the README's Node example", () => {
  it('is the fixture, word for word, and runs: ONNX outputs equal the LSTM within 1e-5 at every step', () => {
    const readme = readFileSync(`${packageDir}/README.md`, 'utf8');
    const code = /### Node \(onnxruntime-node\)\n\n```js\n([\s\S]*?)```/.exec(readme)![1];
    const fixtureText = readFileSync(fixture('readme-node.mjs'), 'utf8');
    expect(fixtureText.slice(fixtureText.indexOf('\n') + 1)).toBe(code);
    if (!existsSync(`${packageDir}/../architect/dist/index.js`))
      throw new Error('packages/architect/dist is missing: build first (the root `pnpm test` does)');
    const stdout = execFileSync(process.execPath, [fixture('readme-node.mjs')], {
      cwd: packageDir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const printed = stdout.trim().split('\n');
    expect(printed[0]).toMatch(/^\[ 2, 1 \] \[ [\d.]+, [\d.]+ \]$/);
    const steps = printed.slice(1).map((line) => line.split(' ').map(Number));
    expect(steps).toHaveLength(3);
    for (const [onnx, network] of steps) expect(Math.abs(onnx - network)).toBeLessThan(1e-5);
  });
});
