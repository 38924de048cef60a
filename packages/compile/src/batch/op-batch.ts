/**
 * Batched execution of chains with convolution and pooling (op-chain.ts): B samples forward and
 * backward at once, stage by stage (dense-stage.ts, conv.ts, pool.ts), the products on the one
 * `gemm` (WebAssembly SIMD where present, else JavaScript; f64 or f32). `CompiledBatch` hands a
 * network with ops to this class; like it, gradients are ADDED to the network's `parameters()`
 * arrays, as B calls of `network.backward` would add them, and weights are only read.
 */
import {
  type CostFunction,
  InvalidArgumentError,
  InvalidValueError,
  type Network,
  SizeMismatchError,
} from '@synaptic/core';
import { wasmKernels } from '../wasm/runtime.js';
import { convStage } from './conv.js';
import { denseStage } from './dense-stage.js';
import { type DenseKernels, jsKernels, type Precision } from './kernels.js';
import { pad8 } from './layout.js';
import { type OpChain, readOpChain } from './op-chain.js';
import { poolStage } from './pool.js';
import { differentiableCost, outputDelta } from './output-delta.js';
import { sampleCount } from './samples.js';
import { squashLayer } from './squash-kernels.js';
import type { StageKernel, StagePlan } from './stage.js';

interface Built {
  readonly version: number;
  readonly chain: OpChain;
  readonly kernels: DenseKernels;
  readonly stages: readonly StageKernel[];
  /** per layer 0..L (input first): activations, unit-major (j·cols + b), but the output's row-major (b·m + j) */
  readonly activations: readonly Float64Array[];
  /** per layer 1..L (index l − 1), unit-major: f'(s), ∂E/∂y reaching the layer, δ = ∂E/∂s */
  readonly derivatives: readonly Float64Array[];
  readonly errors: readonly Float64Array[];
  readonly deltas: readonly Float64Array[];
  /** rows of the widest layer, for the layer functions and the cost */
  readonly scratch: readonly Float64Array[];
  readonly costRows: { readonly t: number[]; readonly y: number[] };
}

export class OpBatch {
  private built: Built;
  private count = 0;

  constructor(
    readonly network: Network,
    readonly batchSize: number,
    readonly precision: Precision,
    private readonly requested: 'auto' | 'wasm' | 'js',
  ) {
    this.built = this.build();
  }

  get backend(): 'wasm' | 'js' {
    return this.built.kernels.backend;
  }

  get inputSize(): number {
    return this.built.chain.inputSize;
  }

  get outputSize(): number {
    const stages = this.built.chain.stages;
    return stages[stages.length - 1].units.size;
  }

  private build(): Built {
    const chain = readOpChain(this.network);
    let elements = 0;
    const take = (count: number): number => {
      const at = elements;
      elements += pad8(count);
      return at;
    };
    const B = this.batchSize;
    const plans: StagePlan[] = chain.stages.map((stage, l) => {
      const backflow = l > 0;
      if (stage.kind === 'dense') return denseStage(stage.dense, B, backflow, take);
      if (stage.kind === 'conv') return convStage(stage.op, B, backflow, take);
      return poolStage(stage.op, B);
    });
    let kernels: DenseKernels | null = null;
    if (this.requested !== 'js') kernels = wasmKernels(this.precision, elements);
    if (kernels === null && this.requested === 'wasm')
      throw new InvalidArgumentError(
        "compileBatch: backend 'wasm' needs WebAssembly SIMD, which is not available here",
      );
    kernels ??= jsKernels(this.precision, elements);
    const bound = kernels;
    const stages = plans.map((plan) => plan.bind(bound));
    const cols = pad8(B);
    const sizes = [chain.inputSize, ...chain.stages.map((s) => s.units.size)];
    const unitMajor = () => sizes.slice(1).map((m) => new Float64Array(m * cols));
    const widest = Math.max(...sizes);
    const top = sizes[sizes.length - 1];
    return {
      version: this.network.structureVersion(),
      chain,
      kernels,
      stages,
      activations: sizes.map((m, l) => new Float64Array(m * (l === sizes.length - 1 ? B : cols))),
      derivatives: unitMajor(),
      errors: unitMajor(),
      deltas: unitMajor(),
      scratch: Array.from({ length: 3 }, () => new Float64Array(widest)),
      costRows: { t: new Array<number>(top).fill(0), y: new Array<number>(top).fill(0) },
    };
  }

  private current(): Built {
    if (this.network.structureVersion() !== this.built.version) {
      this.built = this.build();
      this.count = 0;
    }
    return this.built;
  }

