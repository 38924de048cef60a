/**
 * The MNIST page as a person uses it: after training, a digit drawn with the mouse on the pad is
 * read by the network, and a held-out digit put on the pad is read right. Its "Softmax +
 * cross-entropy + Adam" button trains a softmax output with Adam in the worker, kept in the URL.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { launch, resultsDir, watchedPage } from './support/browser.js';
import { expectWorkerPath, pause, status } from './support/flow.js';

let browser: Browser;
const base = inject('playgroundUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

it('reads a digit drawn with the mouse', async () => {
  const { page, watch } = await watchedPage(browser);
  await page.goto(`${base}mnist.html`);
  // trained for a while: most held-out digits read right
  await page.waitForFunction(
    () => Number(document.querySelector('#accuracy')?.getAttribute('data-right')) >= 150,
    null,
    {
      timeout: 60_000,
      polling: 250,
    },
  );
  await pause(page);

  // a "1": one vertical stroke down the middle of the pad
  const box = (await page.locator('#pad').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++)
    await page.mouse.move(box.x + box.width * (0.5 - i * 0.005), box.y + box.height * (0.15 + i * 0.07));
  await page.mouse.up();
  await expect.poll(() => page.locator('#answer').getAttribute('data-digit')).toBe('1');
  expect(await page.locator('#answer').textContent()).toBe('It reads: 1');
  await page.screenshot({ path: join(resultsDir, 'mnist-drawn.png'), fullPage: true });

  await page.getByText('Clear').click();
  expect(await page.locator('#answer').textContent()).toBe('Draw a digit.');
  expect(watch.errors).toEqual([]);
  await page.context().close();
});

it('trains a softmax output with cross-entropy and Adam from its button', async () => {
  const { page, watch } = await watchedPage(browser);
  await page.goto(`${base}mnist.html`);
  await page.waitForFunction(() => window.playground?.state === 'training', null, { timeout: 30_000 });
  await page.click('#softmax-adam');
  const hash = new URL(page.url()).hash;
  for (const part of ['output=SOFTMAX', 'optimizer=adam', 'rate=0.001', 'batchSize=10']) expect(hash).toContain(part);
  expect(await status(page, '(p) => p.network.layers.output.layerFunction?.name')).toBe('SOFTMAX');
  expect(await status(page, '(p) => p.trainOptions')).toEqual({ optimizer: 'adam', batchSize: 10 });
  await page.waitForFunction(() => window.playground.state === 'training', null, { timeout: 30_000 });
  // most held-out digits read right, and the training error (categorical cross-entropy) has fallen
  await page.waitForFunction(
    () => Number(document.querySelector('#accuracy')?.getAttribute('data-right')) >= 150,
    null,
    { timeout: 60_000, polling: 250 },
  );
  await pause(page);
  const losses = await status<{ train: number }[]>(page, '(p) => p.losses');
  expect(losses[losses.length - 1].train).toBeLessThan(0.5 * losses[0].train);
  await expectWorkerPath(page, watch);
  const outputs = await status<number[]>(page, '(p) => p.network.activate(new Array(784).fill(0.1))');
  expect(outputs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  await page.screenshot({ path: join(resultsDir, 'mnist-softmax-adam.png'), fullPage: true });

  await page.reload();
  await page.waitForFunction(() => window.playground?.network !== null);
  expect(await page.locator('#setting-output').inputValue()).toBe('SOFTMAX');
  expect(await page.locator('#setting-optimizer').inputValue()).toBe('adam');
  expect(await status(page, '(p) => p.trainOptions')).toEqual({ optimizer: 'adam', batchSize: 10 });
  expect(watch.errors).toEqual([]);
  await page.context().close();
});
