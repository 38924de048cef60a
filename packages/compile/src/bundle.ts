/**
 * Dependency-free source for a network: the generated kernel, the network's numbers and the
 * few functions that load them, in one expression. Used for standalone modules and for training
 * compiled networks in workers (core's `PortableNetwork`).
 */
import {
  fitsFormat1x,
  forEachListedConnection,
  FORMAT_NAME,
  FORMAT_VERSION,
  layerFunctions,
  rebuildOrders,
  STORE_FIELDS,
  SynapticError,
  type Block,
  type LayerFunction,
  type Network,
} from '@synaptic/core';
import { decodeMemory, makeRunner, type JSONTemplate, type SerializedMemory } from './embedded.js';
import { emit } from './emit.js';
import { linkMemory, memoryData, type MemoryData } from './memory.js';
import { plan, SQUASH_CODE, squashCode, type Plan } from './plan.js';

/** A network that cannot be written as standalone source (a custom squash function, for one). */
export class CompileError extends SynapticError {
  override name = 'CompileError';
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const n = (a << 16) | (b << 8) | c;
    out += BASE64[(n >> 18) & 63] + BASE64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? BASE64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? BASE64[n & 63] : '=';
  }
  return out;
}

/** An array of zeros (a fresh network's traces) is written as its length: `#n`. */
function isZero(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 || 1 / values[i] < 0) return false;
  return true;
}

function f64(values: Float64Array): string {
  if (isZero(values)) return `#${values.length}`;
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  return base64(bytes);
}

function i32(values: Int32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setInt32(i * 4, v, true));
  return base64(bytes);
}

/**
 * The most base64 a module may carry. V8 strings end near 512 M characters, and a module is one
 * string; a network past this is refused at once instead of running out of memory.
 */
export const MAX_MODULE_NUMBERS = 24_000_000;

/** Refuses, before any text is built, a network whose numbers do not fit in a module. */
function checkSize(data: MemoryData): void {
  let numbers = 0;
  const add = (a: Float64Array | null) => {
    if (a !== null && !isZero(a)) numbers += a.length;
  };
  for (const s of data.stores) for (const f of STORE_FIELDS) add(s[f]);
  for (const list of [data.elig, data.gain]) for (const a of list) add(a);
  data.weight.forEach((w, b) => {
    if (data.weight.indexOf(w) === b) add(w);
  });
  let traces = 0;
  data.XT.forEach((x, q) => {
    if (data.STORED[q] === 1 && !isZero(x)) traces += x.length;
  });
  numbers += traces;
  if (numbers > MAX_MODULE_NUMBERS) {
    throw new CompileError(
      `this network has ${numbers.toLocaleString('en-US')} numbers to write into a standalone module (${traces.toLocaleString('en-US')} of them extended traces), more than the ${MAX_MODULE_NUMBERS.toLocaleString('en-US')} (about ${Math.round((MAX_MODULE_NUMBERS * 32) / 3 / 1e6)} MB of source) a module can hold: run it with optimize() or the interpreter instead`,
    );
  }
}

function serialize(data: MemoryData): SerializedMemory {
  const fields = STORE_FIELDS;
  checkSize(data);
  return {
    stores: data.stores.map((s) => {
      const arrays: Record<string, string> = Object.fromEntries(fields.map((f) => [f, f64(s[f])]));
      if (s.biasFixed !== null) arrays.biasFixed = base64(s.biasFixed);
      return arrays;
    }),
    squashCodes: data.squashCodes.map(base64),
    // a tied block shares its owner's array (core's LayerConnection.tie): written as `@b`, the first
    // block holding that array, so the module's copy stays tied
    weight: data.weight.map((w, b) => {
      const first = data.weight.indexOf(w);
      return first < b ? `@${first}` : f64(w);
    }),
    elig: data.elig.map(f64),
    gain: data.gain.map((g) => (g === null ? null : f64(g))),
    fixed: data.fixed.map((f) => (f === null ? null : base64(f))),
    fromStore: data.fromStore.map(i32),
    fromIndex: data.fromIndex.map(i32),
    toStore: data.toStore.map(i32),
    toIndex: data.toIndex.map(i32),
    accSizes: data.accSizes,
    undoLog: data.undoLog,
    GS: i32(data.GS),
    KS: i32(data.KS),
    KI: i32(data.KI),
    GSELF: base64(data.GSELF),
    STORED: base64(data.STORED),
    RS: i32(data.RS),
    RB: i32(data.RB),
    RSLOT: i32(data.RSLOT),
    FS: i32(data.FS),
    FI: i32(data.FI),
    // an extended trace toward a unit without a self-connection has no memory (it is rebuilt from
    // the current influence): written as zeros, which is not (gated × gater inputs) numbers of text
    XT: data.XT.map((x, q) => (data.STORED[q] === 0 ? `#${x.length}` : f64(x))),
  };
}

