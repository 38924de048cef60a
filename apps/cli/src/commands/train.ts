import { optimize } from '@synaptic/compile';
import type { Network } from '@synaptic/core';
import { Command } from 'commander';
import { buildNetwork, defaultArch, parseArch, type ArchSpec } from '../arch.js';
import { loadDataset, MNIST_MAX_TEST, MNIST_MAX_TRAIN, type Dataset, type Sample } from '../data.js';
import { BadInputError } from '../errors.js';
import { evaluate, type Evaluation } from '../evaluate.js';
import { interruptible } from '../interrupt.js';
import { checkWritable } from '../io.js';
import { checkFits, loadModel, plural, saveModel, savedLine, type LoadedModel, type TrainedOn } from '../model.js';
import {
  addCommonOptions,
  COSTS,
  costOption,
  nameList,
  nonNegativeNumber,
  positiveInteger,
  rateList,
  seedValue,
  type CostName,
  type CommonOptions,
} from '../options.js';
import { Output } from '../output.js';
import { formatCount, formatError, formatSeconds, Progress } from '../progress.js';
import { confusionMatrix, drawDigits } from '../render.js';
import { rateFor, trainEpochs, type LoopResult } from '../train-loop.js';

export interface TrainSettings {
  data: string;
  arch?: string;
  from?: string;
  epochs?: number;
  rate?: number[];
  cost: CostName;
  batch: number;
  seed: number;
  error?: number;
  shuffle: boolean;
  outputs?: string[];
  test?: string;
  trainSize: number;
  testSize: number;
  out: string;
  compile: boolean;
  /** Test digits to draw (MNIST). */
  digits: number;
}

/** Defaults that depend on the data: MNIST's reach 90%+ in about 5 epochs, XOR needs thousands of tiny ones. */
const DEFAULTS: Record<Dataset['kind'], { epochs: number; rate: number[]; error: number }> = {
  mnist: { epochs: 5, rate: [0.05, 0.03, 0.02, 0.01, 0.005], error: 0 },
  xor: { epochs: 20000, rate: [0.2], error: 0.005 },
  file: { epochs: 100, rate: [0.2], error: 0.005 },
};

export const MNIST_ARCH = 'perceptron:784,100,10';

/** The rates the epochs will use, e.g. `rate 0.2` or `rates 0.05, 0.03, 0.02 (one per epoch)`. */
function describeRates(rates: number[], epochs: number): string {
  const used: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const r = rateFor(rates, e, epochs);
    if (used[used.length - 1] !== r) used.push(r);
  }
  return used.length === 1 ? `rate ${used[0]}` : `rates ${used.join(', ')} (spread over the epochs)`;
}

/** The network to train: loaded with --from, built from --arch, or a default that fits the data. */
function networkFor(
  settings: TrainSettings,
  data: Dataset,
  from: LoadedModel | null,
): { network: Network; name: string } {
  if (from !== null) {
    checkFits(from.network, from.file, data);
    return { network: from.network, name: from.file };
  }
  const spec: ArchSpec =
    settings.arch !== undefined
      ? parseArch(settings.arch)
      : data.kind === 'mnist'
        ? parseArch(MNIST_ARCH)
        : defaultArch(data.inputs, data.outputs);
  if (spec.inputs !== data.inputs || spec.outputs !== data.outputs) {
    throw new BadInputError(
      `--arch ${JSON.stringify(spec.text)} takes ${plural(spec.inputs, 'input')} and gives ${plural(spec.outputs, 'output')}, but ${data.name} has ${plural(data.inputs, 'input')} and ${plural(data.outputs, 'output')} per sample`,
    );
  }
  return { network: buildNetwork(spec, settings.seed), name: `${spec.kind}:${spec.sizes.join(',')}` };
}

function evaluationDocument(e: Evaluation): Record<string, unknown> {
  return {
    samples: e.samples,
    error: e.error,
    ...(e.classification
      ? {
          accuracy: e.classification.accuracy,
          correct: e.classification.correct,
          confusion: e.classification.confusion,
        }
      : {}),
  };
}

