/**
 * Worker of the TRANSFORMER suite (issue 15's block benchmark): training steps per second of one
 * post-LN Transformer block (length 8, dModel 32, 2 heads, ff 64, the block of issue 15's targets)
 * graph-built by `@synaptic/architect`'s `TransformerBlock` (interpreted, and compiled by
 * `@synaptic/compile`'s `optimize`) against the hand-written reference of the same block
 * (nets/transformer-reference.ts), in ONE process, in interleaved rounds.
 *
 * A step is: forward on one sequence, backward of E = MSE against a target (∂E/∂θ for every
 * parameter), and a plain SGD update θ −= 0.01 · ∂E/∂θ, gradients zeroed. Inputs and targets cycle
 * through a seeded pool of 32. Before timing, fresh copies of the systems take the same steps from
 * the same parameters and their outputs are compared (`maxDifference`).
 *   transformer-worker.ts <seconds per round> <rounds>
 * Prints one JSON line.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { TransformerBlock } from '@synaptic/architect';
import { cost, mulberry32 as coreMulberry, setRandom } from '@synaptic/core';
import { mulberry32, randomVector } from '../lib/prng.js';
import { workerMain } from '../lib/worker-main.js';
import { copyParameters, referenceBackward, referenceFor, referenceForward } from '../nets/transformer-block-pair.js';
import type { TransformerSample, TransformerSystemId, TransformerSystemSample } from '../transformer-sample.js';

const SHAPE = { length: 8, dModel: 32, heads: 2, ff: 64, causal: false } as const;
const RATE = 0.01;
const POOL = 32;
/** Steps of every system before the comparison and before timing. */
const CHECK_STEPS = 50;

interface System {
  id: TransformerSystemId;
  step: (k: number) => void;
  /** the outputs for pool input k (no training) */
  outputs: (k: number) => ArrayLike<number>;
}

const n = SHAPE.length * SHAPE.dModel;
const random = mulberry32(7);
const xs = Array.from({ length: POOL }, () => randomVector(n, random).map((v) => v * 2 - 1));
const ts = Array.from({ length: POOL }, () => randomVector(n, random).map((v) => v * 2 - 1));

/** The graph block with seeded weights: every call builds the same parameters. */
function graph(): TransformerBlock {
  setRandom(coreMulberry(42));
  try {
    return new TransformerBlock(SHAPE);
  } finally {
    setRandom();
  }
}

function graphSystem(id: TransformerSystemId, net: TransformerBlock): System {
  const params = net.parameters();
  return {
    id,
    step(k) {
      net.activate(xs[k]);
      net.backward(ts[k], { cost: cost.MSE });
      for (const p of params) {
        const { value, gradient, fixed } = p;
        for (let i = 0; i < value.length; i++) {
          if (fixed === null || fixed[i] === 0) value[i] -= RATE * gradient[i];
          gradient[i] = 0;
        }
      }
    },
    outputs: (k) => Array.from(net.activate(xs[k])),
  };
}

function referenceSystem(): System {
  const reference = referenceFor(SHAPE, mulberry32(1));
  copyParameters(graph(), reference);
  const dy = new Float64Array(n);
  const tensors = reference.tensors();
  return {
    id: 'reference',
    step(k) {
      const y = referenceForward(reference, xs[k]);
      const t = ts[k];
      // ∂E/∂y of E = Σ (y − t)² / n
      for (let i = 0; i < n; i++) dy[i] = (2 * (y[i] - t[i])) / n;
      referenceBackward(reference, dy);
      tensors.forEach((value, j) => {
        const g = reference.gradients[j];
        for (let i = 0; i < value.length; i++) {
          value[i] -= RATE * g[i];
          g[i] = 0;
        }
      });
    },
    outputs: (k) => Array.from(referenceForward(reference, xs[k])),
  };
}

/** The same systems, built afresh each call; null for compiled when @synaptic/compile cannot. */
async function build(): Promise<{ systems: System[]; unavailable: TransformerSystemSample[] }> {
  const systems = [referenceSystem(), graphSystem('interpreted', graph())];
  const unavailable: TransformerSystemSample[] = [];
  try {
    const { optimize } = await import('@synaptic/compile');
    const net = graph();
    optimize(net);
    systems.push(graphSystem('compiled', net));
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    unavailable.push({ id: 'compiled', rates: [], cpuPerWall: 0, unavailable: `not measured: ${message}` });
  }
  return { systems, unavailable };
}

/** Every graph system's outputs against the reference's after the same steps, over the pool. */
function maxDifference(systems: readonly System[]): number {
  for (const s of systems) for (let k = 0; k < CHECK_STEPS; k++) s.step(k % POOL);
  const [reference, ...graphs] = systems;
  let worst = 0;
  for (let k = 0; k < POOL; k++) {
    const expected = reference.outputs(k);
    for (const g of graphs) {
      const y = g.outputs(k);
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(y[i] - expected[i]));
    }
  }
  return worst;
}

async function main(): Promise<TransformerSample> {
  const [secondsArg, roundsArg] = process.argv.slice(2);
  const seconds = Number(secondsArg);
  const rounds = Number(roundsArg);
  if (!(seconds > 0) || !Number.isInteger(rounds) || rounds < 1)
    throw new Error(`usage: transformer-worker.ts <seconds per round> <rounds>, got ${process.argv.slice(2)}`);
  const checked = maxDifference((await build()).systems);
  const { systems, unavailable } = await build();
  for (const s of systems) for (let k = 0; k < CHECK_STEPS; k++) s.step(k % POOL);

  const loadStart = loadavg();
  const rates = new Map<TransformerSystemId, number[]>(systems.map((s) => [s.id, []]));
  const cpu = new Map<TransformerSystemId, { cpuMs: number; wallMs: number }>(
    systems.map((s) => [s.id, { cpuMs: 0, wallMs: 0 }]),
  );
  for (let round = 0; round < rounds; round++) {
    // the order rotates from round to round, so no system always follows the same one
    for (let j = 0; j < systems.length; j++) {
      const s = systems[(j + round) % systems.length];
      let steps = 0;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let ms = 0;
      while (ms < seconds * 1000) {
        for (let i = 0; i < 20; i++) s.step((steps + i) % POOL);
        steps += 20;
        ms = performance.now() - t0;
      }
      const used = process.cpuUsage(cpu0);
      const total = cpu.get(s.id);
      if (total) {
        total.cpuMs += (used.user + used.system) / 1000;
        total.wallMs += ms;
      }
      rates.get(s.id)?.push((steps * 1000) / ms);
    }
  }
  return {
    shape: { length: SHAPE.length, dModel: SHAPE.dModel, heads: SHAPE.heads, ff: SHAPE.ff },
    rounds,
    seconds,
    maxDifference: checked,
    loadStart,
    loadEnd: loadavg(),
    systems: [
      ...systems.map((s) => {
        const c = cpu.get(s.id) ?? { cpuMs: 0, wallMs: 1 };
        return { id: s.id, rates: rates.get(s.id) ?? [], cpuPerWall: c.cpuMs / c.wallMs };
      }),
      ...unavailable,
    ],
  };
}

workerMain(main);
