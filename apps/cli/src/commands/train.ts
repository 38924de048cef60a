import { optimize } from '@synaptic/compile';
import type { Network } from '@synaptic/core';
import { Command, Option } from 'commander';
import {
  type CostName as TrainerCostName,
  type EpochEntry,
  OPTIMIZER_NAMES,
  type RateScheduleOptions,
} from '@synaptic/trainer';
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
import { OUTPUT_SQUASHES, openFraction, optimizerName, probability, scheduleSpec } from '../fit-flags.js';
import { fitEpochs, type FitLoopResult, type FitSettings, type Precision } from '../fit-train.js';
import { lossCurve } from '../loss-curve.js';

export interface TrainSettings {
  data: string;
  arch?: string;
  from?: string;
  epochs?: number;
  rate?: number[];
  cost: CostName;
  /** samples between two moves of the progress bar (1.x's path; the gradient path moves it every batch) */
  progressEvery: number;
  /** the gradient path's flags; null: 1.x's online SGD */
  fit: FitFlags | null;
  seed: number;
  error?: number;
  shuffle: boolean;
  outputs?: string[];
  test?: string;
  trainSize?: number;
  testSize?: number;
  out: string;
  compile: boolean;
  /**
   * the arithmetic of batched training (compileBatch): 'f32' needs mini-batches on compiled code;
   * 'auto' (the default run's) is f32 where the mini-batches run on compiled code, else f64
   */
  precision: Precision | 'auto';
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

/** The flags that select the gradient path (`Trainer.train` with an optimizer and mini-batches). */
export interface FitFlags {
  optimizer?: string;
  batchSize?: number;
  outputSquash?: string;
  l2?: number;
  dropout?: number;
  validation?: number;
  earlyStop?: number;
  schedule?: RateScheduleOptions;
}

/**
 * The modern default of the default run: softmax outputs, cross-entropy, Adam at 0.003 decaying
 * along a cosine over 6 epochs (FIT_DEFAULTS), mini-batches of 32 in float32 (97.41% on the 10,000 test digits, seed 1).
 */
const MODERN: Required<Pick<FitFlags, 'optimizer' | 'batchSize' | 'outputSquash' | 'schedule'>> = {
  optimizer: 'adam',
  batchSize: 32,
  outputSquash: 'softmax',
  schedule: { type: 'cosine' },
};

/** The gradient path's defaults per data set (the 1.x path's are DEFAULTS). */
const FIT_DEFAULTS: Record<Dataset['kind'], { epochs: number; rate?: number }> = {
  mnist: { epochs: 6, rate: 0.003 },
  xor: { epochs: 2000, rate: 0.05 },
  file: { epochs: 100 },
};

function usesFit(fit: FitFlags | null): fit is FitFlags {
  return fit !== null && Object.values(fit).some((v) => v !== undefined);
}

/** −Σ t ln(y + 1e-15): what cross-entropy means on a softmax output (as core's `backward` takes it). */
function categoricalCrossEntropy(target: ArrayLike<number>, output: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < output.length; k++) sum -= target[k] * Math.log(output[k] + 1e-15);
  return sum;
}

