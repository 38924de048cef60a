/**
 * Test support: drives the original npm package `synaptic@1.1.4` as a
 * numerical oracle for differential tests of the TypeScript re-implementation.
 *
 * Everything here runs 1.x's *reference interpreter* (`setOptimize(false)`),
 * never its generated "optimized" code, which has its own numerics (e.g. TANH
 * computed from exponentials) and bugs.
 *
 * Notes on 1.x behaviour that matter to anyone comparing against it:
 * - `Neuron.project(self)` always sets the self-connection weight to 1 and
 *   ignores the weight argument, so `fromJSON` resets every self-connection
 *   weight to 1; self-connections are never trained.
 * - `Neuron.project` reuses an existing A->B connection only when the first
 *   connection A knows of that touches B is a projected one; if B->A already
 *   exists it creates a parallel duplicate A->B instead. `fromJSON` replays the
 *   connection list in order, so a duplicate can be merged away on a round
 *   trip. Every fixture below is a fixed point of toJSON/fromJSON for that
 *   reason.
 * - `toJSON` never serializes traces or error responsibilities; `fromJSON`
 *   starts them at 0 (state/old/activation/bias are kept).
 * - `Neuron.propagate` uses `rate = rate || .1`, so a rate of 0 means 0.1.
 * - Activating an input neuron sets its bias to 0 (the fixture JSON still holds
 *   the random bias the neuron was born with).
 */
import { isDeepStrictEqual } from 'node:util';
import {
  synaptic1x,
  type Layer1x,
  type LayerConnection1x,
  type LSTMOptions1x,
  type Network1x,
  type SquashName1x,
} from './oracle.js';

const SQUASH_NAMES_1X: readonly SquashName1x[] = ['LOGISTIC', 'TANH', 'IDENTITY', 'HLIM', 'RELU'];
const { Layer, Network, Architect } = synaptic1x;
const { squash } = synaptic1x.Neuron;
const { connectionType, gateType } = Layer;

// ---------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------

/** The classic mulberry32 PRNG: uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `fn` with `Math.random` replaced by `mulberry32(seed)`; always restores it. */
export function withSeededRandom<T>(seed: number, fn: () => T): T {
  const original = Math.random;
  Math.random = mulberry32(seed);
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}

// ---------------------------------------------------------------------------
// JSON format of 1.x networks
// ---------------------------------------------------------------------------

export type Json1x = {
  neurons: Array<{
    trace: { elegibility: Record<string, never>; extended: Record<string, never> };
    state: number;
    old: number;
    activation: number;
    bias: number;
    layer: 'input' | 'output' | number;
    /** Narrower than `string | null`: these are the only names 1.x writes. */
    squash: SquashName1x | null;
  }>;
  connections: Array<{ from: number; to: number; weight: number; gater: number | null }>;
};

/**
 * The bytes 1.x writes for the network a file of ours describes: the file without `replay` and
 * `gating`, the keys that are not 1.x's (the orders to apply the connections and gates in when
 * 1.x's list would rebuild some unit's sums in another order; 1.x's own loader ignores them).
 */
export function as1xWrites(json: unknown): string {
  if (json === null || typeof json !== 'object') return JSON.stringify(json);
  const { replay: _replay, gating: _gating, ...rest } = json as Record<string, unknown>;
  return JSON.stringify(rest);
}

export type Fixture1x = {
  name: string;
  build: () => Json1x;
  /** Learning rate for differential runs; defaults to {@link DEFAULT_RATE_1X}. */
  rate?: number;
};

export const DEFAULT_RATE_1X = 0.1;

/** The learning rate a fixture should be run with. */
export function fixtureRate(fixture: Fixture1x): number {
  return fixture.rate ?? DEFAULT_RATE_1X;
}

interface RawNeuron1x {
  state: number;
  old: number;
  activation: number;
  bias: number;
  layer: 'input' | 'output' | number;
  squash: string | null;
}

interface RawConnection1x {
  from: number;
  to: number;
  weight: number;
  gater: number | null | undefined;
}

function squashName(name: string | null | undefined): SquashName1x | null {
  if (name === null || name === undefined) return null;
  const known = SQUASH_NAMES_1X.find((n) => n === name);
  if (known === undefined) throw new Error(`unexpected 1.x squash name ${name}`);
  return known;
}

/**
 * Copies 1.x's `toJSON()` output into a plain {@link Json1x}: `gater:
 * undefined` becomes `null` and traces are fresh empty objects. NaN, Infinity
 * and -0 are kept as they are (see {@link assertLossless}).
 */
