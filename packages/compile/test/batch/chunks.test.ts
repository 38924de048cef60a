/** The claiming protocol of parallelBatch's shared memory (chunks.ts), without threads. */
import { describe, expect, it } from 'vitest';
import { cost } from '@synaptic/core';
import { claim, finished, giveUp, readStep } from '../../src/batch/chunks.js';
import { Control } from '../../src/batch/parallel-protocol.js';

function startStep(control: Int32Array, tag: number, chunks: number): void {
  Atomics.store(control, Control.COUNT, chunks * 4);
  Atomics.store(control, Control.CHUNKS, chunks);
  Atomics.store(control, Control.CHUNK_SIZE, 4);
  Atomics.store(control, Control.COST, 1);
  Atomics.store(control, Control.DONE, 0);
  Atomics.store(control, Control.FAILED, 0);
  Atomics.store(control, Control.NEXT, (tag << 16) | 1);
  Atomics.store(control, Control.STEP, tag);
}

describe('chunk claims', () => {
  it('hand out chunks 1.. once each, then none; a thread still on an older step gets none', () => {
    const control = new Int32Array(new SharedArrayBuffer(Control.SLOTS * 4));
    startStep(control, 7, 4);
    const step = readStep(control, 7);
    expect(step).toMatchObject({ tag: 7, count: 16, chunks: 4, chunkSize: 4 });
    expect(step.cost).toBe(cost.MSE);
    const stale = { ...step, tag: 6 };
    expect(claim(control, stale)).toBe(-1);
    expect([claim(control, step), claim(control, step), claim(control, step)]).toEqual([1, 2, 3]);
    expect(claim(control, step)).toBe(-1);
    // the next step: the last one's readers cannot take its chunks
    startStep(control, 8, 2);
    expect(claim(control, step)).toBe(-1);
    expect(claim(control, readStep(control, 8))).toBe(1);
  });

  it('count finished chunks, and a failure gives up the unclaimed ones so the caller stops waiting', () => {
    const control = new Int32Array(new SharedArrayBuffer(Control.SLOTS * 4));
    startStep(control, 3, 5);
    const step = readStep(control, 3);
    expect(claim(control, step)).toBe(1);
    finished(control, step);
    expect(claim(control, step)).toBe(2);
    // chunk 2 fails: 3 and 4 were never claimed
    giveUp(control, step, true);
    expect(Atomics.load(control, Control.FAILED)).toBe(1);
    expect(Atomics.load(control, Control.DONE)).toBe(4);
    expect(claim(control, step)).toBe(-1);
    // chunk 0 (the caller's) failing first: every other chunk is given up
    startStep(control, 4, 3);
    giveUp(control, readStep(control, 4), false);
    expect(Atomics.load(control, Control.DONE)).toBe(2);
  });
});
