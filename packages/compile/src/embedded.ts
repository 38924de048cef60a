/**
 * Functions whose text is written into standalone modules (with `Function.prototype.toString`):
 * each is self-contained — no imports, no outer variables — so the module needs nothing else.
 */
import type { LayerKernels, Memory, MemoryData, StoreArrays } from './memory.js';

/** Memory as it travels in a module: typed arrays as base64 of their little-endian bytes. */
export interface SerializedMemory {
  stores: Array<Record<string, string>>;
  squashCodes: string[];
  /** per block: base64, `#n`, or `@b` (tied: the same array as block b's, and the same gradient) */
  weight: string[];
  elig: string[];
  gain: Array<string | null>;
  fixed: Array<string | null>;
  fromStore: string[];
  fromIndex: string[];
  toStore: string[];
  toIndex: string[];
  accSizes: number[];
  undoLog: boolean;
  GS: string;
  KS: string;
  KI: string;
  GSELF: string;
  STORED: string;
  RS: string;
  RB: string;
  RSLOT: string;
  FS: string;
  FI: string;
  XT: string[];
}

/** Where `toJSON` finds each unit and connection, in the order core's `toJSON` writes them. */
export interface JSONTemplate {
  /** 1.x's format (false: core's versioned superset, for layer functions, fixed or tied parameters) */
  V1: boolean;
  /** the superset's `format` and `version` (core's FORMAT_NAME, FORMAT_VERSION) */
  FORMAT: string;
  VERSION: number;
  /** the layer functions' names (core's fixed identifiers): squash code 5 + k names FN[k] */
  FN: string[];
  /** per unit: store, index, layer (-1 input, -2 output, else the hidden index), squash code */
  NS: number[];
  NI: number[];
  NL: number[];
  NQ: number[];
  /** per connection: block (-1: the self-connection of unit CF), slot, from, to, gater (-1: none) */
  CB: number[];
  CS: number[];
  CF: number[];
  CT: number[];
  CG: number[];
  /** per connection (superset only): the connection whose weight it reads (tied), or -1 */
  CTIE: number[];
  /** core's `replay` and `gating` (the orders to apply the connections and gates in), null if none */
  R: { replay: Array<[number, number]> | null; gating: Array<[number, number]> | null };
}

/** `kernels`: core's layer-function kernels of each function layer (their text, evaluated by the module). */
export function decodeMemory(D: SerializedMemory, kernels: LayerKernels[]): MemoryData {
  const TABLE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const bytes = (text: string): Uint8Array => {
    const clean = text.replace(/=+$/, '');
    const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
    let bits = 0;
    let value = 0;
    let o = 0;
    for (let i = 0; i < clean.length; i++) {
      value = (value << 6) | TABLE.indexOf(clean.charAt(i));
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[o++] = (value >> bits) & 255;
      }
    }
    return out;
  };
  const f64 = (text: string): Float64Array => {
    if (text.charCodeAt(0) === 35) return new Float64Array(Number(text.slice(1))); // `#n`: n zeros
    const b = bytes(text);
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const out = new Float64Array(b.byteLength / 8);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
    return out;
  };
  const i32 = (text: string): Int32Array => {
    const b = bytes(text);
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const out = new Int32Array(b.byteLength / 4);
    for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
    return out;
  };
  // every field the module carries (core's STORE_FIELDS), then what is not a number field
  const stores: StoreArrays[] = D.stores.map((s) => {
    const store: Record<string, unknown> = {};
    for (const field of Object.keys(s)) if (field !== 'biasFixed') store[field] = f64(s[field]);
    store.squash = [];
    store.biasFixed = s.biasFixed === undefined ? null : bytes(s.biasFixed);
    store.biasGradient = new Float64Array(f64(s.bias).length);
    return store as unknown as StoreArrays;
  });
  // a tied block (`@b`, b earlier) reads block b's weights and gradient: one array each, as in core
  const weight: Float64Array[] = [];
  const gradient: Float64Array[] = [];
  for (let b = 0; b < D.weight.length; b++) {
    const text = D.weight[b];
    const o = text.charCodeAt(0) === 64 ? Number(text.slice(1)) : b;
    weight.push(o === b ? f64(text) : weight[o]);
    gradient.push(o === b ? new Float64Array(weight[b].length) : gradient[o]);
  }
  return {
    stores,
    squashCodes: D.squashCodes.map(bytes),
    weight,
    elig: D.elig.map(f64),
    gain: D.gain.map((g) => (g === null ? null : f64(g))),
    fixed: D.fixed.map((f) => (f === null ? null : bytes(f))),
    gradient,
    fromStore: D.fromStore.map(i32),
    fromIndex: D.fromIndex.map(i32),
    toStore: D.toStore.map(i32),
    toIndex: D.toIndex.map(i32),
    accSizes: D.accSizes,
    undoLog: D.undoLog,
    GS: i32(D.GS),
    KS: i32(D.KS),
    KI: i32(D.KI),
    GSELF: bytes(D.GSELF),
    STORED: bytes(D.STORED),
    RS: i32(D.RS),
    RB: i32(D.RB),
    RSLOT: i32(D.RSLOT),
    FS: i32(D.FS),
    FI: i32(D.FI),
    XT: D.XT.map(f64),
    units: [],
    activateUnit: null,
    propagateUnit: null,
    backwardUnit: null,
    functions: [],
    opLayers: [],
    unitGuards: [],
    kernels,
  };
}

interface Kernel {
  activate(input: ArrayLike<number>, output: number[]): number[];
  /** true when every weight and bias it wrote is finite; else `undo` puts back what it changed */
  propagate(rate: number, target: ArrayLike<number>): boolean;
  undo(): void;
}

