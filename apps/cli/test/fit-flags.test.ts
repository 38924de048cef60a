import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { openFraction, optimizerName, probability, scheduleSpec } from '../src/fit-flags.js';

describe('the gradient path flags', () => {
  it('--schedule TYPE[:key=value,...]', () => {
    expect(scheduleSpec('cosine')).toEqual({ type: 'cosine' });
    expect(scheduleSpec('cosine:warmup=1')).toEqual({ type: 'cosine', warmup: 1 });
    expect(scheduleSpec('step:every=2,factor=0.5')).toEqual({ type: 'step', every: 2, factor: 0.5 });
    expect(() => scheduleSpec('linear')).toThrow(InvalidArgumentError);
    expect(() => scheduleSpec('step')).toThrow(/every=EPOCHS/);
    expect(() => scheduleSpec('cosine:factor=2')).toThrow(/takes epochs, min, warmup/);
    expect(() => scheduleSpec('cosine:warmup=x')).toThrow(/warmup must be a number/);
  });

  it('--optimizer, --dropout, --validation', () => {
    expect(optimizerName('Adam')).toBe('adam');
    expect(optimizerName('adaptive_gains')).toBe('adaptive-gains');
    expect(() => optimizerName('adamax')).toThrow(/one of sgd, momentum/);
    expect(probability('0.5')).toBe(0.5);
    expect(() => probability('1')).toThrow(InvalidArgumentError);
    expect(openFraction('0.1')).toBe(0.1);
    expect(() => openFraction('0')).toThrow(InvalidArgumentError);
  });
});
