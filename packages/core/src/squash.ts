import { SynapticError, UnknownSquashError } from './errors.js';

/**
 * A squash (activation) function: `f(x)` or, with `derivate` true, `f'(x)`.
 * Same contract as synaptic 1.x, so custom functions written for 1.x keep working.
 */
export type SquashFunction = (x: number, derivate?: boolean) => number;

// eq. 5 & 5' of Monner & Reggia 2012: the logistic function and its derivative f(x)(1 - f(x))
function LOGISTIC(x: number, derivate?: boolean): number {
  const fx = 1 / (1 + Math.exp(-x));
  if (!derivate) return fx;
  return fx * (1 - fx);
}

function TANH(x: number, derivate?: boolean): number {
  if (derivate) return 1 - Math.tanh(x) ** 2;
  return Math.tanh(x);
}

function IDENTITY(x: number, derivate?: boolean): number {
  return derivate ? 1 : x;
}

/** Hard limit: a step at 0; its "derivative" is 1, as in 1.x, so it can still be trained. */
function HLIM(x: number, derivate?: boolean): number {
  return derivate ? 1 : x > 0 ? 1 : 0;
}

function RELU(x: number, derivate?: boolean): number {
  if (derivate) return x > 0 ? 1 : 0;
  // biome-ignore lint/complexity/useMathMinMax: Math.max passes NaN through; 1.x returns 0
  return x > 0 ? x : 0;
}

/**
 * The softmax is a layer function (see layer-function.ts): `layer.set({ squash: SOFTMAX })` makes
 * a whole layer one. This marker stands in each unit's squash slot; it cannot run on one unit.
 */
function SOFTMAX(_x: number, _derivate?: boolean): number {
  throw new SynapticError(
    'SOFTMAX is a layer function: it runs over a whole layer (layer.set({ squash: Neuron.squash.SOFTMAX })), not on one unit',
  );
}

/**
 * Layer normalization is a layer function too (layer-function.ts): y = γ (s − μ)/√(σ² + ε) + β over
 * each group of the layer, with a learnable gain γ and shift β per unit (ε = 1e-5).
 */
function LAYER_NORM(_x: number, _derivate?: boolean): number {
  throw new SynapticError(
    'LAYER_NORM is a layer function: it runs over a whole layer (layer.set({ squash: Neuron.squash.LAYER_NORM })), not on one unit',
  );
}

export const squash = Object.freeze({ LOGISTIC, TANH, IDENTITY, HLIM, RELU, SOFTMAX, LAYER_NORM });

/** The markers that stand for layer functions in a unit's squash slot, by the function's name. */
export const LAYER_FUNCTION_MARKERS: Readonly<Record<'SOFTMAX' | 'LAYER_NORM', SquashFunction>> = Object.freeze({
  SOFTMAX,
  LAYER_NORM,
});

/** The layer function a squash stands for ('SOFTMAX', 'LAYER_NORM'), or null for a real squash. */
export function layerFunctionMarker(fn: SquashFunction): 'SOFTMAX' | 'LAYER_NORM' | null {
  return fn === SOFTMAX ? 'SOFTMAX' : fn === LAYER_NORM ? 'LAYER_NORM' : null;
}

/** The squash functions 1.x knows, which its JSON names. */
export type SquashName = 'LOGISTIC' | 'TANH' | 'IDENTITY' | 'HLIM' | 'RELU';

export const SQUASH_NAMES: readonly SquashName[] = ['LOGISTIC', 'TANH', 'IDENTITY', 'HLIM', 'RELU'];

/**
 * Each built-in squash as the statement compiled code runs (eq. 16: y = f(s), d = f'(s), with the
 * state in `sum`), next to the function it must equal: same operations, same rounding. Only these
 * fixed texts enter generated source, never a user's function.
 */
export const SQUASH_SOURCE: Readonly<Record<SquashName, string>> = Object.freeze({
  LOGISTIC: 'y = 1 / (1 + Math.exp(-sum)); d = y * (1 - y);',
  TANH: 'y = Math.tanh(sum); d = 1 - Math.pow(y, 2);',
  IDENTITY: 'y = sum; d = 1;',
  HLIM: 'y = sum > 0 ? 1 : 0; d = 1;',
  RELU: 'y = sum > 0 ? sum : 0; d = sum > 0 ? 1 : 0;',
});

/** The name of a built-in squash function, or null for a custom one (1.x writes null too). */
export function squashName(fn: SquashFunction): SquashName | null {
  for (const name of SQUASH_NAMES) if (squash[name] === fn) return name;
  return null;
}

/** Looks a name up without touching the prototype chain (`"constructor"` is not a squash). */
export function squashByName(name: unknown, where: string): SquashFunction {
  if (typeof name === 'string' && (SQUASH_NAMES as readonly string[]).includes(name)) {
    return squash[name as SquashName];
  }
  throw new UnknownSquashError(name, where);
}
