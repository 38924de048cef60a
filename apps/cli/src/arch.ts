import { readFileSync } from 'node:fs';
import {
  Convolutional,
  type ConvolutionalLayerSpec,
  GRU,
  Hopfield,
  Liquid,
  LSTM,
  NARX,
  Perceptron,
  Random,
} from '@synaptic/architect';
import { getRandom, mulberry32, setRandom, SynapticError, type Network } from '@synaptic/core';
import { BadInputError, oneLine } from './errors.js';

/**
 * Architecture strings: `kind:n1,n2,...`, e.g. `perceptron:784,100,10`, `lstm:6,7,2`.
 * Each kind maps onto one class of @synaptic/architect.
 */
export interface ArchKind {
  usage: string;
  /** Positions that are counts (may be 0) rather than sizes (at least 1). */
  counts: (sizes: number) => Set<number>;
  minSizes: number;
  maxSizes: number;
  inputs: (s: number[]) => number;
  outputs: (s: number[]) => number;
  /** A rough number of connections, to refuse networks that would not fit in memory. */
  connections: (s: number[]) => number;
  build: (s: number[]) => Network;
}

const layered = (s: number[]): number => s.slice(1).reduce((sum, n, i) => sum + n * s[i], 0);

export const ARCHITECTURES: Record<string, ArchKind> = {
  perceptron: {
    usage: 'perceptron:INPUTS,HIDDEN...,OUTPUTS (e.g. perceptron:784,100,10)',
    counts: () => new Set(),
    minSizes: 3,
    maxSizes: 32,
    inputs: (s) => s[0],
    outputs: (s) => s[s.length - 1],
    connections: layered,
    build: (s) => new Perceptron(...s),
  },
  lstm: {
    usage: 'lstm:INPUTS,BLOCKS...,OUTPUTS (e.g. lstm:6,7,2)',
    counts: () => new Set(),
    minSizes: 3,
    maxSizes: 32,
    inputs: (s) => s[0],
    outputs: (s) => s[s.length - 1],
    connections: (s) => 4 * layered(s) + s.slice(1, -1).reduce((sum, n) => sum + 8 * n * n, 0),
    build: (s) => new LSTM(...s),
  },
  gru: {
    usage: 'gru:INPUTS,BLOCKS...,OUTPUTS (e.g. gru:5,4,2)',
    counts: () => new Set(),
    minSizes: 3,
    maxSizes: 32,
    inputs: (s) => s[0],
    outputs: (s) => s[s.length - 1],
    connections: (s) => 5 * layered(s) + s.slice(1, -1).reduce((sum, n) => sum + 5 * n * n, 0),
    build: (s) => new GRU(...s),
  },
  liquid: {
    usage: 'liquid:INPUTS,POOL,OUTPUTS,CONNECTIONS,GATES (e.g. liquid:2,20,1,30,10)',
    counts: () => new Set([3, 4]),
    minSizes: 5,
    maxSizes: 5,
    inputs: (s) => s[0],
    outputs: (s) => s[2],
    connections: (s) => s[0] * s[1] + s[1] * s[2] + s[3],
    build: (s) => new Liquid(s[0], s[1], s[2], s[3], s[4]),
  },
  hopfield: {
    usage: 'hopfield:SIZE (e.g. hopfield:16)',
    counts: () => new Set(),
    minSizes: 1,
    maxSizes: 1,
    inputs: (s) => s[0],
    outputs: (s) => s[0],
    connections: (s) => s[0] * s[0],
    build: (s) => new Hopfield(s[0]),
  },
  narx: {
    usage: 'narx:INPUTS,HIDDEN,OUTPUTS,INPUT_MEMORY,OUTPUT_MEMORY (e.g. narx:1,6,1,3,2)',
    counts: () => new Set([3, 4]),
    minSizes: 5,
    maxSizes: 5,
    inputs: (s) => s[0],
    outputs: (s) => s[2],
    connections: (s) => (s[0] * (1 + s[3]) + s[2] * s[4]) * s[1] + s[1] * s[2],
    build: (s) => new NARX(s[0], s[1], s[2], s[3], s[4]),
  },
  random: {
    usage: 'random:INPUTS,HIDDEN,OUTPUTS (e.g. random:2,6,1)',
    counts: () => new Set([1]),
    minSizes: 3,
    maxSizes: 3,
    inputs: (s) => s[0],
    outputs: (s) => s[2],
    connections: (s) => 3 * (s[0] + s[1] + s[2]),
    build: (s) => new Random(s[0], s[1], s[2]),
  },
};

export const ARCH_NAMES = Object.keys(ARCHITECTURES);

/** Sizes above this, or networks above MAX_CONNECTIONS, are refused before anything is allocated. */
const MAX_SIZE = 100_000;
const MAX_CONNECTIONS = 20_000_000;

export interface ArchSpec {
  /** The string as given. */
  text: string;
  kind: string;
  sizes: number[];
  inputs: number;
  outputs: number;
  /** a spec file's layers (`--arch FILE.json`, kind 'convolutional') */
  layers?: ConvolutionalLayerSpec[];
}

