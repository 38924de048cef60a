import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { longTasks, type Watch } from './browser.js';

/** The long-task bound: main-thread tasks over 50 ms add up to at most this share of the training time. */
export const LONG_TASK_SHARE = 0.5;
/** The long tasks are summed over at least this many chunks (trainAsync calls) after the page was built. */
export const CHUNKS = 4;

interface LossPoint {
  iterations: number;
  train: number;
  validation: number | null;
}

export async function status<T>(page: Page, read: string): Promise<T> {
  return page.evaluate(`(${read})(window.playground)`) as Promise<T>;
}

export async function setSetting(page: Page, key: string, value: string): Promise<void> {
  const box = page.locator(`#setting-${key}`);
  if ((await box.evaluate((node) => node.tagName)) === 'SELECT') await box.selectOption(value);
  else {
    await box.fill(value);
    await box.dispatchEvent('change');
  }
}

/**
 * Waits until the training error has fallen below `fall` times its first value (reported by
 * the worker's progress) and CHUNKS chunks have run, then checks the main thread's long tasks
 * over that time: training on the main thread would make it one long task.
 */
export interface Measured {
  losses: LossPoint[];
  /** How long the loss took to fall, and the main thread's long tasks meanwhile. */
  elapsed: number;
  longTasks: { total: number; longest: number; count: number };
}

export async function expectLossFalls(page: Page, fall: number, timeout = 45_000): Promise<Measured> {
  await page.evaluate(() => {
    const record = (window as unknown as { __longTasks: { total: number; longest: number; count: number } })
      .__longTasks;
    record.total = record.longest = record.count = 0;
  });
  const start = Date.now();
  const runs = await status<number>(page, '(p) => p.workerRuns');
  // the window: until the loss has fallen and at least CHUNKS more chunks have trained and been drawn
  await page.waitForFunction(
    ([factor, after]) => {
      const { losses, workerRuns, state } = window.playground;
      if (losses.length < 6 || (workerRuns < after && state === 'training')) return false;
      const last = losses.slice(-3).map((l) => l.train);
      return Math.min(...last) < losses[0].train * factor;
    },
    [fall, runs + CHUNKS] as const,
    { timeout, polling: 200 },
  );
  const elapsed = Date.now() - start;
  const tasks = await longTasks(page);
  const losses = await status<LossPoint[]>(page, '(p) => p.losses');
  expect(losses.every((l) => Number.isFinite(l.train))).toBe(true);
  expect(
    tasks.total,
    `long tasks: ${tasks.count}, ${tasks.total.toFixed(0)} ms of ${elapsed} ms (longest ${tasks.longest.toFixed(0)} ms)`,
  ).toBeLessThan(LONG_TASK_SHARE * Math.max(elapsed, 1000));
  return { losses, elapsed, longTasks: tasks };
}

/** Every `trainAsync` call started a Web Worker from the bundled trainer worker script. */
export async function expectWorkerPath(page: Page, watch: Watch): Promise<void> {
  const runs = await status<number>(page, '(p) => p.workerRuns');
  const trainerWorkers = watch.workers.filter((url) => /\/assets\/worker-[\w-]+\.js$/.test(url));
  expect(runs).toBeGreaterThan(0);
  expect(trainerWorkers.length).toBeGreaterThanOrEqual(runs);
  expect(watch.workers.length).toBe(trainerWorkers.length);
}

export async function pause(page: Page): Promise<void> {
  await page.click('#pause');
  await page.waitForFunction(() => window.playground.state !== 'training', null, { timeout: 30_000 });
}

/** Clicks an export button and returns the downloaded file. */
export async function exported(page: Page, label: string): Promise<{ name: string; bytes: Buffer; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-export="${label}"]`)]);
  const bytes = readFileSync(await download.path());
  return { name: download.suggestedFilename(), bytes, text: bytes.toString('utf8') };
}

/** Imports a standalone module's source in Node and activates it. */
export async function runStandalone(source: string, input: number[]): Promise<number[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'playground-')), 'model.mjs');
  writeFileSync(file, source);
  const module = (await import(pathToFileURL(file).href)) as { activate(input: number[]): number[] };
  return Array.from(module.activate(input));
}

/** One line per page in test-results/long-tasks.jsonl: what the long-task bound was checked against. */
export function record(resultsDir: string, page: string, measured: Measured): void {
  const { losses, elapsed, longTasks } = measured;
  appendFileSync(
    join(resultsDir, 'long-tasks.jsonl'),
    `${JSON.stringify({ page, elapsed, ...longTasks, firstLoss: losses[0].train, lastLoss: losses[losses.length - 1].train })}\n`,
  );
}