/** Human lines about an evaluation: error, accuracy and (for up to 20 classes) the confusion matrix. */
export function evaluationText(e: Evaluation, what: string, cost: CostName, labels?: string[]): string {
  const lines = [`${what}: ${formatCount(e.samples)} samples, error (${cost}) ${formatError(e.error)}`];
  const c = e.classification;
  if (c) {
    lines.push(
      `accuracy: ${(100 * c.accuracy).toFixed(2)}% (${formatCount(c.correct)} of ${formatCount(e.samples)} right)`,
    );
    if (c.classes <= 20) {
      lines.push('', "confusion matrix (rows: actual class, columns: the network's answer):");
      lines.push(confusionMatrix(c.confusion, labels ?? Array.from({ length: c.classes }, (_, i) => String(i))));
    }
  }
  return lines.join('\n');
}

/** A few test digits: the first ones, then the first mistakes. */
function pickDigits(
  test: Sample[],
  e: Evaluation,
  count: number,
): Array<{ pixels: number[]; label: number; predicted: number }> {
  const c = e.classification;
  if (!c || count <= 0) return [];
  const right = Math.ceil(count / 2);
  const picked: number[] = [];
  for (let i = 0; i < test.length && picked.length < right; i++) picked.push(i);
  for (let i = 0; i < test.length && picked.length < count; i++)
    if (c.predicted[i] !== c.actual[i] && !picked.includes(i)) picked.push(i);
  for (let i = 0; i < test.length && picked.length < count; i++) if (!picked.includes(i)) picked.push(i);
  return picked.map((i) => ({ pixels: test[i].input, label: c.actual[i], predicted: c.predicted[i] }));
}

