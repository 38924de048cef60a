import { describe, expect, it } from 'vitest';
import { lossCurve } from '../src/loss-curve.js';

describe('lossCurve', () => {
  it('draws a falling curve from the top left to the bottom right, with its scale', () => {
    const text = lossCurve([2, 1, 0.5, 0.25], { width: 4, height: 4 });
    const lines = text.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe(' 2.00 ┤•   ');
    expect(lines[1]).toBe('      ┤    ');
    expect(lines[2]).toBe('      ┤ •  ');
    expect(lines[3]).toBe('0.250 ┤  ••');
    expect(lines[4]).toBe('      └────');
    expect(lines[5]).toContain('1 … 4');
  });

  it('resamples long series to the width, and skips non-finite values', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1 / (i + 1));
    const lines = lossCurve(values, { width: 50, height: 10 }).split('\n');
    expect(lines[0].split('┤')[1]).toHaveLength(50);
    expect(lossCurve([Number.NaN])).toBe('');
    expect(lossCurve([1, Number.NaN, 0.5], { width: 3, height: 2 }).split('\n')[0]).toBe(' 1.00 ┤•  ');
  });
});
