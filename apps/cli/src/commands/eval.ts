import { optimize } from '@synaptic/compile';
import { Command } from 'commander';
import { loadDataset, MNIST_MAX_TEST, MNIST_MAX_TRAIN } from '../data.js';
import { evaluate } from '../evaluate.js';
import { interruptible } from '../interrupt.js';
import { checkFits, describeNetwork, loadModel } from '../model.js';
import {
  addCommonOptions,
  COSTS,
  costOption,
  nameList,
  positiveInteger,
  seedValue,
  type CommonOptions,
  type CostName,
} from '../options.js';
import { Output } from '../output.js';
import { evaluationText } from './train.js';

interface EvalOptions extends CommonOptions {
  data: string;
  cost: CostName;
  outputs?: string[];
  trainSize: number;
  testSize: number;
  seed: number;
  compile: boolean;
}

export function evalCommand(): Command {
  const command = new Command('eval')
    .description(
      'measure a saved model on a data set: error, and accuracy with a confusion matrix when the targets are classes',
    )
    .argument('<model>', 'a model saved as synaptic 1.x JSON')
    .requiredOption(
      '-d, --data <file>',
      'a .json training set, a .csv file (see train), "xor", or "mnist" (its test digits)',
    )
    .addOption(costOption())
    .option('--outputs <columns>', 'CSV: the output columns, comma-separated (instead of the out: prefix)', nameList)
    .option(
      '--train-size <n>',
      `mnist: the training digits skipped before the test digits (10 to ${MNIST_MAX_TRAIN})`,
      positiveInteger,
      8000,
    )
    .option('--test-size <n>', `mnist: test digits (10 to ${MNIST_MAX_TEST})`, positiveInteger, 2000)
    .option('--seed <n>', "mnist: seed of the digits' shuffle (use the one the model was trained with)", seedValue, 1)
    .option('--no-compile', "run on core's interpreter instead of compiled code");
  addCommonOptions(command);
  return command.action(async (modelFile: string, options: EvalOptions) => {
    const out = new Output(options);
    const { network } = await loadModel(modelFile);
    const data = await loadDataset(options.data, {
      outputs: options.outputs,
      trainSize: options.trainSize,
      testSize: options.testSize,
      seed: options.seed,
    });
    const samples = data.kind === 'mnist' ? (data.test ?? []) : data.samples;
    checkFits(network, modelFile, data);
    if (options.compile) optimize(network);
    out.status(
      `evaluating ${modelFile} (${describeNetwork(network)}) on ${data.kind === 'mnist' ? 'mnist test digits' : data.name}`,
    );
    const started = performance.now();
    const e = await interruptible(() => evaluate(network, samples, COSTS[options.cost]));
    const seconds = (performance.now() - started) / 1000;
    const labels = data.kind === 'mnist' ? Array.from({ length: 10 }, (_, i) => String(i)) : undefined;
    out.result(
      evaluationText(
        e,
        `${modelFile} on ${data.kind === 'mnist' ? 'mnist test digits' : data.name}`,
        options.cost,
        labels,
      ),
    );
    out.document({
      command: 'eval',
      model: modelFile,
      data: data.name,
      samples: e.samples,
      cost: options.cost,
      error: e.error,
      ...(e.classification
        ? {
            accuracy: e.classification.accuracy,
            correct: e.classification.correct,
            confusion: e.classification.confusion,
          }
        : {}),
      seconds,
    });
  });
}