const TRAINER_COSTS: Record<CostName, TrainerCostName> = {
  mse: 'MSE',
  'cross-entropy': 'CROSS_ENTROPY',
  binary: 'BINARY',
};

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
  const name = spec.layers !== undefined ? spec.text : `${spec.kind}:${spec.sizes.join(',')}`;
  return { network: buildNetwork(spec, settings.seed), name };
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
): Array<{ pixels: ArrayLike<number>; label: number; predicted: number }> {
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
  const fit = usesFit(settings.fit) ? settings.fit : null;
  if (fit?.outputSquash !== undefined) setOutputSquash(network, fit.outputSquash);
  // the gradient path compiles in its worker (dropout needs the interpreter)
  const compiled = settings.compile && !(fit && (fit.dropout ?? 0) > 0);
  if (settings.compile && !fit) optimize(network);
  const defaults = DEFAULTS[data.kind];
  const epochs = settings.epochs ?? (fit ? FIT_DEFAULTS[data.kind].epochs : defaults.epochs);
  const rates = settings.rate ?? defaults.rate;
  const errorGoal = settings.error ?? defaults.error;
  const connections = network.toJSON().connections.length;
  const precision: Precision =
    settings.precision !== 'auto' ? settings.precision : fit && compiled && (fit.batchSize ?? 1) > 1 ? 'f32' : 'f64';
  const fitSettings: FitSettings | null = fit
    ? {
        optimizer: fit.optimizer ?? 'sgd',
        rate: settings.rate?.[0] ?? FIT_DEFAULTS[data.kind].rate,
        batchSize: fit.batchSize ?? 1,
        epochs,
        cost: TRAINER_COSTS[settings.cost],
        l2: fit.l2 ?? 0,
        dropout: fit.dropout ?? 0,
        validation: fit.validation ?? 0,
        earlyStop: fit.earlyStop ?? 0,
        schedule: fit.schedule ?? null,
        shuffle: settings.shuffle,
        seed: settings.seed,
        errorGoal,
        precision,
      }
    : null;
  if (precision === 'f32' && !(fitSettings && compiled && fitSettings.batchSize > 1)) {
    throw new BadInputError(
      `--precision f32 runs mini-batches as float32 matrix products: it needs the gradient path with --batch-size above 1 on compiled code${fitSettings ? (compiled ? `, not --batch-size ${fitSettings.batchSize}` : ', not --dropout or --no-compile') : ' (give --optimizer and --batch-size)'}`,
    );
  }
  if (fitSettings && settings.rate && settings.rate.length > 1) {
    throw new BadInputError(
      '--rate: one rate with --optimizer and the other gradient flags (use --schedule for a changing rate)',
    );
  }
  out.status(
    `training ${name} (${formatCount(connections)} connections, ${compiled ? 'compiled' : 'interpreted'}) on ${formatCount(data.samples.length)} samples of ${data.name}: ` +
      `${plural(epochs, 'epoch')}, ${fitSettings ? describeFit(fitSettings, fit?.outputSquash) : describeRates(rates, epochs)}${errorGoal > 0 ? `, until the error is at most ${errorGoal}` : ''}, seed ${settings.seed}` +
      `${testSamples ? `; testing on ${formatCount(testSamples.length)} ${testName}` : ''}`,
  );

  const cost = COSTS[settings.cost];
  const progress = new Progress('samples', out.quiet);
  const { result, scored } = await interruptible(async () => {
    const interruptedNote = `${settings.out} is unchanged`;
    const looped: LoopResult | FitLoopResult = fitSettings
      ? await fitEpochs(network, data.samples, fitSettings, compiled, progress, interruptedNote)
      : await trainEpochs({
          network,
          samples: data.samples as Sample[],
          epochs,
          rates,
          cost,
          batch: settings.progressEvery,
          shuffle: settings.shuffle,
          seed: settings.seed,
          errorGoal,
          progress,
          interruptedNote,
        });
    // the gradient path trained in its worker: test on compiled code too, not on the interpreter
    // (which keeps 1.x's eligibility traces of every connection: 4-7x as long per digit, measured)
    if (fitSettings && settings.compile) optimize(network);
    // on a softmax output the gradient path minimises the categorical cross-entropy: test with it too
    const measure =
      fit?.outputSquash === 'softmax' && settings.cost === 'cross-entropy' ? categoricalCrossEntropy : cost;
    const evaluation = await evaluate(network, testSamples ?? data.samples, measure, `${settings.out} is unchanged`);
    return { result: looped, scored: evaluation };
  });

  const saved = await saveModel(network, settings.out, trainedOn(settings, data, from));
  const seconds = (performance.now() - started) / 1000;

  const labels = data.kind === 'mnist' ? ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] : data.labels?.classes;
  const lines = [
    `trained ${plural(result.epochs, 'epoch')} (${formatCount(result.samples)} samples) in ${formatSeconds(result.seconds)}, ${formatCount(result.samplesPerSecond)} samples/s; last epoch's error (${settings.cost}) ${formatError(result.error)}${result.reachedGoal ? ` <= ${errorGoal}, stopped early` : ''}`,
    '',
    evaluationText(scored, testSamples ? `test (${testName})` : 'on the training data', settings.cost, labels),
  ];
  const history: EpochEntry[] = 'history' in result ? (result as FitLoopResult).history : [];
  const curve = 'curve' in result ? (result as FitLoopResult).curve : [];
  if (curve.length > 1) {
    lines.push(
      '',
      `training loss (${settings.cost}), ${plural(history.length, 'epoch')} left to right:`,
      lossCurve(curve, {
        width: 60,
        height: 8,
        label: `epoch 1 … ${history.length}, ${formatCount(result.samples)} samples`,
      }),
    );
  }
  if (data.kind === 'mnist' && testSamples && settings.digits > 0) {
    const perRow = Math.max(1, Math.min(4, Math.floor((process.stdout.columns ?? 80) / 24)));
    lines.push(
      '',
      "some test digits and the network's answers:",
      drawDigits(pickDigits(testSamples, scored, settings.digits), perRow),
    );
  }
  out.result(lines.join('\n'));
  out.status(`${savedLine(settings.out, saved)}; total ${formatSeconds(seconds)}`);
  out.document({
    command: 'train',
    data: data.name,
    network: name,
    compiled,
    ...(fitSettings
      ? {
          optimizer: fitSettings.optimizer,
          batchSize: fitSettings.batchSize,
          precision: fitSettings.precision,
          history: history.map(({ epoch, loss, validationLoss, metrics, validationMetrics, rate, time }) => ({
            epoch,
            loss,
            validationLoss,
            accuracy: metrics.accuracy,
            validationAccuracy: validationMetrics?.accuracy,
            rate,
            time,
          })),
        }
      : {}),
    trainSamples: data.samples.length,
    epochs: result.epochs,
    rates: fitSettings ? (fitSettings.rate !== undefined ? [fitSettings.rate] : []) : rates,
    seed: settings.seed,
    trainingError: result.error,
    samplesPerSecond: result.samplesPerSecond,
    trainingSeconds: result.seconds,
    [testSamples ? 'test' : 'trainingSet']: evaluationDocument(scored),
    out: settings.out,
    bytes: saved.bytes,
    format: saved.format,
    seconds,
  });
}