/** `train` and the default run: load, build, train with a progress bar, evaluate, save. */
export async function runTraining(settings: TrainSettings, common: CommonOptions): Promise<void> {
  const out = new Output(common);
  const started = performance.now();
  await checkWritable(settings.out);
  if (settings.from !== undefined && settings.arch !== undefined)
    throw new BadInputError('--from and --arch: give one or the other (--from continues training a saved model)');
  const from = settings.from !== undefined ? await loadModel(settings.from) : null;
  if (settings.data === 'mnist') out.status('loading MNIST digits from the mnist package...');
  const data = await loadDataset(settings.data, {
    outputs: settings.outputs,
    trainSize: settings.trainSize,
    testSize: settings.testSize,
    seed: settings.seed,
    classes: from?.trainedOn?.labels?.classes,
  });
  for (const note of data.notes) out.status(note);
  let test: Dataset | null = null;
  if (settings.test !== undefined) {
    test = await loadDataset(settings.test, {
      outputs: settings.outputs,
      trainSize: settings.trainSize,
      testSize: settings.testSize,
      seed: settings.seed,
      classes: data.labels?.classes,
    });
    for (const note of test.notes) out.status(note);
    if (test.inputs !== data.inputs || test.outputs !== data.outputs) {
      throw new BadInputError(
        `--test ${settings.test} has ${plural(test.inputs, 'input')} and ${plural(test.outputs, 'output')} per sample, but ${data.name} has ${plural(data.inputs, 'input')} and ${plural(data.outputs, 'output')}`,
      );
    }
  }
  const testSamples = test ? (test.kind === 'mnist' ? (test.test ?? []) : test.samples) : (data.test ?? null);
  const testName = test ? test.name : data.kind === 'mnist' ? 'mnist test digits' : null;

  const { network, name } = networkFor(settings, data, from);
  if (settings.compile) optimize(network);
  const defaults = DEFAULTS[data.kind];
  const epochs = settings.epochs ?? defaults.epochs;
  const rates = settings.rate ?? defaults.rate;
  const errorGoal = settings.error ?? defaults.error;
  const connections = network.toJSON().connections.length;
  out.status(
    `training ${name} (${formatCount(connections)} connections, ${settings.compile ? 'compiled' : 'interpreted'}) on ${formatCount(data.samples.length)} samples of ${data.name}: ` +
      `${plural(epochs, 'epoch')}, ${describeRates(rates, epochs)}${errorGoal > 0 ? `, until the error is at most ${errorGoal}` : ''}, seed ${settings.seed}` +
      `${testSamples ? `; testing on ${formatCount(testSamples.length)} ${testName}` : ''}`,
  );

  const cost = COSTS[settings.cost];
  const progress = new Progress('samples', out.quiet);
  const { result, scored } = await interruptible(async () => {
    const looped: LoopResult = await trainEpochs({
      network,
      samples: data.samples,
      epochs,
      rates,
      cost,
      batch: settings.batch,
      shuffle: settings.shuffle,
      seed: settings.seed,
      errorGoal,
      progress,
      interruptedNote: `${settings.out} is unchanged`,
    });
    const evaluation = await evaluate(network, testSamples ?? data.samples, cost, `${settings.out} is unchanged`);
    return { result: looped, scored: evaluation };
  });

  const bytes = await saveModel(network, settings.out, trainedOn(settings, data, from));
  const seconds = (performance.now() - started) / 1000;

  const labels = data.kind === 'mnist' ? ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] : data.labels?.classes;
  const lines = [
    `trained ${plural(result.epochs, 'epoch')} (${formatCount(result.samples)} samples) in ${formatSeconds(result.seconds)}, ${formatCount(result.samplesPerSecond)} samples/s; last epoch's error (${settings.cost}) ${formatError(result.error)}${result.reachedGoal ? ` <= ${errorGoal}, stopped early` : ''}`,
    '',
    evaluationText(scored, testSamples ? `test (${testName})` : 'on the training data', settings.cost, labels),
  ];
  if (data.kind === 'mnist' && testSamples && settings.digits > 0) {
    const perRow = Math.max(1, Math.min(4, Math.floor((process.stdout.columns ?? 80) / 24)));
    lines.push(
      '',
      "some test digits and the network's answers:",
      drawDigits(pickDigits(testSamples, scored, settings.digits), perRow),
    );
  }
  out.result(lines.join('\n'));
  out.status(`${savedLine(settings.out, bytes)}; total ${formatSeconds(seconds)}`);
  out.document({
    command: 'train',
    data: data.name,
    network: name,
    compiled: settings.compile,
    trainSamples: data.samples.length,
    epochs: result.epochs,
    rates,
    seed: settings.seed,
    trainingError: result.error,
    samplesPerSecond: result.samplesPerSecond,
    trainingSeconds: result.seconds,
    [testSamples ? 'test' : 'trainingSet']: evaluationDocument(scored),
    out: settings.out,
    bytes,
    seconds,
  });
}

/** What the saved model records about its training data (see `TrainedOn`); --from keeps the larger MNIST range. */
function trainedOn(settings: TrainSettings, data: Dataset, from: LoadedModel | null): TrainedOn {
  const record: TrainedOn = { data: data.name, samples: data.samples.length, seed: settings.seed };
  if (data.kind === 'mnist') {
    const before = from?.trainedOn?.data === 'mnist' ? (from.trainedOn.trainSize ?? 0) : 0;
    record.trainSize = Math.max(settings.trainSize, before);
  }
  if (data.labels) record.labels = data.labels;
  return record;
}

/** Options shared by `train` and the default MNIST run. */
function addTrainingOptions(command: Command, forMnist: boolean): Command {
  return command
    .option(
      '--epochs <n>',
      forMnist
        ? 'passes over the training digits (default 5)'
        : 'passes over the data (default: 5 for mnist, 20000 for xor, 100 for files)',
      positiveInteger,
    )
    .option(
      '--rate <r>',
      'learning rate, or rates spread over the epochs: 0.05,0.02,0.01 (default: mnist 0.05,0.03,0.02,0.01,0.005; else 0.2)',
      rateList,
    )
    .option(
      '--batch <n>',
      "samples per Trainer.train call: how often the bar moves and Ctrl-C is noticed; weights still change after every sample (1.x's online SGD)",
      positiveInteger,
      100,
    )
    .option('--seed <n>', 'seed of the initial weights, the data split and the shuffling', seedValue, 1)
    .option('--train-size <n>', `MNIST: training digits (10 to ${MNIST_MAX_TRAIN})`, positiveInteger, 8000)
    .option(
      '--test-size <n>',
      `MNIST: test digits (10 to ${MNIST_MAX_TEST}; fewer where a class runs out)`,
      positiveInteger,
      2000,
    )
    .option('-o, --out <file>', 'where to save the trained model (1.x JSON), written atomically', 'model.json')
    .option('--no-compile', "train on core's interpreter instead of compiled code (much slower)");
}

