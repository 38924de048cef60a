/**
 * TRANSFORMER benchmark: training steps per second of one post-LN Transformer block (length 8,
 * dModel 32, 2 heads, ff 64, the block of the issue-15 targets), graph-built by
 * `@synaptic/architect`'s `TransformerBlock` (interpreted, and compiled when @synaptic/compile can)
 * against the hand-written reference of the same block (nets/transformer-reference.ts).
 *
 * A step is: forward on one sequence, backward of E = MSE against a target (∂E/∂θ for every
 * parameter), and a plain SGD update θ −= 0.01 · ∂E/∂θ, gradients zeroed. Inputs and targets cycle
 * through a seeded pool of 32. Each system is warmed up, then timed for `--seconds` (default 3) per
 * round, in rounds alternating the systems (the same machine load for all); it prints the median
 * steps/s and the median of each round's ratio to the reference.
 *
 *   pnpm --filter @synaptic/bench bench:transformer [--seconds 3] [--rounds 3]
 */
import { performance } from 'node:perf_hooks';
import { TransformerBlock } from '@synaptic/architect';
import { cost, mulberry32 as coreMulberry, setRandom } from '@synaptic/core';
import { mulberry32, randomVector } from './lib/prng.js';
import { copyParameters, referenceBackward, referenceFor, referenceForward } from './nets/transformer-block-pair.js';

const SHAPE = { length: 8, dModel: 32, heads: 2, ff: 64, causal: false } as const;
const RATE = 0.01;
const POOL = 32;

interface System {
  name: string;
  step: (k: number) => void;
}

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!(value > 0)) throw new Error(`--${name} must be a positive number`);
  return value;
}

async function systems(): Promise<System[]> {
  const n = SHAPE.length * SHAPE.dModel;
  const random = mulberry32(7);
  const xs = Array.from({ length: POOL }, () => randomVector(n, random).map((v) => v * 2 - 1));
  const ts = Array.from({ length: POOL }, () => randomVector(n, random).map((v) => v * 2 - 1));
  const graph = (): TransformerBlock => {
    setRandom(coreMulberry(42));
    try {
      return new TransformerBlock(SHAPE);
    } finally {
      setRandom();
    }
  };
  const graphStep = (net: TransformerBlock) => {
    const params = net.parameters();
    return (k: number) => {
      net.activate(xs[k]);
      net.backward(ts[k], { cost: cost.MSE });
      for (const p of params) {
        const { value, gradient, fixed } = p;
        for (let i = 0; i < value.length; i++) {
          if (fixed === null || fixed[i] === 0) value[i] -= RATE * gradient[i];
          gradient[i] = 0;
        }
      }
    };
  };
  const reference = referenceFor(SHAPE, mulberry32(1));
  copyParameters(graph(), reference);
  const dy = new Float64Array(n);
  const tensors = reference.tensors();
  const list: System[] = [
    {
      name: 'hand-written reference',
      step: (k) => {
        const y = referenceForward(reference, xs[k]);
        const t = ts[k];
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
    },
    { name: 'graph, interpreted', step: graphStep(graph()) },
  ];
  try {
    const { optimize } = await import('@synaptic/compile');
    const net = graph();
    optimize(net);
    list.push({ name: 'graph, compiled', step: graphStep(net) });
  } catch (error) {
    console.log(`(compiled: not measured: ${(error as Error).message.split('\n')[0]})`);
  }
  return list;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main(): Promise<void> {
  const seconds = argument('seconds', 3);
  const rounds = argument('rounds', 3);
  const list = await systems();
  const rates = new Map<string, number[]>(list.map((s) => [s.name, []]));
  for (const s of list) for (let k = 0; k < 50; k++) s.step(k % POOL);
  for (let round = 0; round < rounds; round++) {
    for (const s of list) {
      let steps = 0;
      const t0 = performance.now();
      let ms = 0;
      while (ms < seconds * 1000) {
        for (let i = 0; i < 20; i++) s.step((steps + i) % POOL);
        steps += 20;
        ms = performance.now() - t0;
      }
      const rate = (steps * 1000) / ms;
      rates.get(s.name)!.push(rate);
      console.log(`round ${round + 1} ${s.name}: ${rate.toFixed(0)} steps/s`);
    }
  }
  const reference = rates.get(list[0].name)!;
  console.log(
    `\nOne block (length ${SHAPE.length}, dModel ${SHAPE.dModel}, ${SHAPE.heads} heads, ff ${SHAPE.ff}), ${rounds} interleaved rounds of ${seconds} s:`,
  );
  console.log("| System | Steps/s (median) | ÷ reference (median of the rounds' ratios) |\n|---|---|---|");
  for (const [name, r] of rates)
    console.log(`| ${name} | ${median(r).toFixed(0)} | ${median(r.map((v, k) => v / reference[k])).toFixed(2)} |`);
  console.log(JSON.stringify(Object.fromEntries(rates)));
}

void main();