/** What the saved model records about its training data (see `TrainedOn`); --from keeps the larger MNIST range. */
function trainedOn(settings: TrainSettings, data: Dataset, from: LoadedModel | null): TrainedOn {
  const record: TrainedOn = { data: data.name, samples: data.samples.length, seed: settings.seed };
  if (data.name === 'mnist') {
    const before = from?.trainedOn?.data === 'mnist' ? (from.trainedOn.trainSize ?? 0) : 0;
    record.trainSize = Math.max(settings.trainSize ?? 8000, before);
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
        ? 'passes over the training digits (default 4)'
        : 'passes over the data (default: 5 for mnist, 20000 for xor, 100 for files; with the gradient flags 4 for MNIST, 2000 for xor, 100 for files)',
      positiveInteger,
    )
    .option(
      '--rate <r>',
      "learning rate, or (1.x's path) rates spread over the epochs: 0.05,0.02,0.01 (default: mnist 0.05,0.03,0.02,0.01,0.005, else 0.2; the default run and the gradient flags on MNIST 0.003, else the optimizer's own)",
      rateList,
    )
    .option(
      '--progress-every <n>',
      "1.x's path: samples per Trainer.train call, how often the bar moves and Ctrl-C is noticed (weights still change after every sample); the gradient path moves the bar after every batch",
      positiveInteger,
      100,
    )
    .option(
      '--optimizer <name>',
      `train with an optimizer on the gradient path: ${OPTIMIZER_NAMES.join(', ')}${forMnist ? ' (default adam)' : ''}`,
      optimizerName,
    )
    .option(
      '--batch-size <n>',
      `samples per optimizer step${forMnist ? ' (default 32)' : ' (default 1)'}`,
      positiveInteger,
    )
    .addOption(
      new Option(
        '--output-squash <name>',
        `the output layer's function${forMnist ? ' (default softmax)' : ''}`,
      ).choices(Object.keys(OUTPUT_SQUASHES)),
    )
    .option('--l2 <x>', 'L2 penalty (l2/2)·Σθ² on every parameter', nonNegativeNumber)
    .option(
      '--dropout <p>',
      'drop each hidden unit with probability p while training (uses the interpreter)',
      probability,
    )
    .option(
      '--validation <fraction>',
      'hold out this fraction of the training data (its end) and measure it after every epoch',
      openFraction,
    )
    .option(
      '--early-stop <patience>',
      'stop after this many epochs without a better validation loss, keeping the best weights',
      positiveInteger,
    )
    .option(
      '--schedule <spec>',
      `learning rate schedule: step:every=N[,factor=F] | exponential[:factor=F] | cosine[:min=R] | constant, each with ,warmup=EPOCHS (cosine:warmup=1)${forMnist ? '; default cosine' : ''}`,
      scheduleSpec,
    )
    .option('--seed <n>', 'seed of the initial weights, the data split and the shuffling', seedValue, 1)
    .option(
      '--train-size <n>',
      forMnist
        ? 'training digits (10 to 60000; default all 60,000)'
        : `MNIST: training digits (mnist: 10 to ${MNIST_MAX_TRAIN}, default 8000; mnist-full: 10 to 60000, default 60000)`,
      positiveInteger,
    )
    .option(
      '--test-size <n>',
      forMnist
        ? 'test digits (10 to 10000; default all 10,000)'
        : `MNIST: test digits (mnist: 10 to ${MNIST_MAX_TEST}, default 2000, fewer where a class runs out; mnist-full: 10 to 10000, default 10000)`,
      positiveInteger,
    )
    .option('-o, --out <file>', 'where to save the trained model (1.x JSON), written atomically', 'model.json')
    .option('--no-compile', "train on core's interpreter instead of compiled code (much slower)")
    .addOption(
      forMnist
        ? new Option(
            '--precision <p>',
            'arithmetic of the mini-batches (matrix products, WebAssembly SIMD): f32 (the default where they run on compiled code: faster, float32 rounding) or f64',
          ).choices(['f64', 'f32'])
        : new Option(
            '--precision <p>',
            'arithmetic of batched training (mini-batches as matrix products, WebAssembly SIMD): f64, or f32 (faster, float32 rounding; needs --batch-size above 1)',
          )
            .choices(['f64', 'f32'])
            .default('f64'),
    );
}

