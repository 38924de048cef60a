/** Runs exported models in onnxruntime (CPU) and compares them with the networks they came from. */
import { mulberry32, type Network } from '@synaptic/core';
import * as ort from 'onnxruntime-node';
import { currentState, stepSignature, toONNX } from '../src/index.js';

export async function session(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
}

export function tensor(rows: number[][]): ort.Tensor {
  const width = rows[0].length;
  return new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, width]);
}

export function rowsOf(t: ort.Tensor): number[][] {
  const [batch, width] = t.dims as number[];
  const data = t.data as Float32Array;
  return Array.from({ length: batch }, (_, r) => Array.from(data.subarray(r * width, (r + 1) * width)));
}

/** Inputs in [-1, 1) that float32 holds exactly, so network and model see the same numbers. */
export function randomRows(count: number, width: number, next: () => number): number[][] {
  return Array.from({ length: count }, () => Array.from({ length: width }, () => Math.fround(2 * next() - 1)));
}

export function maxDifference(a: number[][], b: number[][]): number {
  let worst = 0;
  a.forEach((row, r) =>
    row.forEach((v, c) => {
      const d = Math.abs(v - b[r][c]);
      worst = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(worst, d);
    }),
  );
  return worst;
}

/** The values of one carried kind of a layer of a network, as `currentState` names them. */
function carriedOf(network: Network, layer: string, kind: 'state' | 'activation' | 'gain'): number[] {
  const { hidden, output } = network.layers;
  const target = layer === 'output' ? output! : hidden[Number(layer.slice('hidden'.length))];
  return target.list.map((n) => (kind === 'state' ? n.state : n.activation));
}

/**
 * Runs `steps` steps of the exported step function for `batch` independent copies of `network`,
 * each on its own random inputs, feeding the carried outputs back; returns the largest difference
 * from the copies' own activations, over the outputs and every carried value. `copy` makes a copy
 * in the network's current state (default: `network.clone()`).
 */
export async function compareSteps(
  network: Network,
  options: { steps: number; batch: number; seed: number; copy?: () => Network },
): Promise<{ output: number; carried: number; steps: number }> {
  const { steps, batch, seed } = options;
  const next = mulberry32(seed);
  const copies = Array.from({ length: batch }, options.copy ?? (() => network.clone()));
  const model = await session(toONNX(network));
  const { inputs, carried } = stepSignature(network);
  const start = currentState(network);
  const feeds: Record<string, ort.Tensor> = {};
  for (const c of carried) feeds[c.input] = tensor(copies.map(() => Array.from(start[c.input])));
  let worstOutput = 0;
  let worstCarried = 0;
  for (let step = 0; step < steps; step++) {
    const rows = randomRows(batch, inputs, next);
    const expected = copies.map((copy, r) => copy.activate(rows[r]));
    feeds.input = tensor(rows);
    const result = await model.run(feeds);
    worstOutput = Math.max(worstOutput, maxDifference(rowsOf(result.output), expected));
    for (const c of carried) {
      const value = result[c.output];
      const want = copies.map((copy) => carriedOf(copy, c.layer, c.kind));
      worstCarried = Math.max(worstCarried, maxDifference(rowsOf(value), want));
      feeds[c.input] = value;
    }
  }
  await model.release();
  return { output: worstOutput, carried: worstCarried, steps };
}
