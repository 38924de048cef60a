/**
 * The "your data" page in headless Chromium: a CSV file given to its file input is read, its
 * columns get roles, training runs in the worker and the loss falls; a role changed in the page
 * goes into the URL and, with the file kept for the tab, survives a reload; a broken file is
 * refused with a message naming the row, and nothing breaks. A softmax output trains with Adam and
 * mini-batches (the gradient path) in the worker, and those settings survive a reload too.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
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

let browser: Browser;
const base = inject('playgroundUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** y = 1 when x1 + x2 > 1, with a noise column and a colour category. */
function csv(): string {
  const lines = ['x1,x2,noise,colour,y'];
  for (let i = 0; i < 120; i++) {
    const x1 = (i * 37) % 100;
    const x2 = (i * 61) % 100;
    lines.push(`${x1},${x2},${(i * 13) % 7},${['red', 'green', 'blue'][i % 3]},${x1 + x2 > 100 ? 1 : 0}`);
  }
  return lines.join('\n');
}

it('reads a CSV, trains in the worker, keeps roles and settings through a reload', async () => {
  const { page, watch } = await watchedPage(browser);
  await page.goto(`${base}data.html`);
  await page.waitForFunction(() => window.playground !== undefined);
  expect(await status(page, '(p) => p.state')).toBe('idle');

  await page.setInputFiles('#file', { name: 'sums.csv', mimeType: 'text/csv', buffer: Buffer.from(csv()) });
  await page.waitForSelector('#columns select');
  expect(new URL(page.url()).hash).toContain('file=sums.csv');
  expect(
    await page.locator('#columns select').evaluateAll((s) => s.map((e) => (e as HTMLSelectElement).value)),
  ).toEqual(['i', 'i', 'i', 'i', 'o']);
  // the noise column is ignored, the learning rate raised: both go into the URL
  await page.locator('#columns select[data-column="2"]').selectOption('x');
  await page.waitForFunction(() => location.hash.includes('roles=iixio'));
  await setSetting(page, 'rate', '0.3');
  expect(await status(page, '(p) => p.network.inputs()')).toBe(2 + 3);

  await page.click('#train');
  const measured = await expectLossFalls(page, 0.6);
  record(resultsDir, 'data.html', measured);
  expect(measured.losses.some((l) => l.validation !== null)).toBe(true);
  await expectWorkerPath(page, watch);
  await page.screenshot({ path: join(resultsDir, 'data.png'), fullPage: true });

  await pause(page);
  const module = await exported(page, 'standalone module');
  const input = [0.5, 0.7, 0, 1, 0];
  const expected = await status<number[]>(page, `(p) => p.network.activate(${JSON.stringify(input)})`);
  const actual = await runStandalone(module.text, input);
  expect(actual[0]).toBeCloseTo(expected[0], 12);

  await page.reload();
  await page.waitForSelector('#columns select');
  expect(await page.locator('#columns select[data-column="2"]').inputValue()).toBe('x');
  expect(await page.locator('#setting-rate').inputValue()).toBe('0.3');
  expect(await status(page, '(p) => p.network.inputs()')).toBe(5);
  expect(watch.errors).toEqual([]);
  await page.context().close();
});

it('trains a softmax output with Adam and mini-batches in the worker; a reload restores them', async () => {
  const { page, watch } = await watchedPage(browser);
  await page.goto(`${base}data.html`);
  await page.waitForFunction(() => window.playground !== undefined);
  // rings.csv: x, y and a ring column of two categories, which becomes two one-hot outputs
  await page.getByText('Use an example (rings.csv)').click();
  await page.waitForSelector('#columns select');
  await setSetting(page, 'output', 'SOFTMAX');
  await setSetting(page, 'cost', 'CROSS_ENTROPY');
  await setSetting(page, 'optimizer', 'adam');
  await setSetting(page, 'rate', '0.01');
  await setSetting(page, 'batchSize', '8');
  const hash = new URL(page.url()).hash;
  for (const part of ['output=SOFTMAX', 'cost=CROSS_ENTROPY', 'optimizer=adam', 'rate=0.01', 'batchSize=8'])
    expect(hash).toContain(part);
  expect(await status(page, '(p) => p.network.layers.output.layerFunction?.name')).toBe('SOFTMAX');
  expect(await status(page, '(p) => p.trainOptions')).toEqual({ optimizer: 'adam', batchSize: 8 });
  expect(await page.locator('#data-message').textContent()).toBe('');

  await page.click('#train');
  const measured = await expectLossFalls(page, 0.6);
  record(resultsDir, 'data.html (softmax, adam)', measured);
  expect(measured.losses.some((l) => l.validation !== null)).toBe(true);
  await expectWorkerPath(page, watch);
  await page.screenshot({ path: join(resultsDir, 'data-softmax-adam.png'), fullPage: true });
  await pause(page);
  // the outputs are a softmax: each sums to 1
  const outputs = await status<number[]>(page, '(p) => p.network.activate([0.5, 0.5])');
  expect(outputs.length).toBe(2);
  expect(outputs[0] + outputs[1]).toBeCloseTo(1, 12);

  await page.reload();
  await page.waitForSelector('#columns select');
  expect(await page.locator('#setting-output').inputValue()).toBe('SOFTMAX');
  expect(await page.locator('#setting-optimizer').inputValue()).toBe('adam');
  expect(await page.locator('#setting-batchSize').inputValue()).toBe('8');
  expect(await page.locator('#setting-rate').inputValue()).toBe('0.01');
  expect(await status(page, '(p) => p.network.layers.output.layerFunction?.name')).toBe('SOFTMAX');
  expect(await status(page, '(p) => p.trainOptions')).toEqual({ optimizer: 'adam', batchSize: 8 });
  expect(watch.errors).toEqual([]);
  await page.context().close();
});

it('refuses a softmax output on a single numeric output, and says why', async () => {
  const { page, watch } = await watchedPage(browser);
  await page.goto(`${base}data.html#output=SOFTMAX`);
  await page.waitForFunction(() => window.playground !== undefined);
  await page.setInputFiles('#file', { name: 'sums.csv', mimeType: 'text/csv', buffer: Buffer.from(csv()) });
  await page.waitForFunction(() => document.querySelector('#data-message')?.textContent !== '');
  expect(await page.locator('#data-message').textContent()).toContain('at least two output units');
  expect(await status(page, '(p) => p.network')).toBeNull();
  await setSetting(page, 'output', 'LOGISTIC');
  await page.waitForFunction(() => window.playground.network !== null);
  expect(await status(page, '(p) => p.trainOptions')).toEqual({});
  expect(watch.errors).toEqual([]);
  await page.context().close();
});

it('refuses a broken file with a message naming the row, then loads the example', async () => {
  const { page, watch } = await watchedPage(browser);
  await page.goto(`${base}data.html`);
  await page.waitForFunction(() => window.playground !== undefined);
  await page.setInputFiles('#file', { name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n3\n') });
  await page.waitForFunction(() => document.querySelector('#data-message')?.textContent !== '');
  expect(await page.locator('#data-message').textContent()).toContain('row 2');
  expect(await status(page, '(p) => p.network')).toBeNull();
  expect(new URL(page.url()).hash).not.toContain('broken');
  // the example still loads afterwards
  await page.getByText('Use an example (rings.csv)').click();
  await page.waitForSelector('#columns select');
  expect(new URL(page.url()).hash).toContain('file=rings.csv');
  expect(await status(page, '(p) => p.network.inputs()')).toBe(2);
  expect(watch.errors).toEqual([]);
  await page.context().close();
});