export function defaultRunCommand(): Command {
  const command = new Command('mnist')
    .description(
      'the default run: train a 784-100-10 digit classifier on the full MNIST set (60,000 digits, softmax outputs, cross-entropy, Adam, mini-batches of 32), show the test accuracy on the 10,000 test digits, a confusion matrix, the loss curve and some digits, save the model',
    )
    .option('--digits <n>', 'test digits to draw', (v) => (v === '0' ? 0 : positiveInteger(v)), 6)
    .addOption(costOption('cross-entropy'));
  addTrainingOptions(command, true);
  addCommonOptions(command);
  return command.action(async (options: MnistCommandOptions) => {
    const fit = pickFitFlags(options);
    await runTraining(
      {
        data: 'mnist-full',
        arch: MNIST_ARCH,
        cost: options.cost,
        shuffle: true,
        ...pickTrainingOptions(options),
        fit: {
          ...fit,
          optimizer: fit.optimizer ?? MODERN.optimizer,
          batchSize: fit.batchSize ?? MODERN.batchSize,
          outputSquash: fit.outputSquash ?? MODERN.outputSquash,
          schedule: fit.schedule ?? MODERN.schedule,
        },
        digits: options.digits,
      },
      options,
    );
  });
}

interface SharedTrainingOptions extends CommonOptions {
  epochs?: number;
  rate?: number[];
  progressEvery: number;
  optimizer?: string;
  batchSize?: number;
  outputSquash?: string;
  l2?: number;
  dropout?: number;
  validation?: number;
  earlyStop?: number;
  schedule?: RateScheduleOptions;
  seed: number;
  trainSize?: number;
  testSize?: number;
  out: string;
  compile: boolean;
  /** undefined only in the default run (no commander default there): 'auto' */
  precision?: Precision;
}

interface MnistCommandOptions extends SharedTrainingOptions {
  digits: number;
  cost: CostName;
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
): Pick<
  TrainSettings,
  'epochs' | 'rate' | 'progressEvery' | 'seed' | 'trainSize' | 'testSize' | 'out' | 'compile' | 'precision'
> {
  return {
    epochs: o.epochs,
    rate: o.rate,
    progressEvery: o.progressEvery,
    seed: o.seed,
    trainSize: o.trainSize,
    testSize: o.testSize,
    out: o.out,
    compile: o.compile,
    precision: o.precision ?? 'auto',
  };
}

function pickFitFlags(o: SharedTrainingOptions): FitFlags {
  return {
    optimizer: o.optimizer,
    batchSize: o.batchSize,
    outputSquash: o.outputSquash,
    l2: o.l2,
    dropout: o.dropout,
    validation: o.validation,
    earlyStop: o.earlyStop,
    schedule: o.schedule,
  };
}

/** `--output-squash`: the output layer's function (softmax makes it a softmax layer). */
function setOutputSquash(network: Network, name: string): void {
  const output = network.layers.output;
  if (!output) throw new BadInputError('--output-squash: this network has no output layer');
  output.set({ squash: OUTPUT_SQUASHES[name] });
}

/** e.g. `adam (rate 0.002), batches of 32, softmax outputs, cross-entropy, l2 1e-4`. */
function describeFit(f: FitSettings, outputSquash: string | undefined): string {
  const parts = [
    `${f.optimizer}${f.rate !== undefined ? ` (rate ${f.rate})` : ''}`,
    `batches of ${f.batchSize}${f.precision === 'f32' ? ' in float32' : ''}`,
  ];
  if (outputSquash) parts.push(`${outputSquash} outputs`);
  parts.push(f.cost === 'CROSS_ENTROPY' ? 'cross-entropy' : f.cost.toLowerCase());
  if (f.l2 > 0) parts.push(`l2 ${f.l2}`);
  if (f.dropout > 0) parts.push(`dropout ${f.dropout}`);
  if (f.schedule) parts.push(`${f.schedule.type} schedule`);
  if (f.validation > 0) parts.push(`validation ${f.validation}`);
  if (f.earlyStop > 0) parts.push(`early stop after ${f.earlyStop}`);
  return parts.join(', ');
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
        fit: pickFitFlags(options),
      },
      options,
    );
  });
}
