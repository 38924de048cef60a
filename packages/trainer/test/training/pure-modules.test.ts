/** clip, l1/l2 and the rate schedules: small pure functions, checked on numbers worked by hand. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkClip, clipGradients } from '../../src/clip.js';
import { InvalidOptionError } from '../../src/errors.js';
import { checkRateSchedule, scheduledRate } from '../../src/rate-schedule.js';
import { addPenaltyGradients, penaltyOf } from '../../src/regularization.js';

const tensor = (name: string, value: number[], gradient: number[]) => ({
  name,
  value: Float64Array.from(value),
  gradient: Float64Array.from(gradient),
});

describe('clip', () => {
  it('{ norm } scales all gradients together when their global norm is over it (PyTorch: × norm/(‖g‖ + 1e-6))', () => {
    const ps = [tensor('a', [0, 0], [3, 0]), tensor('b', [0], [4])];
    expect(clipGradients(ps, { norm: 1 })).toBe(5);
    const scale = 1 / (5 + 1e-6);
    expect(Array.from(ps[0].gradient)).toEqual([3 * scale, 0]);
    expect(ps[1].gradient[0]).toBe(4 * scale);
  });

  it('{ norm } leaves gradients under it alone', () => {
    const ps = [tensor('a', [0, 0], [0.3, -0.4])];
    expect(clipGradients(ps, { norm: 1 })).toBeCloseTo(0.5, 15);
    expect(Array.from(ps[0].gradient)).toEqual([0.3, -0.4]);
  });

  it('{ value } clamps each gradient to ±value', () => {
    const ps = [tensor('a', [0, 0, 0], [3, -0.2, -7])];
    clipGradients(ps, { value: 0.5 });
    expect(Array.from(ps[0].gradient)).toEqual([0.5, -0.2, -0.5]);
  });

  it('after { norm } clipping, the global norm is at most the limit (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 1e-3, max: 10, noNaN: true }),
        (g, norm) => {
          const ps = [
            tensor(
              'a',
              g.map(() => 0),
              g,
            ),
          ];
          clipGradients(ps, { norm });
          expect(Math.hypot(...ps[0].gradient)).toBeLessThanOrEqual(norm * (1 + 1e-12));
        },
      ),
    );
  });

  it('checkClip refuses anything but one positive norm or value', () => {
    expect(checkClip({ norm: 1 }, 'clip')).toEqual({ norm: 1 });
    expect(() => checkClip({ norm: 1, value: 2 }, 'clip')).toThrow(InvalidOptionError);
    expect(() => checkClip({ norm: 0 }, 'clip')).toThrow(/clip.norm/);
    expect(() => checkClip({ max: 1 }, 'clip')).toThrow(/exactly one key/);
    expect(() => checkClip(5, 'clip')).toThrow(/\{ norm \} or \{ value \}/);
  });
});

describe('l1 and l2', () => {
  it('add l1·sign(θ) + l2·θ to the gradients, the derivative of l1·Σ|θ| + (l2/2)·Σθ²', () => {
    const ps = [tensor('w', [2, -1, 0], [0.1, 0.1, 0.1])];
    addPenaltyGradients(ps, { l1: 0.01, l2: 0.1 });
    expect(ps[0].gradient[0]).toBeCloseTo(0.1 + 0.01 + 0.2, 15);
    expect(ps[0].gradient[1]).toBeCloseTo(0.1 - 0.01 - 0.1, 15);
    expect(ps[0].gradient[2]).toBeCloseTo(0.1, 15);
    expect(penaltyOf(ps, { l1: 0.01, l2: 0.1 })).toBeCloseTo(0.01 * 3 + 0.05 * 5, 15);
  });

  it("the penalty's gradient matches finite differences of the penalty", () => {
    const w = [0.7, -1.3, 0.25];
    const penalty = { l1: 0.03, l2: 0.2 };
    const ps = [tensor('w', w, [0, 0, 0])];
    addPenaltyGradients(ps, penalty);
    const h = 1e-6;
    w.forEach((_, i) => {
      const at = (d: number) =>
        penaltyOf(
          [
            tensor(
              'w',
              w.map((v, j) => (j === i ? v + d : v)),
              [0, 0, 0],
            ),
          ],
          penalty,
        );
      expect(ps[0].gradient[i]).toBeCloseTo((at(h) - at(-h)) / (2 * h), 7);
    });
  });
});

describe('rate schedules', () => {
  it('step: ×factor every `every` epochs (a step ending exactly at 1 is epoch 0)', () => {
    const s = checkRateSchedule({ type: 'step', every: 2, factor: 0.1 }, 'schedule');
    expect(scheduledRate(s, 1, 0.5, 10)).toBe(1);
    expect(scheduledRate(s, 1, 2, 10)).toBe(1);
    expect(scheduledRate(s, 1, 2.1, 10)).toBeCloseTo(0.1, 15);
    expect(scheduledRate(s, 1, 4.5, 10)).toBeCloseTo(0.01, 15);
  });

  it('exponential: ×factor per epoch', () => {
    const s = checkRateSchedule({ type: 'exponential', factor: 0.5 }, 'schedule');
    expect(scheduledRate(s, 0.8, 1, 10)).toBe(0.8);
    expect(scheduledRate(s, 0.8, 3.5, 10)).toBe(0.1);
  });

  it('cosine: from the base rate to min along half a cosine', () => {
    const s = checkRateSchedule({ type: 'cosine', min: 0.1 }, 'schedule');
    expect(scheduledRate(s, 1, 0, 4)).toBe(1);
    expect(scheduledRate(s, 1, 2, 4)).toBeCloseTo(0.55, 15);
    expect(scheduledRate(s, 1, 4, 4)).toBeCloseTo(0.1, 15);
    expect(scheduledRate(checkRateSchedule({ type: 'cosine', epochs: 2 }, 's'), 1, 3, 4)).toBeCloseTo(0, 15);
  });

  it('warmup: a linear ramp from 0 over `warmup` epochs, then the schedule (cosine after the warmup)', () => {
    const s = checkRateSchedule({ type: 'cosine', warmup: 1 }, 'schedule');
    expect(scheduledRate(s, 1, 0.25, 5)).toBe(0.25);
    expect(scheduledRate(s, 1, 1, 5)).toBe(1);
    expect(scheduledRate(s, 1, 3, 5)).toBeCloseTo(0.5, 15);
    const c = checkRateSchedule({ type: 'constant', warmup: 2 }, 'schedule');
    expect(scheduledRate(c, 0.01, 0.5, 5)).toBeCloseTo(0.0025, 15);
    expect(scheduledRate(c, 0.01, 4, 5)).toBe(0.01);
  });

  it('rates never go below 0 nor above the base (property)', () => {
    const schedules = [
      { type: 'step', every: 1.5, factor: 0.3, warmup: 0.5 },
      { type: 'exponential', warmup: 2 },
      { type: 'cosine', min: 0.01, warmup: 1 },
      { type: 'constant' },
    ].map((s) => checkRateSchedule(s, 'schedule'));
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 20, noNaN: true }), fc.constantFrom(...schedules), (position, s) => {
        const r = scheduledRate(s, 0.1, position, 20);
        expect(r).toBeGreaterThanOrEqual(0);
        expect(r).toBeLessThanOrEqual(0.1);
      }),
    );
  });

  it('bad schedules throw InvalidOptionError naming the field', () => {
    expect(() => checkRateSchedule({ type: 'linear' }, 'schedule')).toThrow(/schedule.type/);
    expect(() => checkRateSchedule({ type: 'step' }, 'schedule')).toThrow(/schedule.every.*required/);
    expect(() => checkRateSchedule({ type: 'cosine', factor: 0.5 }, 'schedule')).toThrow(/schedule.factor/);
    expect(() => checkRateSchedule({ type: 'exponential', factor: 2 }, 'schedule')).toThrow(/in \(0, 1\]/);
    expect(() => checkRateSchedule({ type: 'constant', warmup: -1 }, 'schedule')).toThrow(/schedule.warmup/);
  });
});
