/**
 * Writes the source of a network's activate/propagate from a `Plan`. The source is a function of
 * one argument, the memory `M` (the network's own typed arrays and the gate tables), so the same
 * text runs attached to a live network or, with the arrays written out, standalone.
 *
 * Only integers (sizes, offsets, ids) and fixed identifiers are ever written into the source:
 * nothing from the network's labels, JSON or functions.
 *
 * The math is LSTM-g as core's interpreter runs it (eq. 15-18 forward, 10 and 21-24 backward),
 * reorganised where the structure allows: a uniform layer is one loop, a block whose eligibility
 * has no memory reads g_ji y_i instead of storing it, an extended trace toward a unit without a
 * self-connection is kept as one influence per group, and a layer's back-propagated error is
 * accumulated while the next layer updates its weights row by row.
 */
import { type Affine, at, SQUASH_NAMES, SQUASH_SOURCE, type Walk } from '@synaptic/core';
import { MIXED_SQUASH, SQUASH_CODE, type BlockPlan, type GroupPlan, type InSeg, type Plan } from './plan.js';

const int = (n: number): string => {
  if (!Number.isInteger(n)) throw new Error(`internal: non-integer ${n} in generated code`);
  return String(n);
};

class Lines {
  private readonly out: string[] = [];
  private depth = 0;
  line(text: string): this {
    this.out.push('  '.repeat(this.depth) + text);
    return this;
  }
  open(text: string): this {
    this.line(text);
    this.depth++;
    return this;
  }
  close(text = '}'): this {
    this.depth--;
    return this.line(text);
  }
  /** Lines written elsewhere, indented one level here. */
  raw(text: string): this {
    if (text === '') return this;
    const pad = '  '.repeat(this.depth);
    for (const line of text.split('\n')) this.out.push(pad + line);
    return this;
  }
  toString(): string {
    return this.out.join('\n');
  }
}

/** Expression for the activation of column/slot `k` of a block's sources. */
function source(bp: BlockPlan, k: string): string {
  return bp.from.contiguous
    ? `ac${int(bp.from.store)}[${int(bp.from.offset)} + ${k}]`
    : `AC[fs${int(bp.block === undefined ? 0 : bp.id)}[${k}]][fi${int(bp.id)}[${k}]]`;
}

/** Expression for the responsibility of row/slot `t` of a block's targets. */
function target(bp: BlockPlan, t: string): string {
  return bp.to.contiguous
    ? `re${int(bp.to.store)}[${int(bp.to.offset)} + ${t}]`
    : `RE[ts${int(bp.id)}[${t}]][ti${int(bp.id)}[${t}]]`;
}

/** y = f(s), d = f'(s) (eq. 16) for a built-in squash: core's own statement for it (squash.ts). */
function builtin(code: number): string {
  const name = SQUASH_NAMES.find((n) => SQUASH_CODE[n] === code);
  return name === undefined ? '' : SQUASH_SOURCE[name];
}

function squash(code: number, store: number, i: string): string[] {
  const custom = `{ const f = sq${int(store)}[${i}]; y = f(sum); d = f(sum, true); }`;
  if (code === SQUASH_CODE.CUSTOM) return ['let y, d;', custom];
  if (code !== MIXED_SQUASH) return ['let y, d;', builtin(code)];
  // units of the layer differ: pick by the unit's code
  const cases = [SQUASH_CODE.LOGISTIC, SQUASH_CODE.TANH, SQUASH_CODE.IDENTITY, SQUASH_CODE.HLIM, SQUASH_CODE.RELU].map(
    (c) => `case ${int(c)}: ${builtin(c)} break;`,
  );
  return ['let y, d;', `switch (qc${int(store)}[${i}]) { ${cases.join(' ')} default: ${custom} }`];
}

export interface Emitted {
  /** `(function (M) { ...; return { activate, propagate, stats }; })` */
  readonly source: string;
}

/**
 * The arrays the loops read, as locals of `activate` and `propagate`: V8 runs a loop over a local
 * typed array about 1.5x faster than over one held in the enclosing closure.
 */
function prologue(L: Lines, plan: Plan, used: Used | null = null): void {
  plan.stores.forEach((_, s) => {
    if (used && !used.stores.has(s)) return;
    const v = int(s);
    L.line(`const S${v} = M.stores[${v}];`);
    L.line(
      `const st${v} = S${v}.state, ol${v} = S${v}.old, ac${v} = S${v}.activation, de${v} = S${v}.derivative, bi${v} = S${v}.bias;`,
    );
    L.line(
      `const sw${v} = S${v}.selfWeight, sg${v} = S${v}.selfGain, re${v} = S${v}.responsibility, pr${v} = S${v}.projected, ga${v} = S${v}.gated, sq${v} = S${v}.squash, qc${v} = M.squashCodes[${v}];`,
    );
    L.line(`const bf${v} = S${v}.biasFixed, gb${v} = S${v}.biasGradient, ub${v} = M.undoB[${v}];`);
  });
  const list = (prefix: string) => `[${plan.stores.map((_, s) => `${prefix}${int(s)}`).join(', ')}]`;
  // split code reads the lists of every store's arrays made once (NeuronStore arrays never change)
  if (used === null) L.line(`const AC = ${list('ac')}, RE = ${list('re')};`);
  else if (used.lists) L.line('const AC = ALL_AC, RE = ALL_RE;');
  plan.blocks.forEach((bp) => {
    if (used && !used.blocks.has(bp.id)) return;
    const b = int(bp.id);
    L.line(
      `const w${b} = M.weight[${b}], e${b} = M.elig[${b}], g${b} = M.gain[${b}], fs${b} = M.fromStore[${b}], fi${b} = M.fromIndex[${b}], ts${b} = M.toStore[${b}], ti${b} = M.toIndex[${b}], fx${b} = M.fixed[${b}], gw${b} = M.gradient[${b}], uw${b} = M.undoW[${b}];`,
    );
  });
  plan.groups.forEach((g) => {
    if (used && !used.groups.has(g.id)) return;
    if (g.accumulates) L.line(`const acc${int(g.id)} = M.acc[${int(g.id)}];`);
  });
}

/** The prologue's locals a piece of generated code reads. */
interface Used {
  stores: Set<number>;
  blocks: Set<number>;
  groups: Set<number>;
  lists: boolean;
}

