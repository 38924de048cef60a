import { optimize } from '@synaptic/compile';
import { Command } from 'commander';
import { loadDataset, MNIST_MAX_TEST, MNIST_MAX_TRAIN } from '../data.js';
import { evaluate } from '../evaluate.js';
import { interruptible } from '../interrupt.js';
import { BadInputError } from '../errors.js';
import { checkFits, describeNetwork, loadModel, type TrainedOn } from '../model.js';
import {
  addCommonOptions,
  COSTS,
  costOption,
  nameList,
  positiveInteger,
  type CommonOptions,
  type CostName,
} from '../options.js';
import { Output } from '../output.js';
import { evaluationText } from './train.js';

interface EvalOptions extends CommonOptions {
  data: string;
  cost: CostName;
  outputs?: string[];
  trainSize?: number;
  testSize: number;
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
      `mnist: the training digits skipped before the test digits (10 to ${MNIST_MAX_TRAIN}; default: what the model was trained on, else 8000); less than the model was trained on is refused`,
      positiveInteger,
    )
    .option(
      '--test-size <n>',
      `mnist: test digits (10 to ${MNIST_MAX_TEST}; fewer where a class runs out)`,
      positiveInteger,
      2000,
    )
    .option('--no-compile', "run on core's interpreter instead of compiled code");
  addCommonOptions(command);
  return command.action(async (modelFile: string, options: EvalOptions) => {
    const out = new Output(options);
    const { network, trainedOn } = await loadModel(modelFile);
    const trainSize =
      options.data === 'mnist' ? mnistTrainSize(modelFile, trainedOn, options.trainSize, out) : undefined;
    const data = await loadDataset(options.data, {
      outputs: options.outputs,
      trainSize,
      testSize: options.testSize,
      // the test digits are a fixed set (the ones after the training digits); the seed only orders them
      seed: 1,
      classes: trainedOn?.labels?.classes,
    });
    if (data.kind === 'mnist')
      out.status(
        `testing on ${(data.test ?? []).length.toLocaleString('en-US')} mnist test digits: the ones after the first ${(trainSize ?? 0).toLocaleString('en-US')} training digits${(data.test ?? []).length < options.testSize ? ` (fewer than --test-size ${options.testSize}: some digits run out)` : ''}`,
      );
    else for (const note of data.notes) out.status(note);
    const samples = data.kind === 'mnist' ? (data.test ?? []) : data.samples;
    checkFits(network, modelFile, data);
    if (options.compile) optimize(network);
    out.status(
      `evaluating ${modelFile} (${describeNetwork(network)}) on ${data.kind === 'mnist' ? 'mnist test digits' : data.name}`,
    );
    const started = performance.now();
    const e = await interruptible(() => evaluate(network, samples, COSTS[options.cost]));
    const seconds = (performance.now() - started) / 1000;
    const labels = data.kind === 'mnist' ? Array.from({ length: 10 }, (_, i) => String(i)) : data.labels?.classes;
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

/**
 * The MNIST digits to skip before the test digits: the model's own training range when it records
 * one, and never less (the test digits would then be digits it learned).
 */
function mnistTrainSize(
  modelFile: string,
  trainedOn: TrainedOn | undefined,
  asked: number | undefined,
  out: Output,
): number {
  const recorded = trainedOn?.data === 'mnist' ? trainedOn.trainSize : undefined;
  if (recorded !== undefined && asked !== undefined && asked < recorded) {
    throw new BadInputError(
      `--train-size ${asked}: ${modelFile} was trained on the first ${recorded.toLocaleString('en-US')} mnist training digits, so testing after only ${asked.toLocaleString('en-US')} would test it on digits it learned; leave out --train-size (${recorded.toLocaleString('en-US')} is then used) or give at least ${recorded}`,
    );
  }
  if (recorded === undefined && asked === undefined)
    out.status(
      `${modelFile} does not record what it was trained on: testing on the mnist digits after the first 8,000 (--train-size 8000); if it was trained on more, give its --train-size`,
    );
  return asked ?? recorded ?? 8000;
}