function normalize(raw: unknown): Json1x {
  const { neurons, connections } = raw as { neurons: RawNeuron1x[]; connections: RawConnection1x[] };
  const json: Json1x = {
    neurons: neurons.map((n) => ({
      trace: { elegibility: {}, extended: {} },
      state: n.state,
      old: n.old,
      activation: n.activation,
      bias: n.bias,
      layer: n.layer,
      squash: squashName(n.squash),
    })),
    connections: connections.map((c) => ({
      from: c.from,
      to: c.to,
      weight: c.weight,
      gater: c.gater ?? null,
    })),
  };
  return json;
}

/** Throws unless `JSON.parse(JSON.stringify(json))` gives back exactly `json` (no NaN, Infinity, -0). */
function assertLossless(name: string, json: Json1x): void {
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(json)), json)) {
    throw new Error(`fixture ${name}: 1.x JSON does not survive JSON.stringify`);
  }
}

/**
 * Round-trips a freshly built network through 1.x's own toJSON/fromJSON and
 * returns the second JSON, after checking that it is a fixed point.
 */
function fixedPoint(name: string, net: Network1x): Json1x {
  const j1 = normalize(net.toJSON());
  const j2 = normalize(Network.fromJSON(j1).toJSON());
  const j3 = normalize(Network.fromJSON(j2).toJSON());
  if (!isDeepStrictEqual(j2, j3)) {
    throw new Error(`fixture ${name}: 1.x JSON is not a fixed point of fromJSON/toJSON`);
  }
  assertLossless(name, j2);
  return j2;
}

function project(from: Layer1x, to: Layer1x, type?: string): LayerConnection1x {
  const connection = from.project(to, type);
  if (connection === undefined) throw new Error('1.x Layer.project refused: layers already connected');
  return connection;
}

function fixture(name: string, seed: number, make: () => Network1x, extra: { rate?: number } = {}): Fixture1x {
  return {
    name,
    ...extra,
    build: () => withSeededRandom(seed, () => fixedPoint(name, make())),
  };
}

/** Wraps already-wired layers in a 1.x Network (activation order: input, hidden..., output). */
function network(input: Layer1x, hidden: Layer1x[], output: Layer1x): Network1x {
  return new Network({ input, hidden, output });
}

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

function perceptronFixtures(): Fixture1x[] {
  return [
    fixture('perceptron-2-3-1', 1001, () => new Architect.Perceptron(2, 3, 1)),
    fixture('perceptron-4-6-5-3', 1002, () => new Architect.Perceptron(4, 6, 5, 3)),
    fixture('perceptron-3-8-2-tanh-hidden', 1003, () => {
      const net = new Architect.Perceptron(3, 8, 2);
      net.layers.hidden[0].set({ squash: squash.TANH });
      return net;
    }),
    // At rate 0.1 this blows up to NaN after ~2,000 steps (1.x's output error
    // has no derivative term, so an IDENTITY output is plain LMS); 0.03 stays
    // bounded for 20,000 steps.
    fixture(
      'perceptron-3-5-2-relu-hidden-identity-output',
      1004,
      () => {
        const net = new Architect.Perceptron(3, 5, 2);
        net.layers.hidden[0].set({ squash: squash.RELU });
        net.layers.output.set({ squash: squash.IDENTITY });
        return net;
      },
      { rate: 0.03 },
    ),
    fixture('perceptron-2-4-3-1-hlim-hidden2', 1005, () => {
      const net = new Architect.Perceptron(2, 4, 3, 1);
      net.layers.hidden[1].set({ squash: squash.HLIM });
      return net;
    }),
  ];
}