export function defaultRunCommand(): Command {
  const command = new Command('mnist')
    .description(
      'the default run: train a 784-100-10 digit classifier on real MNIST digits, show the test accuracy, a confusion matrix and some digits, save the model',
    )
    .option('--digits <n>', 'test digits to draw', (v) => (v === '0' ? 0 : positiveInteger(v)), 6);
  addTrainingOptions(command, true);
  addCommonOptions(command);
  return command.action(async (options: MnistCommandOptions) => {
    await runTraining(
      {
        data: 'mnist',
        arch: MNIST_ARCH,
        cost: 'mse',
        shuffle: true,
        ...pickTrainingOptions(options),
        digits: options.digits,
      },
      options,
    );
  });
}

interface SharedTrainingOptions extends CommonOptions {
  epochs?: number;
  rate?: number[];
  batch: number;
  seed: number;
  trainSize: number;
  testSize: number;
  out: string;
  compile: boolean;
}

interface MnistCommandOptions extends SharedTrainingOptions {
  digits: number;
}

interface TrainCommandOptions extends SharedTrainingOptions {
  data: string;
  arch?: string;
  from?: string;
  cost: CostName;
  error?: number;
  shuffle: boolean;
  outputs?: string[];
  test?: string;
}

function pickTrainingOptions(
  o: SharedTrainingOptions,
): Pick<TrainSettings, 'epochs' | 'rate' | 'batch' | 'seed' | 'trainSize' | 'testSize' | 'out' | 'compile'> {
  return {
    epochs: o.epochs,
    rate: o.rate,
    batch: o.batch,
    seed: o.seed,
    trainSize: o.trainSize,
    testSize: o.testSize,
    out: o.out,
    compile: o.compile,
  };
}

export function trainCommand(): Command {
  const command = new Command('train')
    .description('train a network on a data set and save it as synaptic 1.x JSON')
    .requiredOption(
      '-d, --data <file>',
      'training data: a .json training set ([{"input":[...],"output":[...]}]), a .csv file, or the built-in "mnist" or "xor"',
    )
    .option(
      '-a, --arch <spec>',
      'architecture: perceptron:IN,HIDDEN...,OUT | lstm:IN,BLOCKS...,OUT | gru:IN,BLOCKS...,OUT | liquid:IN,POOL,OUT,CONNECTIONS,GATES | hopfield:SIZE | narx:IN,HIDDEN,OUT,IN_MEMORY,OUT_MEMORY | random:IN,HIDDEN,OUT (default: a perceptron with one hidden layer sized to the data; 784,100,10 for mnist)',
    )
    .option('--from <model>', 'continue training a saved model instead of building one')
    .addOption(costOption())
    .option(
      '--error <e>',
      "stop once an epoch's mean error is at most this (default: 0.005; 0 for mnist: run every epoch)",
      nonNegativeNumber,
    )
    .option(
      '--no-shuffle',
      'feed the samples in file order every epoch (for sequences); by default they are shuffled (seeded)',
    )
    .option(
      '--outputs <columns>',
      'CSV: the output columns, comma-separated (instead of prefixing their names with out:)',
      nameList,
    )
    .option('--test <file>', 'data to test the trained model on (same formats as --data)');
  addTrainingOptions(command, false);
  addCommonOptions(command);
  return command.action(async (options: TrainCommandOptions) => {
    await runTraining(
      {
        data: options.data,
        arch: options.arch,
        from: options.from,
        cost: options.cost,
        error: options.error,
        shuffle: options.shuffle,
        outputs: options.outputs,
        test: options.test,
        digits: 0,
        ...pickTrainingOptions(options),
      },
      options,
    );
  });
}
