import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choice, defaults, hidden, int, number, readHash, text, writeHash } from '../src/lib/url-state.js';

const schema = {
  hidden: int('hidden units', 3, 1, 16),
  rate: number('learning rate', 0.3, 0.001, 5),
  filter: choice('filter', 'edges', ['blur', 'edges']),
  prompt: text('prompt', 'the ', /^[a-z ]+$/),
  file: hidden(text('file', '')),
};

describe('settings in the URL hash', () => {
  it('reads defaults from an empty hash and writes nothing for them', () => {
    expect(readHash(schema, '')).toEqual({ values: defaults(schema), problems: [] });
    expect(writeHash(schema, defaults(schema))).toBe('');
  });

  it('round-trips any valid values through the hash', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.double({ min: 0.001, max: 5, noNaN: true }),
        fc.constantFrom('blur', 'edges'),
        fc.stringMatching(/^[a-z ]{1,12}$/),
        fc.string(),
        (h, rate, filter, prompt, file) => {
          const values = { hidden: h, rate, filter, prompt, file };
          const hash = writeHash(schema, values);
          expect(readHash(schema, hash)).toEqual({ values, problems: [] });
        },
      ),
    );
  });

  it('refuses values that do not fit, naming the setting, and keeps the default', () => {
    const { values, problems } = readHash(schema, '#hidden=2.5&rate=abc&filter=sharpen&prompt=UP&colour=red');
    expect(values).toEqual(defaults(schema));
    expect(problems).toEqual([
      'hidden must be a whole number, got 2.5; using 3',
      'rate is not a number ("abc"); using 0.3',
      'filter must be one of blur, edges, got "sharpen"; using edges',
      'prompt is not in the expected form ("UP"); using the ',
      'colour: is not a setting of this page (known: hidden, rate, filter, prompt, file)',
    ]);
    expect(readHash(schema, '#hidden=17').problems).toEqual(['hidden must be from 1 to 16, got 17; using 3']);
  });
});