  /** As `CompiledBatch.forward`; `onChecked` is called once every input is known to be finite. */
  forward(inputs: ArrayLike<number>, onChecked?: () => void): Float64Array {
    const built = this.current();
    const { chain, stages, activations, derivatives, scratch } = built;
    const n0 = chain.inputSize;
    const count = sampleCount(inputs, n0, this.batchSize);
    this.count = 0;
    const x0 = activations[0];
    const cols = pad8(this.batchSize);
    for (let k = 0; k < count * n0; k++) {
      const v = inputs[k];
      // at f32 the first product rounds it: a value past float32's range is refused as well
      if (!Number.isFinite(v) || (this.precision === 'f32' && !Number.isFinite(Math.fround(v))))
        throw new InvalidValueError(
          `batch forward input ${k % n0} of sample ${Math.floor(k / n0)}${this.precision === 'f32' && Number.isFinite(v) ? ' (as a float32)' : ''}`,
          v,
        );
      x0[(k % n0) * cols + Math.floor(k / n0)] = v;
    }
    onChecked?.();
    const last = chain.stages.length - 1;
    chain.stages.forEach((stage, l) => {
      const kernel = stages[l];
      kernel.forward(activations[l], count);
      const { units } = stage;
      const m = units.size;
      const y = activations[l + 1];
      const d = derivatives[l];
      const h = kernel.states;
      const at = kernel.statesAt;
      // hidden layers unit-major, the output row-major
      const [toRow, toCol] = l === last ? [1, m] : [cols, 1];
      if (units.layerFunction !== null) {
        const fn = units.layerFunction;
        const [s, out, dd] = scratch;
        for (let b = 0; b < count; b++) {
          for (let j = 0; j < m; j++) s[j] = h[at + j * cols + b] + units.bias[j];
          fn.forward(s, out, dd, m);
          for (let j = 0; j < m; j++) {
            y[j * toRow + b * toCol] = out[j];
            d[j * cols + b] = dd[j];
          }
        }
      } else squashLayer(units.squash, units.squashes, units.bias, m, h, at, cols, count, d, y, 0, toRow, toCol);
    });
    const m = this.outputSize;
    const out = activations[activations.length - 1].subarray(0, count * m);
    for (let k = 0; k < out.length; k++) {
      if (!Number.isFinite(out[k]))
        throw new InvalidValueError(`batch forward output ${k % m} of sample ${Math.floor(k / m)}`, out[k]);
    }
    this.count = count;
    return out;
  }

  backward(
    targets: ArrayLike<number>,
    options: { readonly cost?: CostFunction; readonly accumulate?: boolean },
  ): number {
    const count = this.count;
    if (count === 0 || this.network.structureVersion() !== this.built.version)
      throw new InvalidArgumentError('batch backward: call forward(inputs) first (and after any change of structure)');
    const costFn = differentiableCost(options.cost);
    const { chain, stages, activations, derivatives, errors, deltas, scratch } = this.built;
    const cols = pad8(this.batchSize);
    const L = chain.stages.length;
    const top = chain.stages[L - 1].units;
    const m = top.size;
    if (targets === null || typeof targets !== 'object' || targets.length !== count * m)
      throw new SizeMismatchError(`batch backward targets (${count} samples of ${m})`, count * m, targets?.length);
    const output = activations[L];
    const [dEdy, yv, into] = scratch.map((row) => row.subarray(0, m));
    const rows = { ...this.built.costRows, dEdy, yv, into };
    const dTop = derivatives[L - 1];
    const deltaTop = deltas[L - 1];
    let error = 0;
    for (let b = 0; b < count; b++) {
      // the output layer's ∂E/∂s, sample by sample
      error += outputDelta(targets, output, b, m, costFn, top.layerFunction, dTop, cols, rows);
      for (let k = 0; k < m; k++) deltaTop[k * cols + b] = into[k];
    }
    // accumulate: false replaces the gradients: every check has passed, so zeroing now changes nothing on failure
    if (options.accumulate === false) zeroTrainedGradients(this.network);
    for (let l = L - 1; l >= 0; l--) {
      const units = chain.stages[l].units;
      const size = units.size;
      const delta = deltas[l];
      if (l < L - 1) {
        // δ = f'(s) · ∂E/∂y, or through the layer function, sample by sample
        const e = errors[l];
        const d = derivatives[l];
        if (units.layerFunction !== null) {
          const [eb, act, res] = scratch;
          const yl = activations[l + 1];
          for (let b = 0; b < count; b++) {
            for (let i = 0; i < size; i++) {
              eb[i] = e[i * cols + b];
              act[i] = yl[i * cols + b];
            }
            units.layerFunction.backward(act, eb, res, size);
            for (let i = 0; i < size; i++) delta[i * cols + b] = res[i];
          }
        } else
          for (let i = 0; i < size; i++)
            for (let b = 0, at = i * cols; b < count; b++) delta[at + b] = d[at + b] * e[at + b];
      }
      for (let j = 0; j < size; j++) {
        if (units.biasFixed !== null && units.biasFixed[j] === 1) continue;
        let sum = 0;
        for (let b = 0, at = j * cols; b < count; b++) sum += delta[at + b];
        units.biasGradient[j] += sum;
      }
      const below = l > 0 ? errors[l - 1] : null;
      if (below !== null) below.fill(0);
      stages[l].backward(activations[l], count, delta, below);
    }
    return error;
  }
}

/** Sets every trained (not fixed) entry of the network's parameter gradients to 0. */
function zeroTrainedGradients(network: Network): void {
  for (const p of network.parameters()) {
    const g = p.gradient;
    const fixed = p.fixed;
    for (let i = 0; i < g.length; i++) if (fixed === null || fixed[i] === 0) g[i] = 0;
  }
}
