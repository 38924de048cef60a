import { chromium } from 'playwright-core';
import { preview } from 'vite';
const server = await preview({ root: process.cwd(), preview: { port: 0, host: '127.0.0.1' } });
const url = server.resolvedUrls.local[0];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
for (const name of process.argv[2].split(',')) {
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
let workers = 0;
page.on('console', (m) => m.type() !== 'log' && console.log(name, 'console', m.type(), m.text()));
page.on('pageerror', (e) => console.log(name, 'pageerror', e.message));
page.on('worker', (w) => workers++);
await page.goto(url + name + '.html');
await page.waitForTimeout(Number(process.argv[3] ?? 5000));
console.log(name, workers, await page.evaluate(() => JSON.stringify({ s: window.playground.state, it: window.playground.iterations, runs: window.playground.workerRuns, e: window.playground.error, p: window.playground.problems, l: window.playground.losses.slice(0,2).concat(window.playground.losses.slice(-2)).map(l => [l.iterations, l.train.toFixed(4), l.validation?.toFixed(4)].join(' ')) })));
await page.screenshot({ path: `/tmp/shot-${name}.png`, fullPage: true });
await page.close();
}
await browser.close();
await new Promise((r) => server.httpServer.close(r));