function lstmFixtures(): Fixture1x[] {
  const allOptions: LSTMOptions1x = {
    hiddenToHidden: true,
    outputToHidden: true,
    outputToGates: true,
    inputToOutput: true,
  };
  return [
    fixture('lstm-2-3-1', 2001, () => new Architect.LSTM(2, 3, 1)),
    fixture(
      'lstm-3-4-2-peepholes-one-to-one',
      2002,
      () => new Architect.LSTM(3, 4, 2, { peepholes: connectionType.ONE_TO_ONE }),
    ),
    fixture(
      'lstm-3-4-2-peepholes-all-to-else',
      2003,
      () => new Architect.LSTM(3, 4, 2, { peepholes: connectionType.ALL_TO_ELSE }),
    ),
    fixture('lstm-3-4-2-hidden-to-hidden', 2004, () => new Architect.LSTM(3, 4, 2, { hiddenToHidden: true })),
    fixture('lstm-3-4-2-output-to-hidden', 2005, () => new Architect.LSTM(3, 4, 2, { outputToHidden: true })),
    fixture('lstm-3-4-2-output-to-gates', 2006, () => new Architect.LSTM(3, 4, 2, { outputToGates: true })),
    fixture('lstm-3-4-2-no-input-to-output', 2007, () => new Architect.LSTM(3, 4, 2, { inputToOutput: false })),
    fixture('lstm-2-3-3-2-two-blocks', 2008, () => new Architect.LSTM(2, 3, 3, 2)),
    fixture('lstm-3-4-2-all-options', 2009, () => new Architect.LSTM(3, 4, 2, { ...allOptions })),
    fixture(
      'lstm-2-3-3-2-two-blocks-all-options-peepholes-one-to-one',
      2010,
      () => new Architect.LSTM(2, 3, 3, 2, { ...allOptions, peepholes: connectionType.ONE_TO_ONE }),
    ),
  ];
}

function otherArchitectFixtures(): Fixture1x[] {
  return [
    fixture('liquid-3-12-2-30-10', 3001, () => new Architect.Liquid(3, 12, 2, 30, 10)),
    fixture('liquid-2-20-2-60-25', 3002, () => new Architect.Liquid(2, 20, 2, 60, 25)),
    // Dense random wiring: toJSON lists 41 connections, the round trip merges
    // 2 duplicates; the fixed point still has 2 parallel (gated) duplicates, a
    // self-connection gated by its own neuron and a connection gated by its target.
    fixture('liquid-2-6-1-30-15-dense-duplicates', 3005, () => new Architect.Liquid(2, 6, 1, 30, 15)),
    fixture('hopfield-6', 3003, () => new Architect.Hopfield(6)),
  ];
}

