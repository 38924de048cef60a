import { InvalidArgumentError, Layer, Network, type Connection, type Neuron, type RandomSource } from '@synaptic/core';
import {
  checkCount,
  checkOptions,
  checkRandomSource,
  checkSeed,
  checkSize,
  pick,
  randomFrom,
  withRandomSource,
} from './validate.js';

export interface RandomOptions {
  /**
   * Forward connections added at random after the skeleton (see `Random`), each between a pair
   * of units not yet connected; default `2 * hidden`. If fewer pairs are left, all are added.
   */
  connections?: number;
  /** Recurrent connections from a unit onto an earlier hidden or output unit; default 0. */
  backConnections?: number;
  /** Hidden or output units that get a self-connection; default 0. */
  selfConnections?: number;
  /** Connections gated by a random hidden or output unit activated before their target; default 0. */
  gates?: number;
  /** The random source for the wiring and for every new weight and bias. */
  random?: () => number;
  /** Or a seed for a mulberry32 generator used as `random`. */
  seed?: number;
}

const OPTION_NAMES = ['connections', 'backConnections', 'selfConnections', 'gates', 'random', 'seed'] as const;

/**
 * A random network: `new Random(inputs, hidden, outputs, options?)`. Units are ordered input layer,
 * hidden layer (`hidden` units, may be 0), output layer, which is also the order they activate in;
 * "forward" means from an earlier unit to a later one, never into an input unit nor out of an
 * output unit. Every connection is made unit by unit (`Neuron.project`), with core's random weights.
 *
 * 1. Skeleton: each hidden and output unit gets one forward connection from a random earlier
 *    unit; then each input and hidden unit that projects nowhere gets one forward connection to a
 *    random later unit. So every hidden unit lies on a path from an input to an output.
 * 2. `connections` more forward connections between random unconnected forward pairs.
 * 3. `backConnections` connections from a random unit (hidden or output) onto a random earlier
 *    hidden or output unit: these read the previous step's activation.
 * 4. `selfConnections` random hidden or output units get a self-connection.
 * 5. `gates` random ungated connections get gated by a random hidden or output unit that
 *    activates before the connection's target (so the gain is always the current one).
 *
 * With no back- or self-connections the graph is acyclic: a feed-forward network, possibly with
 * second-order (gated) connections. Everything is drawn from `options.random` (or a generator
 * seeded with `options.seed`), else from core's random source.
 */
export class Random extends Network {
  constructor(inputs: number, hidden: number, outputs: number, options: RandomOptions = {}) {
    super();
    checkSize(inputs, 'Random input layer size (argument 1)');
    checkCount(hidden, 'Random hidden units (argument 2)');
    checkSize(outputs, 'Random output layer size (argument 3)');
    const given = checkOptions(options, OPTION_NAMES, 'Random options (argument 4)');
    const extra =
      given.connections === undefined ? 2 * hidden : checkCount(given.connections, 'Random option connections');
    const back =
      given.backConnections === undefined ? 0 : checkCount(given.backConnections, 'Random option backConnections');
    const selves =
      given.selfConnections === undefined ? 0 : checkCount(given.selfConnections, 'Random option selfConnections');
    const gates = given.gates === undefined ? 0 : checkCount(given.gates, 'Random option gates');
    const random = checkRandomSource(given.random, 'Random option random');
    const seed = checkSeed(given.seed, 'Random option seed');
    if (random !== undefined && seed !== undefined)
      throw new InvalidArgumentError('Random options: give either random or seed, not both');

    withRandomSource(randomFrom(random, seed), (draw) => {
      const inputLayer = new Layer(inputs);
      const hiddenLayer = new Layer(hidden);
      const outputLayer = new Layer(outputs);
      const units: Neuron[] = [...inputLayer.list, ...hiddenLayer.list, ...outputLayer.list];
      const total = units.length;
      const firstOutput = inputs + hidden;
      const graph = new Wiring(units, draw);

      // 1. skeleton
      for (let j = inputs; j < total; j++) graph.connect(graph.below(Math.min(j, firstOutput)), j);
      for (let i = 0; i < firstOutput; i++) {
        const first = Math.max(i + 1, inputs);
        if (!graph.projects(i)) graph.connect(i, first + graph.below(total - first));
      }
      // 2. more forward connections: sources [0, firstOutput), targets [inputs, total), source < target
      graph.addRandom(extra, [0, firstOutput], [inputs, total], (from, to) => from < to);
      // 3. back connections between hidden and output units: onto an earlier unit
      graph.addRandom(back, [inputs, total], [inputs, total], (from, to) => from > to);
      // 4. self-connections
      const candidates = Array.from({ length: total - inputs }, (_, k) => inputs + k);
      for (let k = 0; k < selves && candidates.length > 0; k++) {
        const unit = takeAt(candidates, graph.below(candidates.length));
        graph.made.push({ connection: units[unit].project(units[unit]), target: unit });
      }
      // 5. gates: a connection whose target has a hidden or output unit before it
      const gateable = graph.made.filter((m) => m.target > inputs);
      for (let k = 0; k < gates && gateable.length > 0; k++) {
        const { connection, target } = takeAt(gateable, graph.below(gateable.length));
        units[inputs + graph.below(target - inputs)].gate(connection);
      }

      this.set({ input: inputLayer, hidden: hidden > 0 ? [hiddenLayer] : [], output: outputLayer });
    });
  }
}