/** The object a standalone module gives: checked entry points, `clear` and 1.x's JSON. */
export function makeRunner(M: Memory, kernel: Kernel, T: JSONTemplate, inputs: number, outputs: number) {
  const check = (values: ArrayLike<number>, size: number, what: string) => {
    if (values === null || typeof values !== 'object' || values.length !== size)
      throw new RangeError(`${what} must be an array of ${size} numbers`);
    for (let i = 0; i < size; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${what}[${i}] must be a finite number`);
    }
  };
  const NAMES = ['LOGISTIC', 'TANH', 'IDENTITY', 'HLIM', 'RELU'].concat(T.FN);
  // NaN and Infinity never leave silently (as in core): outputs are checked once per activate;
  // propagate puts the weights and biases back if one stops being finite
  const nonFinite = (message: string) => {
    const error = new RangeError(message);
    error.name = 'NonFiniteError';
    return error;
  };
  /** every number the module holds, for checkpoints */
  const everything = (): Float64Array[] => {
    const out: Float64Array[] = [];
    const add = (v: unknown) => {
      if (v instanceof Float64Array) out.push(v);
      else if (Array.isArray(v)) for (const x of v) if (x instanceof Float64Array) out.push(x);
    };
    for (const st of M.stores) for (const key of Object.keys(st)) add((st as unknown as Record<string, unknown>)[key]);
    for (const key of Object.keys(M)) if (key !== 'stores') add((M as unknown as Record<string, unknown>)[key]);
    return out;
  };
  return {
    activate(input: ArrayLike<number>): number[] {
      // a plain array is copied before it is checked: an index getter cannot change it afterwards
      const x = Array.isArray(input) ? input.slice() : input;
      check(x, inputs, 'input');
      const y = kernel.activate(x, new Array<number>(outputs));
      let acc = 0;
      for (let k = 0; k < y.length; k++) acc += y[k] - y[k];
      if (acc !== 0) {
        const k = y.findIndex((v) => !Number.isFinite(v));
        throw nonFinite(
          `activate: output ${k} is ${y[k]}: the weights, biases or inputs are too large for floating point`,
        );
      }
      return y;
    },
    propagate(rate: number | undefined, target: ArrayLike<number>): void {
      const r = rate === undefined || rate === null ? 0.1 : rate;
      if (typeof r !== 'number' || !Number.isFinite(r)) throw new TypeError('learning rate must be a finite number');
      const t = Array.isArray(target) ? target.slice() : target;
      check(t, outputs, 'target');
      // the generated propagate flags what it writes and logs the old values: undo on failure
      if (!kernel.propagate(r, t)) {
        kernel.undo();
        throw nonFinite(
          `propagate at rate ${r}: a weight or bias would become NaN or Infinity; the propagation was undone (the weights are as they were)`,
        );
      }
    },
    /** A copy of every number the module holds; `rollback` puts it back exactly. */
    checkpoint(reuse?: Float64Array[]): Float64Array[] {
      const arrays = everything();
      if (
        Array.isArray(reuse) &&
        reuse.length === arrays.length &&
        arrays.every((a, i) => reuse[i]?.length === a.length)
      ) {
        arrays.forEach((a, i) => reuse[i].set(a));
        return reuse;
      }
      return arrays.map((a) => a.slice());
    },
    rollback(saved: Float64Array[]): void {
      const arrays = everything();
      if (!Array.isArray(saved) || saved.length !== arrays.length)
        throw new TypeError('rollback expects a checkpoint of this module');
      arrays.forEach((a, i) => a.set(saved[i].subarray(0, a.length)));
    },
    clear(): void {
      for (const e of M.elig) e.fill(0);
      for (const x of M.XT) x.fill(0);
      for (const s of M.stores) {
        s.responsibility.fill(0);
        s.projected.fill(0);
        s.gated.fill(0);
      }
      M.INF.fill(0);
      for (const a of M.acc) if (a) a.fill(0);
    },
    toJSON() {
      // core's toJSON, key for key: 1.x's format, or the versioned superset (to-json.ts)
      const neurons = T.NS.map((s, u) => {
        const store = M.stores[s];
        const i = T.NI[u];
        const layer = T.NL[u];
        const unit: Record<string, unknown> = {
          trace: { elegibility: {}, extended: {} },
          state: store.state[i],
          old: store.old[i],
          activation: store.activation[i],
          bias: store.bias[i],
          layer: layer === -1 ? 'input' : layer === -2 ? 'output' : layer,
          squash: NAMES[T.NQ[u]],
        };
        if (!T.V1 && store.biasFixed !== null && store.biasFixed[i]) unit.biasFixed = true;
        return unit;
      });
      const connections = T.CB.map((b, c) => {
        const from = T.CF[c];
        const weight = b < 0 ? M.stores[T.NS[from]].selfWeight[T.NI[from]] : M.weight[b][T.CS[c]];
        const entry: Record<string, unknown> = { from, to: T.CT[c], weight, gater: T.CG[c] < 0 ? null : T.CG[c] };
        if (T.V1) return entry;
        const fixed = b < 0 ? null : M.fixed[b];
        if (fixed?.[T.CS[c]]) entry.fixed = true;
        if (T.CTIE[c] >= 0) entry.tie = T.CTIE[c];
        return entry;
      });
      const json: Record<string, unknown> = T.V1
        ? { neurons, connections }
        : { format: T.FORMAT, version: T.VERSION, units: neurons, connections };
      if (T.R.replay) json.replay = T.R.replay.map((r) => r.slice());
      if (T.R.gating) json.gating = T.R.gating.map((r) => r.slice());
      return json;
    },
  };
}
