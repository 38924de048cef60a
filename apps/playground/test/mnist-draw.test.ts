/**
 * The MNIST page as a person uses it: after training, a digit drawn with the mouse on the pad is
 * read by the network, and a held-out digit put on the pad is read right.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { launch, resultsDir, watchedPage } from './support/browser.js';
import { pause } from './support/flow.js';

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
