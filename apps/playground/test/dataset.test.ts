import { SynapticError } from '@synaptic/core';
import { describe, expect, it } from 'vitest';
import { DataFileError, defaultRoles, parseFile, samples } from '../src/lib/dataset.js';

describe('data files', () => {
  it('reads a CSV: numbers scaled into [0, 1], categories one-hot', () => {
    const { table, roles } = parseFile('x,colour,y\n0,red,1\n10,blue,0\n5,red,0.5\n', 'a.csv');
    expect(roles).toBeNull();
    expect(table.columns).toEqual([
      { name: 'x', kind: 'number', min: 0, max: 10 },
      { name: 'colour', kind: 'category', categories: ['blue', 'red'] },
      { name: 'y', kind: 'number', min: 0, max: 1 },
    ]);
    expect(samples(table, defaultRoles(table.columns))).toEqual([
      { input: [0, 0, 1], output: [1] },
      { input: [1, 1, 0], output: [0] },
      { input: [0.5, 0, 1], output: [0.5] },
    ]);
    expect(samples(table, ['x', 'o', 'i'])).toEqual([
      { input: [1], output: [0, 1] },
      { input: [0], output: [1, 0] },
      { input: [0.5], output: [0, 1] },
    ]);
  });

  it('reads a 1.x training set with its roles, and records', () => {
    const set = JSON.stringify([
      { input: [0, 1], output: [1] },
      { input: [1, 1], output: [0] },
    ]);
    const { table, roles } = parseFile(set, 'xor.json');
    expect(roles).toEqual(['i', 'i', 'o']);
    expect(samples(table, roles!)).toEqual([
      { input: [0, 1], output: [1] },
      { input: [1, 1], output: [0] },
    ]);
    const records = parseFile(
      JSON.stringify([
        { a: 1, b: 'x' },
        { a: 3, b: 'y' },
      ]),
      'r.json',
    );
    expect(records.table.columns.map((c) => c.kind)).toEqual(['number', 'category']);
  });

  it('refuses bad files with a DataFileError naming the problem', () => {
    const bad: [string, string, string][] = [
      ['a,b\n1,2\n3\n', 'b.csv', 'b.csv: row 2 has 1 values, the header 2'],
      ['a,b\n1,2\n', 'c.csv', 'c.csv: needs at least 2 rows of data, got 1'],
      ['a,b\n1,\n3,4\n', 'd.csv', 'd.csv: row 1, column "b" is empty'],
      ['{"input": [1]}', 'e.json', 'e.json: must be a non-empty array (a 1.x training set or records)'],
      [
        '[{"input":[1],"output":[1]},{"input":[1,2],"output":[1]}]',
        'f.json',
        'f.json: sample 1 must have an input of 1 and an output of 1 numbers',
      ],
      ['[1, 2', 'g.json', 'g.json: is not JSON'],
      ['a,b', 'h.xlsx', 'h.xlsx: expected a .csv or a .json file'],
    ];
    for (const [text, file, message] of bad) {
      let caught: unknown;
      try {
        parseFile(text, file);
      } catch (error) {
        caught = error;
      }
      expect(caught, file).toBeInstanceOf(DataFileError);
      expect(caught).toBeInstanceOf(SynapticError);
      expect((caught as Error).message).toContain(message);
    }
    const { table } = parseFile('a,b\n1,2\n3,4\n', 'ok.csv');
    expect(() => samples(table, ['i', 'i'])).toThrow('choose at least one output column');
    expect(() => samples(table, ['o', 'o'])).toThrow('choose at least one input column');
  });
});
