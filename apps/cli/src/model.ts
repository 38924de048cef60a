import { Network, SynapticError, type AnyNetworkJSON } from '@synaptic/core';
import { BadInputError, oneLine } from './errors.js';
import { formatBytes, parseJson, readText, writeFileAtomic } from './io.js';
import { jsonPieces } from './json-pieces.js';

/**
 * What a model was trained on, saved as the top-level field `trainedOn` beside 1.x's `neurons` and
 * `connections` (synaptic 1.x and `Network.fromJSON` ignore other fields, so the file still loads
 * in both). `eval` reads it to test MNIST models on digits they were not trained on.
 */
export interface TrainedOn {
  /** `mnist`, `xor` or the training file's name. */
  data: string;
  /** Samples trained on. */
  samples: number;
  seed: number;
  /** MNIST: the first `trainSize / 10` digits of each class were training digits (the largest --train-size used). */
  trainSize?: number;
  /** CSV class labels, one-hot encoded: the column and its classes, in output order. */
  labels?: { column: string; classes: string[] };
}

export interface LoadedModel {
  network: Network;
  file: string;
  /** Absent in models saved by other tools (or by 1.x). */
  trainedOn?: TrainedOn;
}

function readTrainedOn(value: unknown): TrainedOn | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.data !== 'string' || typeof v.samples !== 'number' || typeof v.seed !== 'number') return undefined;
  const trainedOn: TrainedOn = { data: v.data, samples: v.samples, seed: v.seed };
  if (typeof v.trainSize === 'number' && Number.isInteger(v.trainSize)) trainedOn.trainSize = v.trainSize;
  const labels = v.labels as { column?: unknown; classes?: unknown } | undefined;
  if (
    labels &&
    typeof labels.column === 'string' &&
    Array.isArray(labels.classes) &&
    labels.classes.every((c) => typeof c === 'string')
  )
    trainedOn.labels = { column: labels.column, classes: labels.classes as string[] };
  return trainedOn;
}

/** Reads a model saved as synaptic 1.x JSON (`network.toJSON()`); every problem names the file. */
export async function loadModel(file: string): Promise<LoadedModel> {
  const text = await readText(file, 'a model saved as synaptic 1.x JSON');
  const json = parseJson(text, file);
  try {
    const trainedOn = readTrainedOn((json as { trainedOn?: unknown } | null)?.trainedOn);
    return { network: Network.fromJSON(json), file, ...(trainedOn ? { trainedOn } : {}) };
  } catch (error) {
    if (error instanceof SynapticError)
      throw new BadInputError(`${file}: not a synaptic model: ${oneLine(error.message)}`, { cause: error });
    throw error;
  }
}

/** What `saveModel` wrote: its size, and in which format. */
export interface SavedModel {
  bytes: number;
  /** "synaptic 1.x JSON", or "synaptic JSON, version 2" for what 1.x's format cannot express */
  format: string;
}

/**
 * Writes the network as JSON (with `trainedOn`), atomically (see `writeFileAtomic`): 1.x's format, or the
 * versioned superset for a softmax layer, fixed or tied parameters.
 */
export async function saveModel(network: Network, file: string, trainedOn?: TrainedOn): Promise<SavedModel> {
  const json: AnyNetworkJSON & { trainedOn?: TrainedOn } = network.toJSON();
  if (trainedOn) json.trainedOn = trainedOn;
  // in pieces: a model past ~7.5 M connections is longer than the longest string V8 can make
  let bytes = 0;
  function* counted(): Generator<string> {
    for (const piece of jsonPieces(json)) {
      bytes += Buffer.byteLength(piece);
      yield piece;
    }
  }
  await writeFileAtomic(file, counted());
  return { bytes, format: 'format' in json ? 'synaptic JSON, version 2' : 'synaptic 1.x JSON' };
}

/** `784-100-10` for layered networks: the size of every layer in activation order. */
export function layerSizes(network: Network): string {
  return network
    .allLayers()
    .map((layer) => layer.size)
    .join('-');
}

/** One line about a network: sizes, units and connections. */
export function describeNetwork(network: Network): string {
  const json = network.toJSON();
  return `${plural(network.inputs(), 'input')}, ${plural(network.outputs(), 'output')}, ${plural('units' in json ? json.units.length : json.neurons.length, 'unit')}, ${plural(json.connections.length, 'connection')}`;
}

export function savedLine(file: string, saved: SavedModel): string {
  return `saved ${file} (${saved.format}, ${formatBytes(saved.bytes)})`;
}

/** A model must fit the data: same number of inputs and outputs. */
export function checkFits(
  network: Network,
  modelName: string,
  data: { name: string; inputs: number; outputs: number },
): void {
  const inputs = network.inputs();
  const outputs = network.outputs();
  if (inputs !== data.inputs || outputs !== data.outputs) {
    throw new BadInputError(
      `${modelName} takes ${plural(inputs, 'input')} and gives ${plural(outputs, 'output')}, but ${data.name} has ${plural(data.inputs, 'input')} and ${plural(data.outputs, 'output')} per sample`,
    );
  }
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