const STORE_LOCAL = /\b(?:S|st|ol|ac|de|bi|sw|sg|re|pr|ga|sq|qc|bf|gb|ub)(\d+)\b/g;
const BLOCK_LOCAL = /\b(?:w|e|g|fs|fi|ts|ti|fx|gw|uw)(\d+)\b/g;
const GROUP_LOCAL = /\bacc(\d+)\b/g;

function usedBy(code: string): Used {
  const collect = (pattern: RegExp) => new Set(Array.from(code.matchAll(pattern), (m) => Number(m[1])));
  return {
    stores: collect(STORE_LOCAL),
    blocks: collect(BLOCK_LOCAL),
    groups: collect(GROUP_LOCAL),
    lists: /\b(?:AC|RE)\b/.test(code),
  };
}

/**
 * Past this many locals in the prologue (about 9 per block, 20 per store), or this many groups,
 * the code is split. One function declaring every array of a 12,000-unit irregular network has a
 * frame larger than V8's stack (`RangeError: Maximum call stack size exceeded` on the first call).
 */
let splitLimits = { locals: 3000, groups: 400 };
/** Groups per split function: each declares only the locals its groups read. */
let groupsPerPiece = 64;

/** For tests: split every plan (small limits), or restore the defaults (null). */
export function setSplitLimits(limits: { locals: number; groups: number; perPiece: number } | null): void {
  splitLimits = limits ? { locals: limits.locals, groups: limits.groups } : { locals: 3000, groups: 400 };
  groupsPerPiece = limits ? limits.perPiece : 64;
}

function needsSplit(plan: Plan): boolean {
  const locals = plan.stores.length * 20 + plan.blocks.length * 9;
  return locals > splitLimits.locals || plan.groups.length > splitLimits.groups;
}

/**
 * Writes `function name(params) { prologue; body }`, or, for a large plan, the same statements
 * spread over `name_0`, `name_1`... (each with the prologue lines it needs) that `name` calls in
 * order. The statements and their order are the same either way, so are the results, bit for bit.
 */
function emitFunction(
  L: Lines,
  plan: Plan,
  name: string,
  params: string,
  pieces: Array<(L: Lines) => void>,
  tail: (L: Lines) => void,
): void {
  if (!needsSplit(plan)) {
    L.open(`function ${name}(${params}) {`);
    prologue(L, plan);
    for (const piece of pieces) piece(L);
    tail(L);
    L.close();
    return;
  }
  const parts: string[] = [];
  const part = (fn: string, write: (B: Lines) => void, end: (B: Lines) => void) => {
    const B = new Lines();
    write(B);
    const body = B.toString();
    L.open(`function ${fn}(${params}) {`);
    prologue(L, plan, usedBy(body));
    L.raw(body);
    end(L);
    L.close();
  };
  for (let start = 0, k = 0; start < pieces.length; start += groupsPerPiece, k++) {
    const fn = `${name}_${int(k)}`;
    parts.push(fn);
    part(
      fn,
      (B) => {
        for (const piece of pieces.slice(start, start + groupsPerPiece)) piece(B);
      },
      () => {},
    );
  }
  part(
    name,
    (B) => {
      for (const fn of parts) B.line(`${fn}(${params});`);
      tail(B);
    },
    () => {},
  );
}

export function emit(plan: Plan): Emitted {
  const L = new Lines();
  L.open('(function (M) {');
  L.line('"use strict";');
  L.line('const W = M.weight, G = M.gain;');
  L.line(
    'const GS = M.GS, KS = M.KS, KI = M.KI, GSELF = M.GSELF, RS = M.RS, RB = M.RB, RSLOT = M.RSLOT, FS = M.FS, FI = M.FI, XT = M.XT;',
  );
  L.line('const SGS = M.SGS, SGL = M.SGL, INF = M.INF, DEC = M.DEC, RK = M.RK, STORED = M.STORED;');
  L.line('const U = M.units, AU = M.activateUnit, PU = M.propagateUnit, BU = M.backwardUnit, FL = M.functions;');
  L.line('const FO = FL.map(function (f, i) { return []; });');
  L.line('const OL = M.opLayers, OO = OL.map(function (f, i) { return []; });');
  if (plan.inlineFunctions) {
    // core's kernels (layer-function.ts), and per function layer the vectors they read and write
    L.line('const LK = M.kernels;');
    plan.groups.forEach((g) => {
      if (g.kind !== 'function') return;
      const f = int(g.fn);
      const n = int(g.units.length);
      const vectors = SCRATCH.map((v) => `${v}${f} = new Float64Array(${n})`);
      L.line(`const ${vectors.join(', ')};`);
    });
  }
  // propagate's flag: 0 while every weight and bias it wrote is finite (a sum of w - w), else NaN
  L.line('const GU = M.unitGuards;');
  L.line('let bad = 0;');
  plan.groups.forEach((g) => {
    if (g.accumulates) L.line(`const acc${int(g.id)} = M.acc[${int(g.id)}];`);
  });

  L.line(
    'const RW = M.RW, RWI = M.RWI, RA = M.RA, RAI = M.RAI, RG = M.RG, RGI = M.RGI, KOLD = M.KOLD, KRE = M.KRE, KSG = M.KSG, KSW = M.KSW;',
  );
  // influence of gater on the unit of group q (eq. 18's and 22's inf_jk): k's old state if the
  // gater gates k's self-connection, plus w * y over the connections into k it gates
  L.open('function influence(q) {');
  L.line('let inf = GSELF[q] === 1 ? KOLD[q][KI[q]] : 0;');
  L.line('for (let r = RS[q], end = RS[q + 1]; r < end; r++) inf += RW[r][RWI[r]] * RA[r][RAI[r]];');
  L.line('return inf;');
  L.close();
  // the gains of every connection the gater gates become its activation
  L.open('function gateWrites(c, y) {');
  L.line('for (let r = RS[GS[c]], end = RS[GS[c + 1]]; r < end; r++) RG[r][RGI[r]] = y;');
  L.close();

  if (needsSplit(plan)) {
    const list = (field: string) => `M.stores.map(function (S) { return S.${field}; })`;
    L.line(`const ALL_AC = ${list('activation')}, ALL_RE = ${list('responsibility')};`);
  }
  const out = plan.groups.filter((g) => g.output >= 0);
  emitFunction(
    L,
    plan,
    'activate',
    'input, output',
    plan.groups.map((g) => (B: Lines) => emitActivate(B, plan, g)),
    (B) => {
      for (const g of out) {
        if (g.kind === 'op')
          B.line(
            `for (let j = 0; j < ${int(g.units.length)}; j++) output[${int(g.output)} + j] = OO[${int(g.fn)}][j];`,
          );
        else if (g.kind === 'function' && plan.inlineFunctions)
          for (const m of g.members) B.line(`output[${int(m.output)}] = ac${int(m.store)}[${int(m.offset)}];`);
        else if (g.kind === 'function')
          B.line(
            `for (let j = 0; j < ${int(g.units.length)}; j++) output[${int(g.output)} + j] = FO[${int(g.fn)}][j];`,
          );
        else if (g.kind === 'layer')
          B.line(
            `for (let j = 0; j < ${int(g.units.length)}; j++) output[${int(g.output)} + j] = ac${int(g.store)}[${int(g.offset)} + j];`,
          );
        else B.line(`output[${int(g.output)}] = ac${int(g.store)}[${int(g.offset)}];`);
      }
      B.line('return output;');
    },
  );
  const backwards = plan.groups.slice(1).reverse();
  const replay = plan.replay;
  // returns whether every number it wrote is finite; `undo` then puts back what it changed
  emitFunction(
    L,
    plan,
    'propagate',
    'rate, target',
    [(B: Lines) => B.line('bad = 0;'), ...backwards.map((g) => (B: Lines) => emitPropagate(B, plan, g, false, replay))],
    (B) => {
      if (replay) B.line('if (bad !== 0) return false;').line('commit(rate);').line('return true;');
      else B.line('return bad === 0;');
    },
  );
  // replay: propagate wrote no weight or bias; once every new value is known to be finite, the same
  // arithmetic again, writing them
  if (replay)
    emitFunction(
      L,
      plan,
      'commit',
      'rate',
      backwards.map((g) => (B: Lines) => emitCommit(B, plan, g)),
      () => {},
    );
  // in the reverse order of propagate's writes (tied blocks share one array)
  emitFunction(
    L,
    plan,
    'undo',
    '',
    replay ? [] : plan.groups.slice(1).map((g) => (B: Lines) => emitUndo(B, plan, g)),
    () => {},
  );
  // E: ∂E/∂y of the outputs (or, atState, ∂E/∂s through the output's layer function)
  emitFunction(
    L,
    plan,
    'backward',
    'E, atState',
    backwards.map((g) => (B: Lines) => emitBackward(B, plan, g)),
    () => {},
  );
  L.line('return { activate, propagate, undo, backward };');
  L.close('})');
  return { source: L.toString() };
}

