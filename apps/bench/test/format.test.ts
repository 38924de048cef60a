import { describe, expect, it } from 'vitest';
import { describeMemory, describeTime, formatMB, formatMs, ratio } from '../src/lib/ratio.js';
import { renderMarkdownTable, renderTextTable } from '../src/lib/table.js';

describe('ratios', () => {
  it('describes peer / this in words', () => {
    expect(describeTime(ratio(450, 10), 'builds')).toBe('builds 45x slower');
    expect(describeTime(ratio(5, 10), '2nd step')).toBe('2nd step 2.0x faster');
    expect(describeTime(ratio(10.2, 10), 'builds')).toBe('builds about as fast');
    expect(describeMemory(ratio(12, 1))).toBe('uses 12x the memory');
    expect(describeMemory(ratio(12, 0))).toBe('memory: no ratio');
  });

  it('formats milliseconds and MB', () => {
    expect(formatMs(1234.5)).toBe('1235');
    expect(formatMs(12.345)).toBe('12.3');
    expect(formatMs(1.2345)).toBe('1.23');
    expect(formatMB(64 * 1024 * 1024)).toBe('64.0');
  });
});

describe('tables', () => {
  const table = {
    headers: ['System', 'ms'],
    rows: [
      ['a|b', '1'],
      ['c', '10'],
    ],
  };

  it('renders markdown with right-aligned numbers and escaped pipes', () => {
    expect(renderMarkdownTable(table)).toBe('| System | ms |\n| --- | ---: |\n| a\\|b | 1 |\n| c | 10 |');
  });

  it('renders aligned text', () => {
    expect(renderTextTable(table)).toBe('System  ms\n------  --\na|b      1\nc       10');
  });
});
