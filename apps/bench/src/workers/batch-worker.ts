/**
 * Worker of the BATCH suite: every system in this ONE process, interleaved in rotating chunks.
 *   batch-worker.ts <rounds> <chunkMs> <digits>
 * Each round first measures the machine's peak (a multiply-add loop in JavaScript, and in
 * WebAssembly f64x2 and f32x4), then gives every system one chunk of about `chunkMs` of training
 * on MNIST 784-100-10 (logistic units, MSE, SGD at 0.1), the order rotating from round to round.
 * A chunk records samples, wall time and this process's CPU time (all threads). Prints one JSON line.
 */
import { HandWrittenMlp } from '../nets/hand-written.js';
import { type Digit, HIDDEN, INPUTS, loadMnistSystem, type MnistModel, OUTPUTS, RATE } from '../mnist-peers.js';
import { loadCompile, loadCore } from '../peers.js';
import { mulberry32, seedMathRandom } from '../lib/prng.js';
import { requirePeer, workerMain } from '../lib/worker-main.js';

/** the MNIST suite's seeds (mnist-worker.ts): the same digits and initial weights */
const DATA_SEED = 20_240_601;
const WEIGHT_SEED = 42;

export interface BatchChunk {
  samples: number;
  wallMs: number;
  cpuMs: number;
}

export interface BatchSystemSample {
  id: string;
  /** training samples per optimizer step */
  batch: number;
  threads: number;
  chunks: BatchChunk[];
  /** set when the system could not run (a peer that does not install) */
  unavailable?: string;
}

export interface BatchSample {
  rounds: number;
  chunkMs: number;
  /** per round, GFLOP/s of one core */
  peaks: { js: number[]; wasmF64: number[]; wasmF32: number[] };
  systems: BatchSystemSample[];
}

interface Trainer {
  readonly id: string;
  readonly batch: number;
  readonly threads: number;
  /** trains on the next samples (at least one step); resolves to how many */
  step(): number | Promise<number>;
  close?(): Promise<void>;
}

/** 8 independent chains of a·m + m in JavaScript doubles: 16 flops a round. */
function jsPeak(rounds: number): number {
  let s0 = 0.5,
    s1 = 0.5,
    s2 = 0.5,
    s3 = 0.5,
    s4 = 0.5,
    s5 = 0.5,
    s6 = 0.5,
    s7 = 0.5;
  const m = 0.5;
  for (let r = 0; r < rounds; r++) {
    s0 = s0 * m + m;
    s1 = s1 * m + m;
    s2 = s2 * m + m;
    s3 = s3 * m + m;
    s4 = s4 * m + m;
    s5 = s5 * m + m;
    s6 = s6 * m + m;
    s7 = s7 * m + m;
  }
  return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
}

function gflops(flopsPerRound: number, run: (rounds: number) => number): number {
  let rounds = 1 << 16;
  for (;;) {
    const t0 = performance.now();
    run(rounds);
    const ms = performance.now() - t0;
    if (ms > 60) return (rounds * flopsPerRound) / (ms / 1000) / 1e9;
    rounds *= 4;
  }
}