function hasGates(plan: Plan, g: GroupPlan): boolean {
  const { GS } = plan.gates;
  return GS[g.cu + g.units.length] > GS[g.cu];
}

/** The number of traces with memory each unit of a layer gates, when it is the same small number for all. */
function storedPerUnit(plan: Plan, g: GroupPlan): number {
  const { SGS } = storedLists(plan);
  const first = SGS[g.cu + 1] - SGS[g.cu];
  if (first === 0 || first > 3) return 0;
  for (let j = 1; j < g.units.length; j++) if (SGS[g.cu + j + 1] - SGS[g.cu + j] !== first) return 0;
  return first;
}

function storedLists(plan: Plan): { SGS: Int32Array } {
  const { GS, STORED } = plan.gates;
  const units = GS.length - 1;
  const SGS = new Int32Array(units + 1);
  let n = 0;
  for (let c = 0; c < units; c++) {
    SGS[c] = n;
    for (let q = GS[c]; q < GS[c + 1]; q++) if (STORED[q]) n++;
  }
  SGS[units] = n;
  return { SGS };
}

function hasStored(plan: Plan, g: GroupPlan): boolean {
  const { GS, STORED } = plan.gates;
  for (let q = GS[g.cu]; q < GS[g.cu + g.units.length]; q++) if (STORED[q]) return true;
  return false;
}

/**
 * A segment's connections as its block kind lays them out (core's `kinds/`), in source: the same
 * walk the interpreter evaluates with numbers. `a` is the unit's row: a number in a unit group, `j`
 * in a layer's loop (layers are only formed over kinds whose walks are the same at every row).
 */
interface WalkSource {
  /** exactly one connection: k = first */
  readonly single: boolean;
  readonly first: string;
  readonly end: string;
  readonly skip: string | null;
  readonly base: string;
  /** slot = base + step · k */
  readonly step: number;
  /** the slot of a single connection */
  readonly slot: string;
}

function affineSource(x: Affine, a: number | 'j', b: number, n: number, r: number): string {
  const symbolic = a === 'j';
  const constant = x.c + x.b * b + x.n * n + x.r * r + (symbolic ? 0 : x.a * a + x.an * a * n);
  const coefficient = symbolic ? x.a + x.an * n : 0;
  if (coefficient === 0) return int(constant);
  const term = coefficient === 1 ? 'j' : `j * ${int(coefficient)}`;
  return constant === 0 ? term : `${term} + ${int(constant)}`;
}

function walkSource(walk: Walk, bp: BlockPlan, a: number | 'j', b: number): WalkSource {
  const n = bp.block.from.length;
  const r = bp.block.to.length;
  const { first, end, step } = walk;
  if (step.a !== 0 || step.b !== 0 || step.an !== 0) throw new Error('internal: a walk step depends on the row');
  const stride = at(step, 0, 0, n, r);
  const single =
    end.c - first.c === 1 &&
    end.a === first.a &&
    end.b === first.b &&
    end.n === first.n &&
    end.r === first.r &&
    end.an === first.an;
  const slot: Affine = {
    c: walk.base.c + stride * first.c,
    a: walk.base.a + stride * first.a,
    b: walk.base.b + stride * first.b,
    n: walk.base.n + stride * first.n,
    r: walk.base.r + stride * first.r,
    an: walk.base.an + stride * first.an,
  };
  return {
    single,
    first: affineSource(first, a, b, n, r),
    end: affineSource(end, a, b, n, r),
    skip: bp.skipDiagonal ? affineSource(walk.skip, a, b, n, r) : null,
    base: affineSource(walk.base, a, b, n, r),
    step: stride,
    slot: affineSource(slot, a, b, n, r),
  };
}

/**
 * A unit's input slots as one contiguous run (step 1, nothing skipped, the same length for every
 * unit of a layer loop): its first slot's source and its length; null when they are not.
 */