function handBuiltFixtures(): Fixture1x[] {
  return [
    // The LSTM from the 1.x README, with TANH memory cells.
    fixture('hand-readme-lstm-tanh-cells', 4001, () => {
      const inputLayer = new Layer(2);
      const inputGate = new Layer(3);
      const forgetGate = new Layer(3);
      const memoryCell = new Layer(3).set({ squash: squash.TANH });
      const outputGate = new Layer(3);
      const outputLayer = new Layer(1);
      const input = project(inputLayer, memoryCell);
      project(inputLayer, inputGate);
      project(inputLayer, forgetGate);
      project(inputLayer, outputGate);
      const output = project(memoryCell, outputLayer);
      const self = project(memoryCell, memoryCell);
      project(memoryCell, inputGate);
      project(memoryCell, forgetGate);
      project(memoryCell, outputGate);
      inputGate.gate(input, gateType.INPUT);
      forgetGate.gate(self, gateType.ONE_TO_ONE);
      outputGate.gate(output, gateType.OUTPUT);
      project(inputLayer, outputLayer);
      return network(inputLayer, [inputGate, forgetGate, memoryCell, outputGate], outputLayer);
    }),

    // 2 -> 2 ALL_TO_ALL (4 connections) gated ONE_TO_ONE by a layer of 4 that
    // is activated before the gated layer (gains are current).
    fixture('hand-gate-one-to-one', 4002, () => {
      const input = new Layer(2);
      const gater = new Layer(4);
      const a = new Layer(2);
      const b = new Layer(2);
      const output = new Layer(1);
      project(input, gater);
      project(input, a);
      const ab = project(a, b);
      gater.gate(ab, gateType.ONE_TO_ONE);
      project(b, output);
      return network(input, [a, gater, b], output);
    }),

    // Same wiring, but the gater layer activates after the gated layer, so the
    // gated connections see the gains of the previous step.
    fixture('hand-gate-one-to-one-late-gater', 4003, () => {
      const input = new Layer(2);
      const gater = new Layer(4);
      const a = new Layer(2);
      const b = new Layer(2);
      const output = new Layer(1);
      project(input, gater);
      project(input, a);
      const ab = project(a, b);
      gater.gate(ab, gateType.ONE_TO_ONE);
      project(b, output);
      return network(input, [a, b, gater], output);
    }),

    // ALL_TO_ALL projection gated INPUT (gater size = to-layer size).
    fixture('hand-gate-input', 4004, () => {
      const input = new Layer(3);
      const gater = new Layer(4);
      const hidden = new Layer(4);
      const output = new Layer(2);
      project(input, gater);
      const ih = project(input, hidden);
      gater.gate(ih, gateType.INPUT);
      project(hidden, output);
      return network(input, [gater, hidden], output);
    }),

    // ALL_TO_ALL projection gated OUTPUT (gater size = from-layer size).
    fixture('hand-gate-output', 4005, () => {
      const input = new Layer(3);
      const hidden = new Layer(4);
      const gater = new Layer(4);
      const output = new Layer(2);
      project(input, hidden);
      project(input, gater);
      const ho = project(hidden, output);
      gater.gate(ho, gateType.OUTPUT);
      return network(input, [hidden, gater], output);
    }),

    // Hidden layer projecting onto itself ALL_TO_ALL: in 1.x this includes the
    // self-connections (weight 1).
    fixture('hand-self-all-to-all', 4006, () => {
      const input = new Layer(2);
      const hidden = new Layer(4);
      const output = new Layer(2);
      project(input, hidden);
      project(hidden, hidden, connectionType.ALL_TO_ALL);
      project(hidden, output);
      return network(input, [hidden], output);
    }),

    // ALL_TO_ELSE onto itself: every ordered pair of distinct neurons.
    fixture('hand-self-all-to-else', 4007, () => {
      const input = new Layer(2);
      const hidden = new Layer(4);
      const output = new Layer(2);
      project(input, hidden);
      project(hidden, hidden, connectionType.ALL_TO_ELSE);
      project(hidden, output);
      return network(input, [hidden], output);
    }),

    // Default type onto itself = ONE_TO_ONE = self-connections only.
    fixture('hand-self-default-one-to-one', 4008, () => {
      const input = new Layer(2);
      const hidden = new Layer(4);
      const output = new Layer(2);
      project(input, hidden);
      project(hidden, hidden);
      project(hidden, output);
      return network(input, [hidden], output);
    }),

    // Recurrent back projection from a later hidden layer to an earlier one.
    fixture('hand-back-projection', 4009, () => {
      const input = new Layer(2);
      const h1 = new Layer(3);
      const h2 = new Layer(3);
      const output = new Layer(1);
      project(input, h1);
      project(h1, h2);
      project(h2, output);
      project(h2, h1);
      return network(input, [h1, h2], output);
    }),

    // Neuron-level wiring between single neurons of different layers.
    fixture('hand-neuron-wiring', 4010, () => {
      const input = new Layer(2);
      const a = new Layer(3);
      const b = new Layer(2);
      const output = new Layer(1);
      const [i0, i1] = input.list;
      const [h0, h1, h2] = a.list;
      const [g0, g1] = b.list;
      const [o0] = output.list;
      i0.project(h0);
      i1.project(h0);
      const i1h1 = i1.project(h1);
      i0.project(h2);
      i0.project(g0);
      i1.project(g1);
      h0.project(g1);
      h0.project(o0);
      h1.project(o0);
      h2.project(o0);
      g0.project(o0);
      // a neuron of another layer gates a connection
      g0.gate(i1h1);
      // a neuron gates a connection inside its own layer
      const h1h2 = h1.project(h2);
      h0.gate(h1h2);
      // a neuron gates another neuron's self-connection
      const self2 = h2.project(h2);
      g1.gate(self2);
      return network(input, [a, b], output);
    }),

    // A neuron gating its own incoming connection and its own self-connection.
    fixture('hand-neuron-self-gating', 4011, () => {
      const input = new Layer(2);
      const hidden = new Layer(3);
      const output = new Layer(1);
      project(input, hidden);
      project(hidden, output);
      const [i0] = input.list;
      const [h0, h1, h2] = hidden.list;
      h0.gate(h0.project(h0));
      h1.gate(i0.project(h1)); // the existing i0->h1 connection
      h2.project(h0);
      h2.gate(h2.project(h2));
      return network(input, [hidden], output);
    }),

    // One squash of each kind in a hidden layer, plus mixed output squashes.
    // At rate 0.1 it blows up to NaN after ~1,600 steps; 0.03 stays bounded.
    fixture(
      'hand-mixed-squashes',
      4012,
      () => {
        const input = new Layer(3);
        const hidden = new Layer(5);
        const output = new Layer(2);
        project(input, hidden);
        project(hidden, output);
        hidden.list.forEach((neuron, i) => {
          neuron.squash = squash[SQUASH_NAMES_1X[i]];
        });
        output.list[0].squash = squash.IDENTITY;
        output.list[1].squash = squash.TANH;
        return network(input, [hidden], output);
      },
      { rate: 0.03 },
    ),

    // Parallel duplicate connections a->b that survive the round trip: b->a
    // exists and b precedes a, so fromJSON creates every a->b anew.
    fixture('hand-duplicate-connections', 4013, () => {
      const input = new Layer(2);
      const hidden = new Layer(2);
      const output = new Layer(1);
      project(input, hidden);
      project(hidden, output);
      const [b, a] = hidden.list;
      const first = a.project(b);
      b.project(a);
      if (a.project(b) === first) throw new Error('1.x did not create a duplicate connection');
      return network(input, [hidden], output);
    }),
  ];
}

