import type { RandomSource } from '@synaptic/core';
import { InvalidOptionError } from './errors.js';

/** The unit storage dropout reaches: core's `Neuron` keeps its activation and f' in a store's arrays. */
interface UnitView {
  store: { activation: Float64Array; derivative: Float64Array };
  index: number;
}

interface LayerView {
  list: UnitView[];
  activate(input?: ArrayLike<number>): unknown;
  layerFunction?: unknown;
}

interface LayeredNetwork {
  layers?: { input: LayerView | null; hidden: LayerView[]; output: LayerView | null };
  executor?(): unknown;
}

/**
 * Inverted dropout on hidden layers (Srivastava et al. 2014), while training only: the network is
 * activated layer by layer, and after each hidden layer every unit is dropped with probability p
 * (its activation and its f' set to 0) or kept and scaled by 1/(1 − p) (both). Scaling f' too
 * makes `backward` the exact gradient of the thinned network: δ_j = f'_j·m_j/(1−p)·Σ_k w_kj δ_k,
 * and the weights out of j see the scaled activation. Inference (`activate`) never drops.
 */
export class Dropout {
  private readonly layers: LayerView[];
  private readonly input: LayerView;
  private readonly output: LayerView;

  constructor(
    network: unknown,
    private readonly rates: readonly number[],
    private readonly random: RandomSource,
  ) {
    const layered = network as LayeredNetwork;
    const layers = layered.layers;
    if (!layers?.input || !layers.output || !Array.isArray(layers.hidden)) {
      throw new InvalidOptionError('dropout', 'needs a layered network (a @synaptic/core Network built from layers)');
    }
    if (typeof layered.executor === 'function' && layered.executor() !== null) {
      throw new InvalidOptionError(
        'dropout',
        'needs the interpreter: train without an attached executor (compiled code)',
      );
    }
    if (rates.length !== layers.hidden.length) {
      throw new InvalidOptionError('dropout', `has ${rates.length} rates for ${layers.hidden.length} hidden layers`);
    }
    layers.hidden.forEach((layer, i) => {
      if (rates[i] > 0 && layer.layerFunction) {
        throw new InvalidOptionError(`dropout[${i}]`, 'cannot drop units of a layer function (softmax...): give it 0');
      }
    });
    this.layers = layers.hidden;
    this.input = layers.input;
    this.output = layers.output;
  }

  /** Activates the network with fresh dropout masks; returns the outputs. */
  activate(input: ArrayLike<number>): number[] {
    this.input.activate(input);
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l];
      layer.activate();
      const p = this.rates[l];
      if (p === 0) continue;
      const keep = 1 / (1 - p);
      for (const { store, index } of layer.list) {
        const factor = this.random() < p ? 0 : keep;
        store.activation[index] *= factor;
        store.derivative[index] *= factor;
      }
    }
    return this.output.activate() as number[];
  }
}

/** Throws unless dropout at `rates` can run on `network` (before anything trains). */
export function checkDropoutNetwork(network: unknown, rates: readonly number[]): void {
  new Dropout(network, rates, () => 0);
}