function contiguousRun(bp: BlockPlan, seg: InSeg, layer: boolean): { start: string; count: number } | null {
  const walk = bp.block.rules.inputs;
  const { first, end } = walk;
  if (bp.skipDiagonal || first.a !== end.a || first.b !== end.b || first.an !== end.an) return null;
  const n = bp.block.from.length;
  const r = bp.block.to.length;
  const w = walkSource(walk, bp, layer ? 'j' : seg.a, seg.b);
  if (w.step !== 1 || w.single) return null;
  return { start: w.slot, count: at(end, seg.a, seg.b, n, r) - at(first, seg.a, seg.b, n, r) };
}

/**
 * Visits a walk as (slot expression, index expression of the unit at the other end, ordinal
 * expression): `v` is the loop variable, `rv` the slot base's.
 */
function forWalk(
  L: Lines,
  w: WalkSource,
  ordinal: number,
  v: string,
  rv: string,
  body: (slot: string, k: string, ordinal: string) => void,
): void {
  if (w.single) {
    L.open('{');
    body(w.slot, w.first, int(ordinal));
    L.close();
    return;
  }
  const offset = w.first === '0' ? v : `${v} - ${w.first}`;
  const base = w.base === '0' ? '' : `, ${rv} = ${w.base}`;
  L.open(`for (let ${v} = ${w.first}${base}; ${v} < ${w.end}; ${v}++) {`);
  if (w.skip !== null) L.line(`if (${v} === ${w.skip}) continue;`);
  const along = w.step === 1 ? v : `${v} * ${int(w.step)}`;
  const slot = w.base === '0' ? along : `${rv} + ${along}`;
  const ord =
    w.skip !== null
      ? `${int(ordinal)} + (${v} < ${w.skip} ? ${offset} : ${offset} - 1)`
      : `${int(ordinal)} + ${offset}`;
  body(slot, v, ord);
  L.close();
}

/** Visits the connections of an input segment as (slot expression, column expression, ordinal expression). */
function forInputs(L: Lines, seg: InSeg, g: GroupPlan, body: (slot: string, k: string, ordinal: string) => void): void {
  const bp = seg.block;
  const w = walkSource(bp.block.rules.inputs, bp, g.kind === 'layer' ? 'j' : seg.a, seg.b);
  forWalk(L, w, seg.ordinal, 'k', 'r', body);
}

/**
 * Per function layer (inline): the kernel's input state `LFs`, its activations `LFy` and diagonal
 * derivatives `LFd`; backward, the raw projected and gated errors `LFe`, `LFg` (eq. 21-22's sums)
 * and the kernel's Jacobianᵀ times them, `LFp`, `LFq`.
 */
const SCRATCH = ['LFs', 'LFy', 'LFd', 'LFe', 'LFg', 'LFp', 'LFq'] as const;

/**
 * A function layer in generated code, as core's layer-interpreter.ts runs it: eq. 15 for every
 * unit, the layer's kernel (y and ∂y_j/∂s_j), then every unit's traces (eq. 17-18).
 */
function emitFunctionActivate(L: Lines, plan: Plan, g: GroupPlan): void {
  const f = int(g.fn);
  const n = int(g.units.length);
  L.line(`// a layer function over ${n} units: eq. 15 each, core's kernel (layer-function.ts), eq. 17-18 each`);
  g.members.forEach((m, j) => emitActivate(L, plan, m, { part: 'state', fn: g.fn, slot: j }));
  L.line(`LK[${f}].forward(LFs${f}, LFy${f}, LFd${f}, ${n});`);
  g.members.forEach((m, j) => emitActivate(L, plan, m, { part: 'traces', fn: g.fn, slot: j }));
}

/**
 * 1.x's online rule on a function layer (layer-interpreter.ts's propagateFunctionLayer): δ = t − y
 * at an output; else every unit's raw errors (eq. 21-22's sums), then δP = Jᵀ·(projected sums) and
 * δG = Jᵀ·(gated sums) through the kernel; then eq. 24 for the units, last to first.
 */
function emitFunctionPropagate(L: Lines, plan: Plan, g: GroupPlan): void {
  const f = int(g.fn);
  const n = int(g.units.length);
  L.line(`// a layer function over ${n} units: its errors through core's kernel, then eq. 24 each`);
  if (g.output >= 0) {
    for (const m of g.members) {
      const s = int(m.store);
      const i = int(m.offset);
      L.line(`pr${s}[${i}] = re${s}[${i}] = target[${int(m.output)}] - ac${s}[${i}];`);
    }
  } else {
    g.members.forEach((m, j) => {
      const s = int(m.store);
      const k = int(j);
      L.open('{').line('const j = 0;');
      L.line(`const i = ${int(m.offset)} + j, c = ${int(m.cu)} + j;`);
      emitErrorSum(L, m);
      L.line(`LFe${f}[${k}] = error;`);
      L.line('let gatedError = 0;');
      if (hasGates(plan, m))
        L.line('for (let q = GS[c], end = GS[c + 1]; q < end; q++) gatedError += KRE[q][KI[q]] * influence(q);');
      L.line(`LFg${f}[${k}] = gatedError;`);
      L.line(`LFy${f}[${k}] = ac${s}[i];`);
      L.close();
    });
    L.line(`LK[${f}].backward(LFy${f}, LFe${f}, LFp${f}, ${n});`);
    L.line(`LK[${f}].backward(LFy${f}, LFg${f}, LFq${f}, ${n});`);
    g.members.forEach((m, j) => {
      const s = int(m.store);
      const i = int(m.offset);
      const k = int(j);
      L.line(
        `pr${s}[${i}] = LFp${f}[${k}]; ga${s}[${i}] = LFq${f}[${k}]; re${s}[${i}] = LFp${f}[${k}] + LFq${f}[${k}];`,
      );
    });
  }
  for (const m of [...g.members].reverse()) emitPropagate(L, plan, m, true);
}

/**
 * A unit of a function layer is activated in two phases around the kernel: `state` (eq. 15, the
 * state also written to the layer's vector), then `traces` (eq. 17-18 with the kernel's y and f').
 */
type Phase = { part: 'state' | 'traces'; fn: number; slot: number } | null;