/** Where core's `toJSON` finds each unit and connection, in its order. */
function template(network: Network, p: Plan): JSONTemplate {
  const units = network.neurons();
  const blockId = new Map(p.blocks.map((bp) => [bp.block, bp.id]));
  const names = SQUASH_CODE.CUSTOM; // 1.x's names come first; a layer function's code is 5 + its index
  const fnCode = new Map(p.functions.map(({ units: list }, k) => [list, names + k]));
  const t: JSONTemplate = {
    V1: fitsFormat1x(units),
    FORMAT: FORMAT_NAME,
    VERSION: FORMAT_VERSION,
    FN: p.functions.map(({ fn }) => fn.name),
    NS: [],
    NI: [],
    NL: [],
    NQ: [],
    CB: [],
    CS: [],
    CF: [],
    CT: [],
    CG: [],
    CTIE: [],
    R: rebuildOrders(units),
  };
  const storeId = new Map(p.stores.map((s, k) => [s, k]));
  const functionOf = new Map<unknown, number>();
  for (const layer of network.allLayers()) {
    const code = fnCode.get(layer.list);
    if (code !== undefined) for (const unit of layer.list) functionOf.set(unit, code);
  }
  for (const { neuron, layer } of units) {
    t.NS.push(storeId.get(neuron.store)!);
    t.NI.push(neuron.index);
    t.NL.push(layer === 'input' ? -1 : layer === 'output' ? -2 : layer);
    t.NQ.push(functionOf.get(neuron) ?? squashCode(neuron.squash));
  }
  // where each (block, slot) is listed, so a tied connection names the one whose weight it reads
  const listed = new Map<Block, Map<number, number>>();
  forEachListedConnection(units, ({ from, to, gater, block, slot }) => {
    if (block !== null) {
      let slots = listed.get(block);
      if (!slots) listed.set(block, (slots = new Map()));
      slots.set(slot, t.CB.length);
    }
    t.CB.push(block ? blockId.get(block)! : -1);
    t.CS.push(slot);
    t.CF.push(from);
    t.CT.push(to);
    t.CG.push(gater ?? -1);
  });
  forEachListedConnection(units, ({ block, slot }) => {
    const tie = block?.tiedTo ? listed.get(block.tiedTo)?.get(slot) : undefined;
    t.CTIE.push(tie ?? -1);
  });
  return t;
}

/** The layer functions a standalone module can run (see `kernelSource`). */
const INLINE_FUNCTIONS: ReadonlySet<string> = new Set(['SOFTMAX']);

/**
 * A layer function's kernels as source: their own text (core writes them as self-contained
 * function declarations, and checks that the text computes the same bits). Only core's built-in
 * layer functions are written, and only text that has the shape core promises.
 */