async function main(): Promise<BatchSample> {
  const [roundsArg, chunkArg, digitsArg] = process.argv.slice(2);
  const rounds = Number(roundsArg);
  const chunkMs = Number(chunkArg);
  const digitCount = Number(digitsArg);
  if (![rounds, chunkMs, digitCount].every((v) => Number.isInteger(v) && v > 0))
    throw new Error(`usage: batch-worker.ts <rounds> <chunkMs> <digits>, got ${JSON.stringify(process.argv.slice(2))}`);

  const mnist = requirePeer<{ set(training: number, test: number): { training: Digit[] } }>('mnist');
  seedMathRandom(DATA_SEED);
  const digits = mnist.set(digitCount, 0).training;
  const core = await loadCore();
  const compile = await loadCompile();

  const perceptron = () => {
    const input = new core.Layer(INPUTS);
    const hidden = new core.Layer(HIDDEN);
    const output = new core.Layer(OUTPUTS);
    input.project(hidden);
    hidden.project(output);
    return new core.Network({ input, hidden: [hidden], output });
  };
  const cursor = () => {
    let at = 0;
    return () => {
      const d = digits[at];
      at = (at + 1) % digits.length;
      return d;
    };
  };
  const online = (id: string, activate: (x: number[]) => unknown, propagate: (y: number[]) => void): Trainer => {
    const next = cursor();
    return {
      id,
      batch: 1,
      threads: 1,
      step() {
        for (let k = 0; k < 32; k++) {
          const d = next();
          activate(d.input);
          propagate(d.output);
        }
        return 32;
      },
    };
  };
  /** the step every batched system takes: pack B digits, forward, backward (MSE), SGD */
  const packer = (batch: number) => {
    const next = cursor();
    const x = new Float64Array(batch * INPUTS);
    const t = new Float64Array(batch * OUTPUTS);
    return () => {
      for (let b = 0; b < batch; b++) {
        const d = next();
        x.set(d.input, b * INPUTS);
        t.set(d.output, b * OUTPUTS);
      }
      return { x, t };
    };
  };
  const sgd = (net: InstanceType<typeof core.Network>) => {
    for (const p of net.parameters()) {
      const v = p.value;
      const g = p.gradient;
      for (let k = 0; k < v.length; k++) {
        v[k] -= RATE * g[k];
        g[k] = 0;
      }
    }
  };
  const batched = (id: string, batchSize: number, precision: 'f64' | 'f32', backend: 'js' | 'wasm'): Trainer => {
    seedMathRandom(WEIGHT_SEED);
    const net = perceptron();
    const batch = compile.compileBatch(net, { batchSize, precision, backend });
    const pack = packer(batchSize);
    return {
      id,
      batch: batchSize,
      threads: 1,
      step() {
        const { x, t } = pack();
        batch.forward(x);
        batch.backward(t, { cost: core.cost.MSE });
        sgd(net);
        return batchSize;
      },
    };
  };
  const parallel = async (id: string, batchSize: number, threads: number): Promise<Trainer> => {
    seedMathRandom(WEIGHT_SEED);
    const net = perceptron();
    const pool = await compile.parallelBatch(net, { batchSize, threads, precision: 'f32' });
    const pack = packer(batchSize);
    return {
      id,
      batch: batchSize,
      threads,
      async step() {
        const { x, t } = pack();
        await pool.backward(x, t, { cost: core.cost.MSE });
        sgd(net);
        return batchSize;
      },
      close: () => pool.close(),
    };
  };
  const tfjs = async (): Promise<Trainer | string> => {
    try {
      const factory = await loadMnistSystem('tfjs-wasm-b32');
      seedMathRandom(WEIGHT_SEED);
      const model: MnistModel = await factory(WEIGHT_SEED);
      const next = cursor();
      const pass = 256;
      return {
        id: 'tfjs-wasm-b32',
        batch: 32,
        threads: 1,
        async step() {
          const chunk: Digit[] = [];
          for (let k = 0; k < pass; k++) chunk.push(next());
          await model.trainPass(chunk);
          return pass;
        },
      };
    } catch (error) {
      return error instanceof Error ? error.message.split('\n')[0] : String(error);
    }
  };

  /** inference: `id` runs forward only (the samples counted are inferred, not trained) */
  const inferOnline = (id: string, activate: (x: number[]) => unknown): Trainer => {
    const next = cursor();
    return {
      id,
      batch: 1,
      threads: 1,
      step() {
        for (let k = 0; k < 32; k++) activate(next().input);
        return 32;
      },
    };
  };
  const inferBatched = (id: string, batchSize: number, precision: 'f64' | 'f32'): Trainer => {
    seedMathRandom(WEIGHT_SEED);
    const batch = compile.compileBatch(perceptron(), { batchSize, precision, backend: 'wasm' });
    const pack = packer(batchSize);
    return {
      id,
      batch: batchSize,
      threads: 1,
      step() {
        batch.forward(pack().x);
        return batchSize;
      },
    };
  };

  const hand = new HandWrittenMlp(INPUTS, HIDDEN, OUTPUTS, mulberry32(WEIGHT_SEED));
  const handInfer = new HandWrittenMlp(INPUTS, HIDDEN, OUTPUTS, mulberry32(WEIGHT_SEED));
  seedMathRandom(WEIGHT_SEED);
  // the generated JavaScript (the default compile runs this network in WebAssembly, below)
  const compiled = compile.optimize(perceptron(), { backend: 'js' });
  seedMathRandom(WEIGHT_SEED);
  const onlineWasm = compile.optimize(perceptron(), { backend: 'wasm' });
  seedMathRandom(WEIGHT_SEED);
  const inferWasm = compile.optimize(perceptron(), { backend: 'wasm' });
  const trainers: Trainer[] = [
    online(
      'hand-written',
      (x) => hand.activate(x),
      (y) => hand.propagate(RATE, y),
    ),
    online(
      'compiled',
      (x) => compiled.activate(x),
      (y) => compiled.propagate(RATE, y),
    ),
    online(
      'online-wasm-f64',
      (x) => onlineWasm.activate(x),
      (y) => onlineWasm.propagate(RATE, y),
    ),
    batched('batch32-js-f64', 32, 'f64', 'js'),
    batched('batch32-wasm-f64', 32, 'f64', 'wasm'),
    batched('batch32-wasm-f32', 32, 'f32', 'wasm'),
    batched('batch256-wasm-f32', 256, 'f32', 'wasm'),
    await parallel('batch256-wasm-f32-2threads', 256, 2),
    inferOnline('infer-hand-written', (x) => handInfer.activate(x)),
    inferOnline('infer-online-wasm-f64', (x) => inferWasm.activate(x)),
    inferBatched('infer-batch32-wasm-f64', 32, 'f64'),
    inferBatched('infer-batch32-wasm-f32', 32, 'f32'),
  ];
  const unavailable: BatchSystemSample[] = [];
  const peer = await tfjs();
  if (typeof peer === 'string')
    unavailable.push({ id: 'tfjs-wasm-b32', batch: 32, threads: 1, chunks: [], unavailable: peer });
  else trainers.push(peer);

  // one warm-up chunk each (JIT, wasm tiers, tfjs's first kernels), not recorded
  for (const trainer of trainers) for (let k = 0; k < 3; k++) await trainer.step();

  const chunks = new Map<string, BatchChunk[]>(trainers.map((t) => [t.id, []]));
  const peaks = { js: [] as number[], wasmF64: [] as number[], wasmF32: [] as number[] };
  const wasm64 = compile.wasmPeak('f64');
  const wasm32 = compile.wasmPeak('f32');
  for (let round = 0; round < rounds; round++) {
    peaks.js.push(gflops(16, jsPeak));
    if (wasm64) peaks.wasmF64.push(gflops(32, wasm64));
    if (wasm32) peaks.wasmF32.push(gflops(64, wasm32));
    for (let k = 0; k < trainers.length; k++) {
      const trainer = trainers[(k + round) % trainers.length];
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let samples = 0;
      do samples += await trainer.step();
      while (performance.now() - t0 < chunkMs);
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      chunks.get(trainer.id)?.push({ samples, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 });
    }
  }
  for (const trainer of trainers) await trainer.close?.();
  return {
    rounds,
    chunkMs,
    peaks,
    systems: [
      ...trainers.map((t) => ({ id: t.id, batch: t.batch, threads: t.threads, chunks: chunks.get(t.id) ?? [] })),
      ...unavailable,
    ],
  };
}

workerMain(main);