function emitActivate(L: Lines, plan: Plan, g: GroupPlan, phase: Phase = null): void {
  const s = int(g.store);
  const n = g.units.length;
  if (g.kind === 'input') {
    if (g.contiguous) {
      L.open(`for (let j = 0; j < ${int(n)}; j++) {`);
      L.line(`const i = ${int(g.offset)} + j;`);
      L.line(`ac${s}[i] = input[j]; de${s}[i] = 0; bi${s}[i] = 0;`);
      L.close();
    } else {
      g.units.forEach((u, j) => {
        const st = plan.stores.indexOf(u.store);
        L.line(
          `ac${int(st)}[${int(u.index)}] = input[${int(j)}]; de${int(st)}[${int(u.index)}] = 0; bi${int(st)}[${int(u.index)}] = 0;`,
        );
      });
    }
    return;
  }
  if (g.kind === 'interpreted') {
    L.line(`AU(U[${int(plan.interpreted.indexOf(g.units[0]))}]);`);
    return;
  }
  if (g.kind === 'function' && plan.inlineFunctions) {
    emitFunctionActivate(L, plan, g);
    return;
  }
  if (g.kind === 'op') {
    L.line(`// a layer a layer-level projection touches: core's schedule and op kernels (ops/)`);
    L.line(`OL[${int(g.fn)}].activate(OO[${int(g.fn)}]);`);
    return;
  }
  if (g.kind === 'function') {
    L.line(`// a layer function: core's kernels (layer-function.ts)`);
    L.line(`FL[${int(g.fn)}].activate(FO[${int(g.fn)}]);`);
    return;
  }
  const layer = g.kind === 'layer';
  const gates = hasGates(plan, g);
  const exact = !layer; // unit groups keep every trace, as the interpreter does
  const stored = layer ? hasStored(plan, g) : gates;
  L.line(`// ${layer ? `layer of ${n} units` : 'unit'}: eq. 15-18`);
  if (layer) L.open(`for (let j = 0; j < ${int(n)}; j++) {`);
  else L.open('{').line('const j = 0;');
  L.line(`const i = ${int(g.offset)} + j, c = ${int(g.cu)} + j;`);
  if (phase?.part === 'traces') {
    // the interpreter's unitTraces: g_jj w_jj read again (a gater earlier in the layer may have written it)
    const f = int(phase.fn);
    const k = int(phase.slot);
    L.line(`const selfGain = sg${s}[i] * sw${s}[i];`);
    L.line(`const y = LFy${f}[${k}], d = LFd${f}[${k}];`);
  } else {
    L.line(`const prev = st${s}[i];`);
    L.line(`ol${s}[i] = prev;`);
    // written as the interpreter writes it (0 * prev is NaN after a NaN state)
    L.line(`const selfGain = sg${s}[i] * sw${s}[i];`).line(`let sum = selfGain * prev + bi${s}[i];`);
    emitSum(L, plan, g);
    L.line(`st${s}[i] = sum;`);
    if (phase?.part === 'state') {
      L.line(`LFs${int(phase.fn)}[${int(phase.slot)}] = sum;`);
      L.close();
      return;
    }
    for (const line of squash(g.squash, g.store, 'i')) L.line(line);
  }
  emitTraces(L, plan, g, layer, gates, exact, stored);
}

/** Eq. 15's sum over a group's inputs, into `sum`. */
function emitSum(L: Lines, plan: Plan, g: GroupPlan): void {
  for (const seg of g.inputs) {
    const bp = seg.block;
    const b = int(bp.id);
    const term = (slot: string, k: string) =>
      bp.gated ? `${source(bp, k)} * w${b}[${slot}] * g${b}[${slot}]` : `${source(bp, k)} * w${b}[${slot}]`;
    const w = walkSource(bp.block.rules.inputs, bp, g.kind === 'layer' ? 'j' : seg.a, seg.b);
    if (
      !plan.exact &&
      g.kind === 'layer' &&
      !w.single &&
      w.skip === null &&
      w.step === 1 &&
      w.first === '0' &&
      Number(w.end) >= UNROLL_FROM
    ) {
      emitUnrolledSum(L, w, term);
      continue;
    }
    // 1.x's order: one running sum, connection by connection
    forWalk(L, w, seg.ordinal, 'k', 'r', (slot, k) => L.line(`sum += ${term(slot, k)};`));
  }
}

/** Accumulators of the default compile's dot products (exact compile keeps 1.x's one running sum). */
const LANES = 4;
/** Rows narrower than this keep one running sum (and 1.x's bits): accumulators gain nothing there. */
const UNROLL_FROM = 16;

/**
 * Eq. 15's sum over a run of connections k = 0 .. end − 1 (slot base + k) in `LANES` independent
 * partial sums, added pairwise at the end: the default compile's order of summation, within
 * rounding of 1.x's (not exact compile's).
 */
function emitUnrolledSum(L: Lines, w: WalkSource, term: (slot: string, k: string) => string): void {
  const slot = (k: string) => (w.base === '0' ? k : `r + ${k}`);
  const lane = (q: number) => (q === 0 ? 'k' : `k + ${int(q)}`);
  const lanes = Array.from({ length: LANES }, (_, q) => `s${int(q)}`);
  L.open('{');
  L.line(`let ${lanes.map((v) => `${v} = 0`).join(', ')};`);
  L.line(`let k = 0;${w.base === '0' ? '' : ` const r = ${w.base};`}`);
  L.open(`for (; k + ${int(LANES - 1)} < ${w.end}; k += ${int(LANES)}) {`);
  lanes.forEach((v, q) => L.line(`${v} += ${term(slot(`(${lane(q)})`), `(${lane(q)})`)};`));
  L.close();
  L.line(`for (; k < ${w.end}; k++) s0 += ${term(slot('k'), 'k')};`);
  L.line(`sum += (s0 + s1) + (s2 + s3);`);
  L.close();
}

