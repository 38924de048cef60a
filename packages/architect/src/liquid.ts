import { InvalidArgumentError, Layer, Network, type Connection, type RandomSource } from '@synaptic/core';
import { checkCount, checkOptions, checkRandomSource, checkSize, pick, withRandomSource } from './validate.js';

export interface LiquidOptions {
  /**
   * The random source for this build: it picks the pool's connections and gates and draws every
   * new weight and bias. Default: core's random source (`getRandom()`, which reads `Math.random`
   * unless `setRandom` installed another).
   */
  random?: () => number;
}

/**
 * A liquid state machine (1.x's `Architect.Liquid`): `new Liquid(inputs, pool, outputs,
 * connections, gates, options?)`. The pool is one hidden layer of `pool` LOGISTIC units with
 * `connections` random unit-to-unit connections inside it (a pick of a unit onto itself is a
 * self-connection) and `gates` random gatings of those connections by pool units. The input
 * layer projects ALL_TO_ALL onto the pool, the pool onto the output layer.
 *
 * The random picks are 1.x's: for each connection a source then a target (`random() * pool | 0`),
 * then for each gate a gater then one of the connections made so far, interleaved with the
 * weights exactly as 1.x draws them. So the same random source gives 1.x's network, except where
 * 1.x misbehaved (see "Differences from 1.x" in the README): a pair picked again returns the
 * existing connection (1.x made a parallel duplicate when the reverse connection also existed),
 * and a connection gated twice is gated by its latest gater only.
 */
export class Liquid extends Network {
  constructor(
    inputs: number,
    pool: number,
    outputs: number,
    connections: number,
    gates: number,
    options?: LiquidOptions,
  ) {
    super();
    checkSize(inputs, 'Liquid input layer size (argument 1)');
    checkSize(pool, 'Liquid pool size (argument 2)');
    checkSize(outputs, 'Liquid output layer size (argument 3)');
    checkCount(connections, 'Liquid connections (argument 4)');
    checkCount(gates, 'Liquid gates (argument 5)');
    if (gates > 0 && connections === 0)
      throw new InvalidArgumentError(
        `Liquid gates (argument 5): there are no connections to gate (connections is 0), got ${gates} gates`,
      );
    let random: RandomSource | undefined;
    if (options !== undefined) {
      const given = checkOptions(options, ['random'], 'Liquid options (argument 6)');
      random = checkRandomSource(given.random, 'Liquid option random');
    }

    withRandomSource(random, (draw) => {
      const inputLayer = new Layer(inputs);
      const hiddenLayer = new Layer(pool);
      const outputLayer = new Layer(outputs);

      const neurons = hiddenLayer.neurons();
      const made: Connection[] = [];
      for (let i = 0; i < connections; i++) {
        const from = pick(draw, neurons.length, 'Liquid');
        const to = pick(draw, neurons.length, 'Liquid');
        made.push(neurons[from].project(neurons[to]));
      }
      for (let j = 0; j < gates; j++) {
        const gater = pick(draw, neurons.length, 'Liquid');
        const connection = pick(draw, made.length, 'Liquid');
        neurons[gater].gate(made[connection]);
      }

      inputLayer.project(hiddenLayer);
      hiddenLayer.project(outputLayer);
      this.set({ input: inputLayer, hidden: [hiddenLayer], output: outputLayer });
    });
  }
}
