import { Network, SynapticError, type AnyNetworkJSON } from '@synaptic/core';
import { BadInputError, oneLine } from './errors.js';
import { formatBytes, parseJson, readText, writeFileAtomic } from './io.js';

export interface LoadedModel {
  network: Network;
  file: string;
}

/** Reads a model saved as synaptic 1.x JSON (`network.toJSON()`); every problem names the file. */
export async function loadModel(file: string): Promise<LoadedModel> {
  const text = await readText(file, 'a model saved as synaptic 1.x JSON');
  const json = parseJson(text, file);
  try {
    return { network: Network.fromJSON(json), file };
  } catch (error) {
    if (error instanceof SynapticError)
      throw new BadInputError(`${file}: not a synaptic model: ${oneLine(error.message)}`, { cause: error });
    throw error;
  }
}

/** Writes the network as 1.x JSON, atomically (see `writeFileAtomic`); returns the size written. */
export async function saveModel(network: Network, file: string): Promise<number> {
  const json: AnyNetworkJSON = network.toJSON();
  const text = JSON.stringify(json);
  await writeFileAtomic(file, text);
  return Buffer.byteLength(text);
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

export function savedLine(file: string, bytes: number): string {
  return `saved ${file} (synaptic 1.x JSON, ${formatBytes(bytes)})`;
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