/** y and d known: the activation, then eq. 17-18 and the gate writes; closes the unit's block. */
function emitTraces(
  L: Lines,
  plan: Plan,
  g: GroupPlan,
  layer: boolean,
  gates: boolean,
  exact: boolean,
  stored: boolean,
): void {
  const s = int(g.store);
  L.line(`ac${s}[i] = y;`).line(`de${s}[i] = d;`);
  const hoisted = layer ? storedPerUnit(plan, g) : 0;
  if (gates) {
    L.line('for (let q = GS[c], end = GS[c + 1]; q < end; q++) INF[q] = influence(q);');
    // g_kk w_kk: how much of an extended trace toward k carries over (only traces with memory)
    if (exact) L.line('for (let q = GS[c], end = GS[c + 1]; q < end; q++) DEC[q] = KSG[q][KI[q]] * KSW[q][KI[q]];');
    else
      L.line(
        'for (let p = SGS[c], end = SGS[c + 1]; p < end; p++) { const q = SGL[p]; DEC[q] = KSG[q][KI[q]] * KSW[q][KI[q]]; }',
      );
    for (let h = 0; h < hoisted; h++)
      L.line(`const q${h} = SGL[SGS[c] + ${int(h)}], x${h} = XT[q${h}], dec${h} = DEC[q${h}], inf${h} = INF[q${h}];`);
  }
  // eq. 17 (and 18 for traces with memory)
  const update = (e: string, ordinal: string) => {
    if (!stored) return;
    if (exact)
      L.line(
        `for (let q = GS[c], end = GS[c + 1]; q < end; q++) { const xt = XT[q]; xt[${ordinal}] = DEC[q] * xt[${ordinal}] + d * ${e} * INF[q]; }`,
      );
    else if (hoisted > 0)
      for (let h = 0; h < hoisted; h++) L.line(`x${h}[${ordinal}] = dec${h} * x${h}[${ordinal}] + d * ${e} * inf${h};`);
    else
      L.line(
        `for (let p = SGS[c], end = SGS[c + 1]; p < end; p++) { const q = SGL[p], xt = XT[q]; xt[${ordinal}] = DEC[q] * xt[${ordinal}] + d * ${e} * INF[q]; }`,
      );
  };
  for (const seg of g.inputs) {
    const bp = seg.block;
    const b = int(bp.id);
    if (layer && bp.collapse && !stored) continue;
    forInputs(L, seg, g, (slot, k, ordinal) => {
      const y = source(bp, k);
      const fresh = bp.gated ? `g${b}[${slot}] * ${y}` : y;
      if (layer && bp.collapse) {
        L.line(`const e = ${fresh};`);
      } else {
        L.line(`const e = selfGain * e${b}[${slot}] + ${fresh};`);
        L.line(`e${b}[${slot}] = e;`);
      }
      update('e', ordinal);
    });
  }
  if (gates) L.line('gateWrites(c, y);');
  L.close();
}

/** `update`: only eq. 24, with δP_j and δ_j already stored (a function layer's units, after its kernel). */
function emitPropagate(L: Lines, plan: Plan, g: GroupPlan, update = false, dry = false): void {
  const s = int(g.store);
  const n = g.units.length;
  if (g.kind === 'interpreted') {
    const u = int(plan.interpreted.indexOf(g.units[0]));
    L.line(`GU[${u}].save();`);
    L.line(g.output >= 0 ? `PU(U[${u}], rate, target[${int(g.output)}]);` : `PU(U[${u}], rate);`);
    L.line(`bad += GU[${u}].check();`);
    return;
  }
  if (g.kind === 'function' && plan.inlineFunctions) {
    emitFunctionPropagate(L, plan, g);
    return;
  }
  if (g.kind === 'function' || g.kind === 'op') {
    // a step run by core (op layers: their ops' tensors too), guarded like the generated updates
    const list = g.kind === 'op' ? 'OL' : 'FL';
    L.line(`${list}[${int(g.fn)}].save();`);
    L.line(`${list}[${int(g.fn)}].propagate(rate, ${g.output >= 0 ? 'target' : 'undefined'});`);
    L.line(`bad += ${list}[${int(g.fn)}].check();`);
    return;
  }
  const layer = g.kind === 'layer';
  const gates = hasGates(plan, g);
  const exact = !layer;
  L.line(`// ${layer ? `layer of ${n} units` : 'unit'}: eq. 10, 21-24`);
  // the finiteness flag of this group's writes, and (in uw, ub) the old value of each
  L.open('{').line('let fin = 0;');
  if (layer && g.ascending) L.open(`for (let j = 0; j < ${int(n)}; j++) {`);
  else if (layer) L.open(`for (let j = ${int(n - 1)}; j >= 0; j--) {`);
  else L.open('{').line('const j = 0;');
  L.line(`const i = ${int(g.offset)} + j, c = ${int(g.cu)} + j;`);
  L.line('let projected, responsibility;');
  if (update) {
    L.line(`projected = pr${s}[i]; responsibility = re${s}[i];`);
  } else if (g.output >= 0) {
    // eq. 10: the output error, without the squash derivative (as 1.x)
    L.line(`responsibility = projected = target[${int(g.output)} + j] - ac${s}[i];`);
    L.line(`pr${s}[i] = projected; re${s}[i] = responsibility;`);
  } else {
    emitProjectedError(L, g, layer, s);
    if (gates) {
      L.line('let gatedError = 0;');
      L.line('for (let q = GS[c], end = GS[c + 1]; q < end; q++) gatedError += KRE[q][KI[q]] * influence(q);');
      L.line('const gated = derivative * gatedError;');
    } else L.line('const gated = derivative * 0;');
    L.line('responsibility = projected + gated;');
    L.line(`pr${s}[i] = projected; ga${s}[i] = gated; re${s}[i] = responsibility;`);
  }
  // eq. 24; an extended trace toward a self-less unit is f'_j ε_ji inf_jk, rebuilt here, or
  // (not exact) folded: Σ_k δ_k f'_j ε_ji inf_jk = ε_ji f'_j Σ_k δ_k inf_jk
  const fold = layer && gates && !plan.exact;
  const onlyRebuilt = layer && gates && !hasStored(plan, g);
  const hoisted = fold ? storedPerUnit(plan, g) : 0;
  if (gates) {
    L.line('for (let q = GS[c], end = GS[c + 1]; q < end; q++) RK[q] = KRE[q][KI[q]];');
    if (layer) L.line(`const derivativeNow = de${s}[i];`);
    for (let h = 0; h < hoisted; h++)
      L.line(`const q${h} = SGL[SGS[c] + ${int(h)}], x${h} = XT[q${h}], rk${h} = RK[q${h}];`);
  }
  if (fold) {
    L.line('let folded = 0;');
    L.line('for (let q = GS[c], end = GS[c + 1]; q < end; q++) if (STORED[q] === 0) folded += RK[q] * INF[q];');
    L.line('const coefficient = projected + derivativeNow * folded;');
  }
  // the default compile hoists rate · δ out of the loop where the gradient is one product
  // (Δw = (α δ) ε instead of α (δ ε): within rounding, not 1.x's bits)
  const single = !plan.exact && layer && (fold ? hoisted === 0 && onlyRebuilt : !gates);
  if (single) L.line(`const step = rate * ${fold ? 'coefficient' : 'projected'};`);
  for (const seg of g.inputs) {
    const bp = seg.block;
    const b = int(bp.id);
    const acc = layer && bp.accumulate ? `acc${int(bp.accumulate.id)}` : null;
    // a long dense row is logged by one copy before it is written: a store per weight in the loop
    // costs about 25% of the step (measured on MNIST 784-100-10); the same log, the same order
    const run = dry ? null : contiguousRun(bp, seg, layer);
    const rowLog = run !== null && run.count >= 16;
    if (run !== null && rowLog)
      L.line(`uw${b}.set(w${b}.subarray(${run.start}, ${run.start} + ${int(run.count)}), ${run.start});`);
    forInputs(L, seg, g, (slot, k, ordinal) => {
      const y = source(bp, k);
      if (layer && bp.collapse) L.line(`const e = ${bp.gated ? `g${b}[${slot}] * ${y}` : y};`);
      else L.line(`const e = e${b}[${slot}];`);
      if (single) {
        // Δw = step · e below
      } else if (fold) {
        L.line('let gradient = coefficient * e;');
        if (hoisted > 0) for (let h = 0; h < hoisted; h++) L.line(`gradient += rk${h} * x${h}[${ordinal}];`);
        else if (!onlyRebuilt)
          L.line(
            `for (let p = SGS[c], end = SGS[c + 1]; p < end; p++) { const q = SGL[p]; gradient += RK[q] * XT[q][${ordinal}]; }`,
          );
      } else {
        L.line('let gradient = projected * e;');
        if (gates) {
          if (exact)
            L.line(`for (let q = GS[c], end = GS[c + 1]; q < end; q++) gradient += RK[q] * XT[q][${ordinal}];`);
          else if (onlyRebuilt)
            L.line(`const t = derivativeNow * e;`).line(
              'for (let q = GS[c], end = GS[c + 1]; q < end; q++) gradient += RK[q] * (t * INF[q]);',
            );
          else
            L.line(
              `for (let q = GS[c], end = GS[c + 1]; q < end; q++) gradient += RK[q] * (STORED[q] === 1 ? XT[q][${ordinal}] : derivativeNow * e * INF[q]);`,
            );
        }
      }
      L.line(`const old = w${b}[${slot}];`);
      if (!dry && !rowLog) L.line(`uw${b}[${slot}] = old;`);
      const delta = single ? 'step * e' : 'rate * gradient';
      if (bp.fixed) L.line(`const w = fx${b}[${slot}] === 0 ? old + ${delta} : old;`);
      else L.line(`const w = old + ${delta};`);
      if (!dry) L.line(`w${b}[${slot}] = w;`);
      L.line('fin += w - w;');
      if (acc)
        L.line(
          bp.gated ? `${acc}[${k}] += responsibility * g${b}[${slot}] * w;` : `${acc}[${k}] += responsibility * w;`,
        );
    });
  }
  L.line(`const oldBias = bi${s}[i];`);
  if (!dry) L.line(`ub${s}[i] = oldBias;`);
  emitBiasUpdate(L, plan, g);
  if (!dry) L.line(`bi${s}[i] = bias;`);
  L.line('fin += bias - bias;');
  L.close();
  L.line('bad += fin;').close();
}