/** Whether `--arch` names a spec file rather than `kind:numbers`. */
export function isSpecFile(text: string): boolean {
  return /\.json$/i.test(text.trim());
}

/**
 * Reads a spec file: JSON holding the array `new Convolutional(layers)` takes (squashes by name),
 * e.g. `[{ "type": "input", "fieldSize": [28, 28] }, ...]`. The network is built once to check it.
 */
export function parseSpecFile(text: string): ArchSpec {
  const where = `--arch ${JSON.stringify(text)}`;
  let layers: unknown;
  try {
    layers = JSON.parse(readFileSync(text.trim(), 'utf8'));
  } catch (error) {
    throw new BadInputError(`${where}: cannot read the spec file (${oneLine((error as Error).message)})`, {
      cause: error,
    });
  }
  if (!Array.isArray(layers))
    throw new BadInputError(
      `${where}: a spec file holds a JSON array of layers, e.g. [{ "type": "input", "fieldSize": [28, 28] }, ...]`,
    );
  let network: Network;
  try {
    network = new Convolutional(layers as ConvolutionalLayerSpec[], { seed: 1 });
  } catch (error) {
    if (error instanceof SynapticError)
      throw new BadInputError(`${where}: ${oneLine(error.message)}`, { cause: error });
    throw error;
  }
  return {
    text,
    kind: 'convolutional',
    sizes: [],
    inputs: network.inputs(),
    outputs: network.outputs(),
    layers: layers as ConvolutionalLayerSpec[],
  };
}

/** Parses `kind:n1,n2,...` or a spec file (`FILE.json`); anything else is bad input naming the part at fault. */
export function parseArch(text: string): ArchSpec {
  if (isSpecFile(text)) return parseSpecFile(text);
  const where = `--arch ${JSON.stringify(text)}`;
  const colon = text.indexOf(':');
  const kind = (colon === -1 ? text : text.slice(0, colon)).trim().toLowerCase();
  const arch = ARCHITECTURES[kind];
  if (!arch) {
    throw new BadInputError(
      `${where}: unknown architecture ${JSON.stringify(kind)} (expected one of ${ARCH_NAMES.join(', ')}, e.g. perceptron:2,3,1)`,
    );
  }
  if (colon === -1 || text.slice(colon + 1).trim() === '')
    throw new BadInputError(`${where}: expected sizes after the colon: ${arch.usage}`);
  const parts = text
    .slice(colon + 1)
    .split(',')
    .map((p) => p.trim());
  if (parts.length < arch.minSizes || parts.length > arch.maxSizes) {
    const expected = arch.minSizes === arch.maxSizes ? `${arch.minSizes}` : `at least ${arch.minSizes}`;
    throw new BadInputError(`${where}: expected ${expected} numbers, got ${parts.length}: ${arch.usage}`);
  }
  const counts = arch.counts(parts.length);
  const sizes = parts.map((part, i) => {
    const min = counts.has(i) ? 0 : 1;
    const n = /^\d+$/.test(part) ? Number(part) : NaN;
    if (!Number.isSafeInteger(n) || n < min) {
      throw new BadInputError(
        `${where}: number ${i + 1} is ${JSON.stringify(part)}, expected ${min === 0 ? 'a whole number >= 0' : 'a positive whole number'}: ${arch.usage}`,
      );
    }
    if (n > MAX_SIZE) throw new BadInputError(`${where}: number ${i + 1} (${n}) is too large (at most ${MAX_SIZE})`);
    return n;
  });
  if (arch.connections(sizes) > MAX_CONNECTIONS) {
    throw new BadInputError(
      `${where}: about ${arch.connections(sizes).toExponential(1)} connections, more than the ${MAX_CONNECTIONS.toExponential(0)} this command builds`,
    );
  }
  return { text, kind, sizes, inputs: arch.inputs(sizes), outputs: arch.outputs(sizes) };
}

/** Runs `build` with core's random source set to `mulberry32(seed)`, then puts the previous source back. */
export function withSeed<T>(seed: number, build: () => T): T {
  const previous = getRandom();
  setRandom(mulberry32(seed));
  try {
    return build();
  } finally {
    setRandom(previous);
  }
}

/** Builds the network of `spec`, its weights drawn from `mulberry32(seed)`. */
export function buildNetwork(spec: ArchSpec, seed: number): Network {
  try {
    if (spec.layers !== undefined) return new Convolutional(spec.layers, { seed });
    return withSeed(seed, () => ARCHITECTURES[spec.kind].build(spec.sizes));
  } catch (error) {
    if (error instanceof SynapticError)
      throw new BadInputError(`--arch ${JSON.stringify(spec.text)}: ${oneLine(error.message)}`, { cause: error });
    throw error;
  }
}

/** The architecture used when `--arch` is not given: one hidden layer between the data's sizes. */
export function defaultArch(inputs: number, outputs: number): ArchSpec {
  const hidden = Math.max(2, Math.min(100, Math.ceil(Math.sqrt(inputs * outputs)) + 1));
  return parseArch(`perceptron:${inputs},${hidden},${outputs}`);
}
