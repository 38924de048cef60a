import { createInterface } from 'node:readline';
import { optimize } from '@synaptic/compile';
import { Command } from 'commander';
import { BadInputError, CliError, show } from '../errors.js';
import { loadModel, plural } from '../model.js';
import { addCommonOptions, nameList, type CommonOptions } from '../options.js';
import { Output } from '../output.js';
import { describeStdoutFailure, stdoutFailure } from '../stdout.js';

interface RunOptions extends CommonOptions {
  clear: boolean;
  compile: boolean;
  argmax?: boolean;
  labels?: string[];
}

/** The index of the largest output (the first one on ties). */
export function argmaxOf(output: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < output.length; i++) if (output[i] > output[best]) best = i;
  return best;
}

/** One input line: `[0, 1]` or `{"input": [0, 1]}` (so a JSON-lines training set can be piped in as is). */
export function parseInputLine(line: string, lineNumber: number, inputs: number): number[] {
  const where = `stdin line ${lineNumber}`;
  let value: unknown;
  try {
    value = JSON.parse(line) as unknown;
  } catch {
    throw new BadInputError(
      `${where}: invalid JSON: expected an array of ${plural(inputs, 'number')}, e.g. [${new Array(Math.min(inputs, 3)).fill(0).join(', ')}${inputs > 3 ? ', ...' : ''}]`,
    );
  }
  const vector =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>).input
      : value;
  if (!Array.isArray(vector))
    throw new BadInputError(
      `${where}: expected an array of ${plural(inputs, 'number')} (or {"input": [...]}), got ${show(value)}`,
    );
  if (vector.length !== inputs)
    throw new BadInputError(`${where}: expected ${plural(inputs, 'number')}, the model's inputs, got ${vector.length}`);
  vector.forEach((x: unknown, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new BadInputError(`${where}: value ${i + 1}: expected a number, got ${show(x)}`);
  });
  return vector as number[];
}

export function runCommand(): Command {
  const command = new Command('run')
    .description(
      'activate a saved model on inputs read as JSON lines from stdin; writes one JSON array of outputs per line to stdout',
    )
    .argument('<model>', 'a model saved as synaptic 1.x JSON')
    .option(
      '--clear',
      'start every line from a zero state (recurrent networks otherwise carry their state from line to line, as a sequence)',
    )
    .option(
      '--argmax',
      'write the index of the largest output per line (the class a classifier answers) instead of the outputs',
    )
    .option(
      '--labels <names>',
      'write the label of the largest output per line: comma-separated, one per output (e.g. setosa,versicolor,virginica); a model trained on a CSV label column knows its own (0, 1, 2...), used by --argmax',
      nameList,
    )
    .option('--no-compile', "run on core's interpreter instead of compiled code");
  addCommonOptions(command);
  command.addHelpText(
    'after',
    "\nExamples:\n  printf '[0,0]\\n[0,1]\\n' | synaptic run xor.json\n  [0.0312...]\n  [0.9644...]\n  synaptic run --argmax mnist-model.json < digits.jsonl\n  synaptic run --labels no,yes xor2.json < inputs.jsonl",
  );
  return command.action(async (modelFile: string, options: RunOptions) => {
    const out = new Output(options);
    const { network, trainedOn } = await loadModel(modelFile);
    if (options.compile) optimize(network);
    const inputs = network.inputs();
    const outputs = network.outputs();
    if (options.labels !== undefined && options.labels.length !== outputs)
      throw new BadInputError(
        `--labels: ${modelFile} has ${plural(outputs, 'output')}, so it needs ${plural(outputs, 'label')}, got ${options.labels.length} (${options.labels.join(', ')})`,
      );
    const labels = options.labels ?? (options.argmax ? trainedOn?.labels?.classes : undefined);
    const format = (output: number[]): string => {
      if (labels !== undefined) return labels[argmaxOf(output)];
      if (options.argmax) return String(argmaxOf(output));
      return JSON.stringify(output);
    };
    out.status(`${modelFile}: reading inputs (JSON arrays of ${plural(inputs, 'number')}) from stdin, one per line`);
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    let lineNumber = 0;
    let count = 0;
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      const input = parseInputLine(line, lineNumber, inputs);
      if (options.clear) network.clear({ states: true });
      const output = network.activate(input);
      count++;
      if (!output.every(Number.isFinite))
        throw new BadInputError(
          `stdin line ${lineNumber}: the model's outputs are not finite numbers (${JSON.stringify(output)})`,
        );
      const failed = stdoutFailure();
      if (failed) throw new CliError(describeStdoutFailure(failed));
      if (!process.stdout.write(`${format(output)}\n`)) {
        await new Promise<void>((resolve) => {
          process.stdout.once('drain', () => resolve());
          process.stdout.once('error', () => resolve());
        });
      }
    }
    out.status(`${modelFile}: ${plural(count, 'input')} run`);
  });
}