/** Eq. 24 for the bias: `bias` = b_j + α δ_j (fixed biases stay). */
function emitBiasUpdate(L: Lines, plan: Plan, g: GroupPlan): void {
  const s = int(g.store);
  if (plan.stores[g.store].biasFixed !== null)
    L.line(`const bias = bf${s}[i] === 0 ? oldBias + rate * responsibility : oldBias;`);
  else L.line('const bias = oldBias + rate * responsibility;');
}

/**
 * Replay's second pass for a layer: every unit's incoming weights and bias, the same arithmetic as
 * `emitPropagate` (δP_j and δ_j are stored; sources and traces have not changed since), written.
 */
function emitCommit(L: Lines, plan: Plan, g: GroupPlan): void {
  const s = int(g.store);
  const n = g.units.length;
  L.line(`// layer of ${n} units: eq. 24, written`);
  L.open(`for (let j = 0; j < ${int(n)}; j++) {`);
  L.line(`const i = ${int(g.offset)} + j;`);
  L.line(`const projected = pr${s}[i], responsibility = re${s}[i];`);
  const single = !plan.exact;
  if (single) L.line('const step = rate * projected;');
  for (const seg of g.inputs) {
    const bp = seg.block;
    const b = int(bp.id);
    forInputs(L, seg, g, (slot, k) => {
      const y = source(bp, k);
      if (bp.collapse) L.line(`const e = ${bp.gated ? `g${b}[${slot}] * ${y}` : y};`);
      else L.line(`const e = e${b}[${slot}];`);
      if (!single) L.line('const gradient = projected * e;');
      L.line(`const old = w${b}[${slot}];`);
      const delta = single ? 'step * e' : 'rate * gradient';
      if (bp.fixed) L.line(`w${b}[${slot}] = fx${b}[${slot}] === 0 ? old + ${delta} : old;`);
      else L.line(`w${b}[${slot}] = old + ${delta};`);
    });
  }
  L.line(`const oldBias = bi${s}[i];`);
  emitBiasUpdate(L, plan, g);
  L.line(`bi${s}[i] = bias;`);
  L.close();
}

/** Puts back what `propagate` wrote for a group, from the undo log (or the guard of a step run by core). */
function emitUndo(L: Lines, plan: Plan, g: GroupPlan): void {
  if (g.kind === 'interpreted') {
    L.line(`GU[${int(plan.interpreted.indexOf(g.units[0]))}].restore();`);
    return;
  }
  if (g.kind === 'function' && plan.inlineFunctions) {
    // propagate wrote its units last to first
    for (const m of g.members) emitUndo(L, plan, m);
    return;
  }
  if (g.kind === 'function' || g.kind === 'op') {
    L.line(`${g.kind === 'op' ? 'OL' : 'FL'}[${int(g.fn)}].restore();`);
    return;
  }
  const s = int(g.store);
  const layer = g.kind === 'layer';
  if (layer) L.open(`for (let j = 0; j < ${int(g.units.length)}; j++) {`);
  else L.open('{').line('const j = 0;');
  L.line(`const i = ${int(g.offset)} + j;`);
  L.line(`bi${s}[i] = ub${s}[i];`);
  for (const seg of [...g.inputs].reverse()) {
    const b = int(seg.block.id);
    forInputs(L, seg, g, (slot) => L.line(`w${b}[${slot}] = uw${b}[${slot}];`));
  }
  L.close();
}