/** All fixtures: small 1.x networks as fixed-point JSON, each built under its own seed. */
export const fixtures1x: Fixture1x[] = [
  ...perceptronFixtures(),
  ...lstmFixtures(),
  ...otherArchitectFixtures(),
  ...handBuiltFixtures(),
];

// ---------------------------------------------------------------------------
// Running the oracle
// ---------------------------------------------------------------------------

/**
 * Loads `json` into 1.x, switches to the reference interpreter and, for each
 * step, activates then propagates. Returns every step's output and the final
 * JSON (note: 1.x JSON has no traces; see the module notes). A diverging run
 * is returned as is, NaN/Infinity included.
 */
export function run1x(
  json: Json1x,
  steps: Array<{ input: number[]; target: number[] }>,
  rate: number,
): { outputs: number[][]; json: Json1x } {
  const net = Network.fromJSON(json);
  net.setOptimize(false);
  const outputs: number[][] = [];
  for (const step of steps) {
    outputs.push(net.activate(step.input).slice());
    net.propagate(rate, step.target);
  }
  return { outputs, json: normalize(net.toJSON()) };
}

/** Deterministic inputs and targets, all uniform in [0, 1), sized from the JSON. */
export function makeSteps(json: Json1x, count: number, seed: number): Array<{ input: number[]; target: number[] }> {
  const inputs = json.neurons.filter((n) => n.layer === 'input').length;
  const outputs = json.neurons.filter((n) => n.layer === 'output').length;
  const random = mulberry32(seed);
  const steps: Array<{ input: number[]; target: number[] }> = [];
  for (let s = 0; s < count; s++) {
    const input = Array.from({ length: inputs }, () => random());
    const target = Array.from({ length: outputs }, () => random());
    steps.push({ input, target });
  }
  return steps;
}

interface TracedNeuron1x {
  ID: number;
  derivative: number;
  error: { responsibility: number; projected: number; gated: number };
  connections: { inputs: Record<string, { ID: number; from: unknown }> };
  trace: { elegibility: Record<string, number>; extended: Record<string, Record<string, number>> };
  neighboors: Record<string, TracedNeuron1x>;
}

/**
 * An independent evaluation of LSTM-g's gradient (eq. 21-24) by synaptic 1.1.4 itself: loads
 * `json`, runs every step (activate, then propagate at a rate so small that no weight moves, so
 * the weights are held still), and after the last one reads 1.x's own error responsibilities and
 * traces: for each connection of the JSON (null for self-connections) δP_j ε_ji + Σ_k δ_k ε^k_ji,
 * and for each unit δ_j (null for inputs). These are −∂E/∂θ with 1.x's output error δ = t − y.
 */
export function lstmgGradient1x(
  json: Json1x,
  steps: Array<{ input: number[]; target: number[] }>,
): { weights: Array<number | null>; biases: Array<number | null> } {
  const net = Network.fromJSON(json);
  net.setOptimize(false);
  for (const step of steps) {
    net.activate(step.input);
    net.propagate(1e-300, step.target);
  }
  const layers = net.layers;
  const units = [
    ...layers.input.list,
    ...layers.hidden.flatMap((l) => l.list),
    ...layers.output.list,
  ] as unknown as TracedNeuron1x[];
  const weights = json.connections.map((c) => {
    if (c.from === c.to) return null;
    const j = units[c.to];
    const from = units[c.from];
    const input = Object.values(j.connections.inputs).find((x) => x.from === from);
    if (!input) throw new Error(`1.x has no connection ${c.from} -> ${c.to}`);
    let gradient = j.error.projected * j.trace.elegibility[input.ID];
    for (const id in j.trace.extended)
      gradient += j.neighboors[id].error.responsibility * j.trace.extended[id][input.ID];
    return gradient;
  });
  const biases = units.map((u, i) => (json.neurons[i].layer === 'input' ? null : u.error.responsibility));
  return { weights, biases };
}
