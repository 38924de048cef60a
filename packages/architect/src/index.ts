import { Convolutional } from './convolutional.js';
import { GRU } from './gru.js';
import { Hopfield } from './hopfield.js';
import { Liquid } from './liquid.js';
import { LSTM } from './lstm.js';
import { NARX } from './narx.js';
import { Perceptron } from './perceptron.js';
import { Random } from './random-network.js';
import { ContinuousTransformer, Transformer, TransformerBlock } from './transformer.js';

export {
  Perceptron,
  LSTM,
  Liquid,
  Hopfield,
  GRU,
  NARX,
  Random,
  Convolutional,
  Transformer,
  ContinuousTransformer,
  TransformerBlock,
};
export type {
  TransformerOptions,
  ContinuousTransformerOptions,
  TransformerBlockOptions,
  TransformerBlockLayers,
} from './transformer.js';
export type { LSTMOptions, LSTMArguments } from './lstm.js';
export type { LiquidOptions } from './liquid.js';
export type { HopfieldLearnOptions, HopfieldLearnResult } from './hopfield.js';
export type { RandomOptions } from './random-network.js';
export type { GRUOptions, GRUArguments } from './gru.js';
export type {
  ConvolutionalLayerSpec,
  ConvolutionalOptions,
  ConvolutionSpec,
  FullyConnectedSpec,
  InputSpec,
  SquashSpec,
} from './convolutional.js';

/**
 * Every architecture under one name, for code ported from 1.x (`new Architect.LSTM(2, 6, 1)`).
 * The classes are the same as the named exports.
 */
export const Architect = Object.freeze({
  Perceptron,
  LSTM,
  Liquid,
  Hopfield,
  GRU,
  NARX,
  Random,
  Convolutional,
  Transformer,
  ContinuousTransformer,
  TransformerBlock,
});