/**
 * `backward` for a group: core's gradient.ts, compiled. The error back-flow of eq. 21-23 (an output
 * takes −f'·∂E/∂y), then −(δP_j ε_ji + Σ_k δ_k ε^k_ji) added to each weight's gradient: extended
 * traces toward self-less units are rebuilt from the current influence (folded into one
 * coefficient per unit), those toward self-connected units read as stored.
 */
function emitBackward(L: Lines, plan: Plan, g: GroupPlan): void {
  const s = int(g.store);
  const n = g.units.length;
  if (g.kind === 'interpreted') {
    const u = int(plan.interpreted.indexOf(g.units[0]));
    L.line(g.output >= 0 ? `BU(U[${u}], E[${int(g.output)}]);` : `BU(U[${u}]);`);
    return;
  }
  if (g.kind === 'function' && plan.inlineFunctions) {
    // standalone modules export activate and propagate; gradients stay with the network
    L.line(`throw new Error('a standalone module computes no gradients (backward)');`);
    return;
  }
  if (g.kind === 'function' || g.kind === 'op') {
    const list = g.kind === 'op' ? 'OL' : 'FL';
    L.line(`${list}[${int(g.fn)}].backward(${g.output >= 0 ? 'E' : 'null'}, atState);`);
    return;
  }
  const layer = g.kind === 'layer';
  const gates = hasGates(plan, g);
  L.line(`// ${layer ? `layer of ${n} units` : 'unit'}: backward (eq. 21-24, no update)`);
  if (layer && g.ascending) L.open(`for (let j = 0; j < ${int(n)}; j++) {`);
  else if (layer) L.open(`for (let j = ${int(n - 1)}; j >= 0; j--) {`);
  else L.open('{').line('const j = 0;');
  L.line(`const i = ${int(g.offset)} + j, c = ${int(g.cu)} + j;`);
  L.line('let projected, responsibility, coefficient;');
  if (g.output >= 0) {
    L.line(`responsibility = projected = coefficient = -de${s}[i] * E[${int(g.output)} + j];`);
    L.line(`pr${s}[i] = projected; ga${s}[i] = 0; re${s}[i] = responsibility;`);
    if (gates) L.line('for (let q = GS[c], end = GS[c + 1]; q < end; q++) RK[q] = 0;');
  } else {
    emitProjectedError(L, g, layer, s);
    if (gates) {
      L.line('let gatedSum = 0, memoryless = 0;');
      L.open('for (let q = GS[c], end = GS[c + 1]; q < end; q++) {');
      L.line('const share = KRE[q][KI[q]] * influence(q);');
      L.line('gatedSum += share;');
      L.line('if (STORED[q] === 0) memoryless += share;');
      L.close();
      L.line('const gated = derivative * gatedSum;');
      L.line('responsibility = projected + gated;');
      L.line('coefficient = projected + derivative * memoryless;');
      L.line(`pr${s}[i] = projected; ga${s}[i] = gated; re${s}[i] = responsibility;`);
      // δ_k read after δ_j is stored (a unit may gate its own connections), as eq. 24 does in propagate
      L.line('for (let q = GS[c], end = GS[c + 1]; q < end; q++) RK[q] = STORED[q] === 0 ? 0 : KRE[q][KI[q]];');
    } else {
      L.line('responsibility = coefficient = projected;');
      L.line(`pr${s}[i] = projected; ga${s}[i] = 0; re${s}[i] = responsibility;`);
    }
  }
  for (const seg of g.inputs) {
    const bp = seg.block;
    const b = int(bp.id);
    const acc = layer && bp.accumulate ? `acc${int(bp.accumulate.id)}` : null;
    forInputs(L, seg, g, (slot, k, ordinal) => {
      const y = source(bp, k);
      if (layer && bp.collapse) L.line(`const e = ${bp.gated ? `g${b}[${slot}] * ${y}` : y};`);
      else L.line(`const e = e${b}[${slot}];`);
      L.line('let gradient = coefficient * e;');
      if (gates)
        L.line(
          `for (let p = SGS[c], end = SGS[c + 1]; p < end; p++) { const q = SGL[p]; gradient += RK[q] * XT[q][${ordinal}]; }`,
        );
      if (bp.fixed) L.line(`if (fx${b}[${slot}] === 0) gw${b}[${slot}] -= gradient;`);
      else L.line(`gw${b}[${slot}] -= gradient;`);
      if (acc)
        L.line(
          bp.gated
            ? `${acc}[${k}] += responsibility * g${b}[${slot}] * w${b}[${slot}];`
            : `${acc}[${k}] += responsibility * w${b}[${slot}];`,
        );
    });
  }
  if (plan.stores[g.store].biasFixed !== null) L.line(`if (bf${s}[i] === 0) gb${s}[i] -= responsibility;`);
  else L.line(`gb${s}[i] -= responsibility;`);
  L.close();
}

/**
 * Eq. 21 for a unit of `g`, shared by propagate and backward: `error` = Σ_k δ_k g_kj w_kj over what
 * it projects (plus what a later layer accumulated), then `projected` = f'_j · error.
 */
function emitProjectedError(L: Lines, g: GroupPlan, layer: boolean, s: string): void {
  emitErrorSum(L, g, layer);
  L.line(`const derivative = de${s}[i];`);
  L.line('projected = derivative * error;');
}

/** Eq. 21's sum for a unit of `g`, into `error`: Σ_k δ_k g_kj w_kj (plus what a later layer accumulated). */
function emitErrorSum(L: Lines, g: GroupPlan, layer = false): void {
  if (g.accumulates) L.line(`let error = acc${int(g.id)}[j];`).line(`acc${int(g.id)}[j] = 0;`);
  else L.line('let error = 0;');
  for (const seg of g.outputs) {
    const bp = seg.block;
    if (layer && bp.accumulate === g) continue; // already summed by the later layer
    const b = int(bp.id);
    const gain = (slot: string) => (bp.gated ? ` * g${b}[${slot}]` : '');
    const w = walkSource(bp.block.rules.outputs, bp, layer ? 'j' : seg.a, seg.b);
    forWalk(L, w, 0, 't', 'rs', (slot, t) => {
      L.line(`error += ${target(bp, t)}${gain(slot)} * w${b}[${slot}];`);
    });
  }
}
