import { InvalidArgumentError, Layer, Network, squash } from '@synaptic/core';
import { checkBoolean, checkOptions, checkSize, describeValue, isPlainObject } from './validate.js';

/** The options of `GRU`. */
export interface GRUOptions {
  /**
   * The input layer also projects straight onto the output layer, as in 1.x's LSTM; default
   * true. Without it the output layer reads the last block only, as in a textbook GRU network.
   */
  inputToOutput?: boolean;
}

/** `new GRU(inputs, ...blocks, outputs)` or `new GRU(inputs, ...blocks, outputs, options)`. */
export type GRUArguments = number[] | [...number[], GRUOptions];

const { IDENTITY, TANH } = squash;

/**
 * A gated recurrent unit network: `new GRU(inputs, ...blocks, outputs, options?)`, one GRU block
 * per size in the middle, stacked: the input layer feeds the first block, each block the next,
 * the last block the output layer (and, with `inputToOutput`, the input layer too).
 *
 * The standard GRU (Cho et al. 2014), in the convention where z is the share of the old state kept:
 *
 *     z_t = σ(W_z x_t + U_z h_{t-1} + b_z)                       update gate
 *     r_t = σ(W_r x_t + U_r h_{t-1} + b_r)                       reset gate
 *     h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ tanh(W x_t + U (r_t ⊙ h_{t-1}) + b)
 *
 * A block of n units is five layers of n units, activated in this order (x is the block's input,
 * h the state layer, which activates last, so every projection from h reads h_{t-1}):
 *
 * 1. `updateGate` z: LOGISTIC, bias 1; projections from x and from h.
 * 2. `inverseUpdateGate` q: IDENTITY, bias 1; a ONE_TO_ONE projection from z of weight −1, so
 *    q = 1 − z.
 * 3. `resetGate` r: LOGISTIC, bias 1; projections from x and from h.
 * 4. `reset` p: IDENTITY, bias 0; a ONE_TO_ONE projection from h of weight 1 gated ONE_TO_ONE by
 *    r, so p = r ⊙ h_{t-1}.
 * 5. `state` h: TANH; projections from x (W) and from p (U), both gated INPUT by q (unit j of q
 *    scales every connection entering unit j of h), and its self-connections gated ONE_TO_ONE by z.
 *
 * So, with LSTM-g's semantics (a gated connection's gain is its gater's current activation), the
 * state unit computes
 *
 *     s_t = z_t ⊙ s_{t-1} + (1 − z_t) ⊙ (W x_t + U (r_t ⊙ h_{t-1})) + b,   h_t = tanh(s_t)
 *
 * which is the GRU's interpolation applied to the state before the squash instead of after it,
 * the way LSTM-g's memory cells squash their accumulated state. Memory lives in a gated
 * self-connection, as in an LSTM cell, which is what LSTM-g trains with exact eligibility traces:
 * W, U and both gates of the state's inputs and self-connection (z, through q) learn from errors
 * any number of steps later. Gradients through the recurrent projections from h to the gates and
 * to p stop after one step, as for every connection between distinct units in LSTM-g.
 *
 * The structural parts are fixed parameters, never trained: q's weight −1 and bias 1 (so q = 1 − z
 * exactly) and p's weight 1 and bias 0.
 */
export class GRU extends Network {
  constructor(...args: GRUArguments) {
    super();
    const { sizes, inputToOutput } = parseArguments(args as unknown[]);
    const [inputs, ...blocks] = sizes;
    const outputs = blocks.pop()!;

    const input = new Layer(inputs);
    const hidden: Layer[] = [];
    let previous = input;
    for (const size of blocks) {
      const updateGate = new Layer(size).set({ bias: 1 });
      const inverseUpdateGate = new Layer(size).set({ bias: 1, squash: IDENTITY, biasFixed: true });
      const resetGate = new Layer(size).set({ bias: 1 });
      const reset = new Layer(size).set({ bias: 0, squash: IDENTITY, biasFixed: true });
      const state = new Layer(size).set({ squash: TANH });
      hidden.push(updateGate, inverseUpdateGate, resetGate, reset, state);

      previous.project(updateGate);
      state.project(updateGate);
      updateGate.project(inverseUpdateGate, Layer.connectionType.ONE_TO_ONE, -1).fix();
      previous.project(resetGate);
      state.project(resetGate);
      const copy = state.project(reset, Layer.connectionType.ONE_TO_ONE, 1).fix();
      const fromInput = previous.project(state);
      const fromReset = reset.project(state);
      const keep = state.project(state, Layer.connectionType.ONE_TO_ONE);

      resetGate.gate(copy, Layer.gateType.ONE_TO_ONE);
      inverseUpdateGate.gate(fromInput, Layer.gateType.INPUT);
      inverseUpdateGate.gate(fromReset, Layer.gateType.INPUT);
      updateGate.gate(keep, Layer.gateType.ONE_TO_ONE);

      previous = state;
    }
    const output = new Layer(outputs);
    previous.project(output);
    if (inputToOutput) input.project(output);
    this.set({ input, hidden, output });
  }
}

function parseArguments(args: unknown[]): { sizes: number[]; inputToOutput: boolean } {
  let sizes = args;
  let inputToOutput = true;
  const last = args[args.length - 1];
  if (args.length > 0 && typeof last !== 'number') {
    sizes = args.slice(0, -1);
    if (!isPlainObject(last)) {
      throw new InvalidArgumentError(
        `GRU: the last argument must be the output layer size or an options object, got ${describeValue(last)}`,
      );
    }
    const given = checkOptions(last, ['inputToOutput'], 'GRU options');
    if (given.inputToOutput !== undefined)
      inputToOutput = checkBoolean(given.inputToOutput, 'GRU option inputToOutput');
  }
  if (sizes.length < 3) {
    throw new InvalidArgumentError(
      `GRU needs at least 3 layer sizes (input, GRU blocks..., output), got ${sizes.length}`,
    );
  }
  sizes.forEach((size, i) => {
    const what = i === 0 ? 'input layer' : i === sizes.length - 1 ? 'output layer' : `block ${i}`;
    checkSize(size, `GRU ${what} size (argument ${i + 1})`);
  });
  return { sizes: sizes as number[], inputToOutput };
}