/** Removes and returns `list[k]` (the last element takes its place). */
function takeAt<T>(list: T[], k: number): T {
  const item = list[k];
  list[k] = list[list.length - 1];
  list.pop();
  return item;
}

/** The connections made so far, by unit index. */
class Wiring {
  readonly made: Array<{ connection: Connection; target: number }> = [];
  private readonly pairs = new Set<number>();
  private readonly outgoing: Uint8Array;

  constructor(
    private readonly units: Neuron[],
    private readonly random: RandomSource,
  ) {
    this.outgoing = new Uint8Array(units.length);
  }

  /** A random integer in [0, n). */
  below(n: number): number {
    return pick(this.random, n, 'Random');
  }

  projects(i: number): boolean {
    return this.outgoing[i] === 1;
  }

  connected(from: number, to: number): boolean {
    return this.pairs.has(from * this.units.length + to);
  }

  connect(from: number, to: number): void {
    if (this.connected(from, to)) return;
    this.pairs.add(from * this.units.length + to);
    this.outgoing[from] = 1;
    this.made.push({ connection: this.units[from].project(this.units[to]), target: to });
  }

  /**
   * Adds `count` connections between random unconnected pairs (from, to) with `from` in
   * `sources`, `to` in `targets` and `valid(from, to)`; all of them if there are fewer. Each new
   * connection is uniform over the open pairs: drawn from the open list when it is short compared
   * with `count`, else by rejection from sources × targets.
   */
  addRandom(
    count: number,
    sources: [number, number],
    targets: [number, number],
    valid: (from: number, to: number) => boolean,
  ): void {
    if (count === 0) return;
    let open = 0;
    for (let from = sources[0]; from < sources[1]; from++) {
      for (let to = targets[0]; to < targets[1]; to++) if (valid(from, to) && !this.connected(from, to)) open++;
      if (open > 4 * count) break;
    }
    if (open <= 4 * count) {
      const list: Array<[number, number]> = [];
      for (let from = sources[0]; from < sources[1]; from++) {
        for (let to = targets[0]; to < targets[1]; to++)
          if (valid(from, to) && !this.connected(from, to)) list.push([from, to]);
      }
      for (let k = 0; k < count && list.length > 0; k++) {
        const [from, to] = takeAt(list, this.below(list.length));
        this.connect(from, to);
      }
      return;
    }
    // more than 4 * count open pairs: rejection sampling ends quickly
    for (let k = 0; k < count; ) {
      const from = sources[0] + this.below(sources[1] - sources[0]);
      const to = targets[0] + this.below(targets[1] - targets[0]);
      if (!valid(from, to) || this.connected(from, to)) continue;
      this.connect(from, to);
      k++;
    }
  }
}
