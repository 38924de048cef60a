/** The progress bar (cli-progress) as drawn on a terminal, and its plain-text fallback. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Progress } from '../src/progress.js';

/** A stand-in for stderr: a terminal (or not) that keeps what is written. */
function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let written = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      written += chunk.toString();
      callback();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY, columns: 160, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { stream, text: () => written };
}

describe('Progress', () => {
  it('draws a live bar with the count, speed, error and ETA on a terminal', () => {
    const { stream, text } = fakeStream(true);
    const progress = new Progress('samples', false, stream);
    progress.start(40000, { label: 'epoch 1/5' });
    progress.update(12000, { label: 'epoch 2/5', error: 0.0123, speed: 3800 });
    progress.stop();
    const out = text();
    expect(out).toMatch(/epoch 2\/5 [█░]+ 30% \| 12,000\/40,000 samples \| 3,800 samples\/s \| error 0\.0123 \| ETA/);
  });

  it('draws nothing but occasional notes when stderr is not a terminal', () => {
    const { stream, text } = fakeStream(false);
    const progress = new Progress('samples', false, stream);
    progress.start(100);
    progress.update(50, { error: 0.5 });
    progress.note('not yet');
    progress.note('epoch 1/1: done', true);
    progress.stop();
    expect(text()).toBe('epoch 1/1: done\n');
  });

  it('is silent with --quiet', () => {
    const { stream, text } = fakeStream(true);
    const progress = new Progress('samples', true, stream);
    progress.start(10);
    progress.update(5);
    progress.note('line', true);
    progress.stop();
    expect(text()).toBe('');
  });
});