function kernelSource(fn: LayerFunction): string {
  // the layer functions generated code calls as kernel(state, y, f', n) / kernel(y, e, into, n) over the
  // whole layer; one with parameters of its own (LayerNorm's γ, β) or groups needs its call written first
  if (!INLINE_FUNCTIONS.has(fn.name))
    throw new CompileError(
      `layer function ${JSON.stringify(String(fn.name))} cannot be written as standalone source yet (only ${[...INLINE_FUNCTIONS].join(', ')} can); optimize() runs it compiled`,
    );
  const builtIn = Object.hasOwn(layerFunctions, fn.name) ? layerFunctions[fn.name] : undefined;
  const text = [fn.forward, fn.backward].map(String);
  if (builtIn !== fn || !text.every((t) => /^function [A-Za-z_$][\w$]*\(/.test(t)))
    throw new CompileError(
      `layer function ${JSON.stringify(String(fn.name))} cannot be written as standalone source: only core's built-in layer functions, whose kernels are self-contained, can`,
    );
  return `{ forward: (${text[0]}), backward: (${text[1]}) }`;
}

/**
 * The expression `(function () { ...; return function build() { ... }; })()`: evaluating it gives
 * a function that builds a fresh, independent copy of the network as it is now.
 */
export function bundleSource(network: Network, options: { exact?: boolean } = {}): string {
  network.restore();
  const p = plan(network, network.structureVersion(), {
    maxUnitGroups: Infinity,
    exact: options.exact ?? false,
    inlineFunctions: true,
  });
  const kernels = p.functions.map(({ fn, group, units }) => {
    if (group !== units.length)
      throw new CompileError(
        `layer function ${JSON.stringify(String(fn.name))} runs in groups of ${group} units here, which standalone source cannot write yet; optimize() runs it compiled`,
      );
    return kernelSource(fn);
  });
  if (p.opLayers.length > 0)
    throw new CompileError(
      'a network with layer-level projections (convolution, pooling, attention, embeddings) cannot be written as standalone source yet; optimize() runs it compiled',
    );
  for (const g of p.groups) {
    if (g.kind === 'function') continue;
    if (g.units.some((u) => squashCode(u.squash) === SQUASH_CODE.CUSTOM)) {
      throw new CompileError(
        'a network with a custom squash function cannot be written as standalone source (only LOGISTIC, TANH, IDENTITY, HLIM and RELU can)',
      );
    }
  }
  const kernel = emit(p).source;
  const data = JSON.stringify(serialize(memoryData(p)));
  const json = JSON.stringify(template(network, p));
  return [
    '(function () {',
    '"use strict";',
    `const D = ${data};`,
    `const T = ${json};`,
    `const decodeMemory = ${decodeMemory.toString()};`,
    `const linkMemory = ${linkMemory.toString()};`,
    `const makeRunner = ${makeRunner.toString()};`,
    // core's layer-function kernels, by their own text (self-contained functions, layer-function.ts)
    `const LK = [${kernels.join(', ')}];`,
    `const kernel = ${kernel};`,
    'return function build() {',
    '  const M = linkMemory(decodeMemory(D, LK));',
    `  return makeRunner(M, kernel(M), T, ${String(p.inputSize | 0)}, ${String(p.outputSize | 0)});`,
    '};',
    '})()',
  ].join('\n');
}

export interface StandaloneOptions {
  /** 'esm' (default): a module exporting activate (and propagate with `train`), clear, toJSON.
   *  'cjs': the same with module.exports. 'function': an expression evaluating to a function
   *  that activates, like 1.x's standalone() and brain.js's toFunction(). */
  format?: 'esm' | 'cjs' | 'function';
  /** also export `propagate`, so the module can keep learning */
  train?: boolean;
  /** bit-identical arithmetic to the interpreter (see `compile`'s option) */
  exact?: boolean;
}

/** The source of a dependency-free module that runs `network` as it is now. */
export function standalone(network: Network, options: StandaloneOptions = {}): string {
  const build = bundleSource(network, options);
  const header = `// Generated by @synaptic/compile: a synaptic network with ${network.inputs()} inputs and ${network.outputs()} outputs; needs no package.`;
  const train = options.train === true;
  switch (options.format ?? 'esm') {
    case 'function':
      return [
        '(function () {',
        `const network = (${build})();`,
        'const run = function (input) { return network.activate(input); };',
        train ? 'run.propagate = function (rate, target) { network.propagate(rate, target); };' : '',
        'run.clear = function () { network.clear(); };',
        'run.toJSON = function () { return network.toJSON(); };',
        'return run;',
        '})()',
      ].join('\n');
    case 'cjs':
      return [
        header,
        `const network = (${build})();`,
        'module.exports.activate = (input) => network.activate(input);',
        train ? 'module.exports.propagate = (rate, target) => network.propagate(rate, target);' : '',
        'module.exports.clear = () => network.clear();',
        'module.exports.toJSON = () => network.toJSON();',
      ].join('\n');
    case 'esm':
      return [
        header,
        `const network = (${build})();`,
        'export const activate = (input) => network.activate(input);',
        train ? 'export const propagate = (rate, target) => network.propagate(rate, target);' : '',
        'export const clear = () => network.clear();',
        'export const toJSON = () => network.toJSON();',
        'export default network;',
      ].join('\n');
    default:
      throw new CompileError(
        `unknown standalone format ${JSON.stringify(String(options.format))} (use esm, cjs or function)`,
      );
  }
}
