import { ONNXExportError, stepSignature, toONNX } from '@synaptic/onnx';
import { Command } from 'commander';
import { BadInputError, oneLine } from '../errors.js';
import { checkWritable, formatBytes, writeFileAtomic } from '../io.js';
import { describeNetwork, loadModel } from '../model.js';
import { addCommonOptions, type CommonOptions } from '../options.js';
import { Output } from '../output.js';

interface ExportOptions extends CommonOptions {
  onnx: string;
}

export function exportCommand(): Command {
  const command = new Command('export')
    .description('write a saved model as an ONNX model, for onnxruntime in Node, browsers and Python (@synaptic/onnx)')
    .argument('<model>', 'a model saved as synaptic 1.x JSON')
    .requiredOption('--onnx <file>', 'where to write the .onnx model, atomically');
  addCommonOptions(command);
  command.addHelpText(
    'after',
    '\nA feed-forward network maps `input` [batch, inputs] to `output`; a recurrent or gated one is one step\n' +
      'that also reads and writes its carried values (listed after export, and in the model).\n\n' +
      'Example:\n  synaptic export model.json --onnx model.onnx',
  );
  return command.action(async (modelFile: string, options: ExportOptions) => {
    const out = new Output(options);
    await checkWritable(options.onnx);
    const { network } = await loadModel(modelFile);
    let bytes: Uint8Array;
    let carried: ReturnType<typeof stepSignature>['carried'];
    try {
      bytes = toONNX(network);
      carried = stepSignature(network).carried;
    } catch (error) {
      if (error instanceof ONNXExportError)
        throw new BadInputError(`${modelFile}: cannot export to ONNX: ${oneLine(error.message)}`, { cause: error });
      throw error;
    }
    await writeFileAtomic(options.onnx, bytes);
    const kind =
      carried.length === 0
        ? 'feed-forward'
        : `one step; carries ${carried.map((c) => `${c.input} -> ${c.output}`).join(', ')}`;
    out.status(`wrote ${options.onnx} (ONNX, ${formatBytes(bytes.length)}, ${describeNetwork(network)}; ${kind})`);
    out.document({
      command: 'export',
      model: modelFile,
      onnx: options.onnx,
      bytes: bytes.length,
      inputs: network.inputs(),
      outputs: network.outputs(),
      carried,
    });
  });
}
