import { SynapticError } from '@synaptic/core';
import type { TrainingSample } from '@synaptic/trainer';
import Papa from 'papaparse';

/** A data file the page cannot use: the message says what is wrong and where. */
export class DataFileError extends SynapticError {
  override name = 'DataFileError';
}

/** A column of a table: numbers (scaled to [0, 1]) or categories (one unit each). */
export type Column =
  /** `raw`: taken as it is (a 1.x training set is already in the network's units), else scaled by min and max. */
  | { name: string; kind: 'number'; min: number; max: number; raw?: boolean }
  | { name: string; kind: 'category'; categories: string[] };

export type Cell = number | string;

export interface Table {
  columns: Column[];
  rows: Cell[][];
}

export type Role = 'i' | 'o' | 'x';

function describeColumn(name: string, values: Cell[]): Column {
  if (values.every((v) => typeof v === 'number')) {
    const numbers = values as number[];
    return { name, kind: 'number', min: Math.min(...numbers), max: Math.max(...numbers) };
  }
  return { name, kind: 'category', categories: [...new Set(values.map(String))].sort() };
}

function cell(raw: unknown, where: string): Cell {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw new DataFileError(`${where} is not a finite number (${raw})`);
    return raw;
  }
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (typeof raw === 'string') {
    const text = raw.trim();
    if (text === '') throw new DataFileError(`${where} is empty`);
    const value = Number(text);
    return Number.isFinite(value) ? value : text;
  }
  throw new DataFileError(`${where} must be a number or a text, got ${raw === null ? 'null' : typeof raw}`);
}

function table(names: string[], records: unknown[][], file: string): Table {
  if (records.length < 2) throw new DataFileError(`${file}: needs at least 2 rows of data, got ${records.length}`);
  if (names.length < 2) throw new DataFileError(`${file}: needs at least 2 columns, got ${names.length}`);
  const rows = records.map((record, r) => {
    if (record.length !== names.length)
      throw new DataFileError(`${file}: row ${r + 1} has ${record.length} values, the header ${names.length}`);
    return record.map((raw, c) => cell(raw, `${file}: row ${r + 1}, column "${names[c]}"`));
  });
  const columns = names.map((name, c) =>
    describeColumn(
      name,
      rows.map((row) => row[c]),
    ),
  );
  return { columns, rows };
}

/** A CSV file with a header row naming its columns. */
export function parseCSV(text: string, file: string): Table {
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
  // a file of one column has no delimiter to find: papaparse then reads it with ',' (what we want)
  const errors = parsed.errors.filter((e) => e.code !== 'UndetectableDelimiter');
  if (errors.length > 0) {
    const e = errors[0];
    throw new DataFileError(`${file}: ${e.message}${e.row !== undefined ? ` (row ${e.row + 1})` : ''}`);
  }
  const [header, ...records] = parsed.data;
  if (!header) throw new DataFileError(`${file}: is empty`);
  return table(
    header.map((h, i) => h.trim() || `column ${i + 1}`),
    records,
    file,
  );
}

/**
 * A JSON file: a 1.x training set (`[{ input: [...], output: [...] }]`, whose columns come with
 * their roles) or an array of records (`[{ "x": 1, "label": "a" }]`).
 */
export function parseJSON(text: string, file: string): { table: Table; roles: Role[] | null } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DataFileError(`${file}: is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!Array.isArray(data) || data.length === 0)
    throw new DataFileError(`${file}: must be a non-empty array (a 1.x training set or records)`);
  const first = data[0] as Record<string, unknown>;
  if (first && typeof first === 'object' && Array.isArray(first.input) && Array.isArray(first.output)) {
    const inputs = first.input.length;
    const outputs = first.output.length;
    const records = data.map((sample, i) => {
      const s = sample as { input?: unknown; output?: unknown };
      if (
        !Array.isArray(s.input) ||
        !Array.isArray(s.output) ||
        s.input.length !== inputs ||
        s.output.length !== outputs
      )
        throw new DataFileError(
          `${file}: sample ${i} must have an input of ${inputs} and an output of ${outputs} numbers`,
        );
      return [...s.input, ...s.output];
    });
    const names = [
      ...Array.from({ length: inputs }, (_, i) => `input ${i}`),
      ...Array.from({ length: outputs }, (_, i) => `output ${i}`),
    ];
    const roles: Role[] = names.map((_, i) => (i < inputs ? 'i' : 'o'));
    const t = table(names, records, file);
    for (const column of t.columns) if (column.kind === 'number') column.raw = true;
    return { table: t, roles };
  }
  if (!first || typeof first !== 'object' || Array.isArray(first))
    throw new DataFileError(`${file}: each element must be an object ({ input, output } or a record)`);
  const names = Object.keys(first);
  const records = data.map((record, i) => {
    if (!record || typeof record !== 'object' || Array.isArray(record))
      throw new DataFileError(`${file}: element ${i} is not an object`);
    return names.map((name) => {
      if (!(name in record)) throw new DataFileError(`${file}: element ${i} has no "${name}"`);
      return (record as Record<string, unknown>)[name];
    });
  });
  return { table: table(names, records, file), roles: null };
}

export function parseFile(text: string, file: string): { table: Table; roles: Role[] | null } {
  if (/\.json$/i.test(file)) return parseJSON(text, file);
  if (/\.(csv|txt)$/i.test(file)) return { table: parseCSV(text, file), roles: null };
  throw new DataFileError(`${file}: expected a .csv or a .json file`);
}

/** How many units a column takes: 1 for numbers, one per category. */
export function width(column: Column): number {
  return column.kind === 'number' ? 1 : column.categories.length;
}

function encode(column: Column, value: Cell, into: number[]): void {
  if (column.kind === 'number' && column.raw) into.push(value as number);
  else if (column.kind === 'number') {
    const span = column.max - column.min;
    into.push(span > 0 ? ((value as number) - column.min) / span : 0.5);
  } else {
    for (const category of column.categories) into.push(String(value) === category ? 1 : 0);
  }
}

/** Roles as the URL keeps them: one letter per column (i input, o output, x ignored). */
export function defaultRoles(columns: Column[]): Role[] {
  return columns.map((_, i) => (i === columns.length - 1 ? 'o' : 'i'));
}

/** The table as training samples: inputs and outputs scaled into [0, 1] (numbers) or one-hot (categories). */
export function samples(t: Table, roles: Role[]): TrainingSample[] {
  if (roles.length !== t.columns.length)
    throw new DataFileError(`the roles name ${roles.length} columns, the file has ${t.columns.length}`);
  if (!roles.includes('i')) throw new DataFileError('choose at least one input column');
  if (!roles.includes('o')) throw new DataFileError('choose at least one output column');
  return t.rows.map((row) => {
    const input: number[] = [];
    const output: number[] = [];
    row.forEach((value, c) => {
      if (roles[c] === 'i') encode(t.columns[c], value, input);
      else if (roles[c] === 'o') encode(t.columns[c], value, output);
    });
    return { input, output };
  });
}
