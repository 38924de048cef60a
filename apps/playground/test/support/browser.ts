/**
 * Debian's Chromium (/usr/bin/chromium, never a downloaded browser) driven by playwright-core,
 * headless, with the flags this machine needs (no background networking: the network is closed).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it when it is missing)`);
  mkdirSync(resultsDir, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** What a page did while a test watched it. */
export interface Watch {
  /** console errors and uncaught exceptions */
  errors: string[];
  /** URLs of the Web Workers the page started */
  workers: string[];
}

/**
 * A new page that records console errors, page errors and workers, and sums the main thread's
 * long tasks (PerformanceObserver 'longtask', tasks over 50 ms) into `window.__longTasks`.
 */
export async function watchedPage(browser: Browser): Promise<{ page: Page; watch: Watch }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const watch: Watch = { errors: [], workers: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watch.errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => watch.errors.push(`page error: ${error.message}`));
  page.on('worker', (worker) => watch.workers.push(worker.url()));
  await page.addInitScript(() => {
    const record = { total: 0, longest: 0, count: 0 };
    (window as unknown as { __longTasks: typeof record }).__longTasks = record;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        record.total += entry.duration;
        record.longest = Math.max(record.longest, entry.duration);
        record.count++;
      }
    }).observe({ type: 'longtask', buffered: true });
  });
  return { page, watch };
}

export interface LongTasks {
  total: number;
  longest: number;
  count: number;
}

export function longTasks(page: Page): Promise<LongTasks> {
  return page.evaluate(() => (window as unknown as { __longTasks: LongTasks }).__longTasks);
}
