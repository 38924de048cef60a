/**
 * Every demo page in headless Chromium: it loads without console errors, its settings are kept
 * in the URL (a change rewrites the hash, a reload restores it), it trains in the trainer's Web
 * Worker and its loss falls, the main thread's long tasks stay under LONG_TASK_SHARE of the
 * training time, and its exports (1.x JSON, standalone module, ONNX) hold the trained network. A screenshot of each page is saved
 * in test-results/.
 */
import { join } from 'node:path';
import { fromONNX } from '@synaptic/onnx';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, resultsDir, watchedPage } from './support/browser.js';
import {
  expectLossFalls,
  expectWorkerPath,
  exported,
  pause,
  record,
  runStandalone,
  setSetting,
  status,
} from './support/flow.js';

interface Case {
  file: string;
  /** A setting to change (it must differ from the default). */
  setting: [string, string];
  /** The training error must fall below this share of its first value. */
  fall: number;
  /** Feed-forward networks: the standalone module must give the page's output for this input. */
  input: number[] | null;
}

const CASES: Case[] = [
  { file: 'index.html', setting: ['creatures', '40'], fall: 0.2, input: [0.2, 0.8, 0.5, 0.5, 0.1, 0.9] },
  { file: 'xor.html', setting: ['hidden', '4'], fall: 0.5, input: [1, 0] },
  { file: 'dsr.html', setting: ['blocks', '6'], fall: 0.8, input: null },
  {
    file: 'filters.html',
    setting: ['filter', 'blur'],
    fall: 0.5,
    input: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
  },
  { file: 'paint.html', setting: ['hidden', '12'], fall: 0.8, input: [0.25, 0.75] },
  { file: 'som.html', setting: ['colors', '200'], fall: 0.8, input: [0.9, 0.1, 0.4] },
  { file: 'wikipedia.html', setting: ['blocks', '12'], fall: 0.8, input: null },
  { file: 'mnist.html', setting: ['hidden', '16'], fall: 0.5, input: null },
];

let browser: Browser;
const base = inject('playgroundUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(CASES)('$file', ({ file, setting: [key, value], fall, input }) => {
  it('trains in the worker, keeps its settings in the URL, exports the trained network', async () => {
    const { page, watch } = await watchedPage(browser);
    await page.goto(base + file);
    await page.waitForFunction(() => window.playground?.state === 'training', null, { timeout: 30_000 });

    // a change of setting goes into the hash and rebuilds the network
    await setSetting(page, key, value);
    expect(new URL(page.url()).hash).toContain(`${key}=${encodeURIComponent(value)}`);
    expect(String(await status(page, `(p) => p.values[${JSON.stringify(key)}]`))).toBe(value);

    const measured = await expectLossFalls(page, fall);
    record(resultsDir, file, measured);
    await expectWorkerPath(page, watch);
    await page.screenshot({ path: join(resultsDir, file.replace('.html', '.png')), fullPage: true });

    // exports: 1.x JSON of the trained network, and a standalone module computing what it computes
    await pause(page);
    const json = await exported(page, '1.x JSON');
    const parsed = JSON.parse(json.text) as { neurons: unknown[]; connections: unknown[] };
    expect(parsed.neurons.length).toBe(await status(page, '(p) => p.network.toJSON().neurons.length'));
    const module = await exported(page, 'standalone module');
    expect(module.name).toMatch(/\.mjs$/);
    const onnx = await exported(page, 'ONNX');
    expect(onnx.name).toMatch(/\.onnx$/);
    expect(onnx.bytes.length).toBeGreaterThan(100);
    if (input) {
      const expected = await status<number[]>(page, `(p) => p.network.activate(${JSON.stringify(input)})`);
      const actual = await runStandalone(module.text, input);
      actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
      // the ONNX model (float32) read back into a network computes the same, to float32's precision
      const fromModel = fromONNX(new Uint8Array(onnx.bytes)).activate(input);
      fromModel.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    }

    // a reload restores the setting from the URL
    await page.reload();
    await page.waitForFunction(() => window.playground !== undefined, null, { timeout: 30_000 });
    expect(String(await status(page, `(p) => p.values[${JSON.stringify(key)}]`))).toBe(value);
    expect(await page.locator(`#setting-${key}`).inputValue()).toBe(value);
    expect(await status(page, '(p) => p.problems')).toEqual([]);

    expect(watch.errors).toEqual([]);
    await page.context().close();
  });
});
