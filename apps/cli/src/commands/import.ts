import { readFile } from 'node:fs/promises';
import { fromONNX, ONNXImportError } from '@synaptic/onnx';
import { Command } from 'commander';
import { BadInputError, oneLine } from '../errors.js';
import { checkWritable, formatBytes } from '../io.js';
import { describeNetwork, saveModel } from '../model.js';
import { addCommonOptions, type CommonOptions } from '../options.js';
import { Output } from '../output.js';

interface ImportOptions extends CommonOptions {
  out?: string;
}

/** Reads a binary file; a missing or unreadable file is bad input naming the file. */
async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    const why =
      code === 'ENOENT'
        ? 'no such file (expected an .onnx model)'
        : code === 'EISDIR'
          ? 'is a directory (expected an .onnx model)'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : `cannot read: ${error instanceof Error ? error.message : String(error)}`;
    throw new BadInputError(`${path}: ${why}`, { cause: error });
  }
}

export function importCommand(): Command {
  const command = new Command('import')
    .description(
      'read an ONNX model of a multilayer perceptron (Gemm, MatMul+Add, Sigmoid, Tanh, Relu, Flatten, Reshape) into a trainable synaptic model',
    )
    .argument('<model>', 'an .onnx file')
    .option('-o, --out <file>', 'where to write the model as synaptic 1.x JSON, atomically (default: stdout)');
  addCommonOptions(command);
  command.addHelpText(
    'after',
    '\nExample:\n  synaptic import model.onnx -o model.json\n  synaptic train --from model.json --data set.csv',
  );
  return command.action(async (file: string, options: ImportOptions) => {
    const out = new Output(options);
    if (options.out !== undefined) await checkWritable(options.out);
    const bytes = await readBytes(file);
    let network: ReturnType<typeof fromONNX>;
    try {
      network = fromONNX(bytes);
    } catch (error) {
      if (error instanceof ONNXImportError)
        throw new BadInputError(`${file}: cannot import: ${oneLine(error.message)}`, { cause: error });
      throw error;
    }
    if (options.out === undefined) {
      if (!options.json) process.stdout.write(`${JSON.stringify(network.toJSON())}\n`);
    } else {
      const saved = await saveModel(network, options.out);
      out.status(`wrote ${options.out} (${saved.format}, ${formatBytes(saved.bytes)}, ${describeNetwork(network)})`);
    }
    out.document({
      command: 'import',
      onnx: file,
      out: options.out ?? null,
      inputs: network.inputs(),
      outputs: network.outputs(),
      layers: network.allLayers().map((layer) => layer.size),
      ...(options.out === undefined ? { model: network.toJSON() } : {}),
    });
  });
}
