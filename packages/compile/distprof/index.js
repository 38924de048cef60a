// src/compile.ts
import { backwardLayers, checkRate, checkVector, NonFiniteError } from '@synaptic/core';

// src/emit.ts
import { DENSE as DENSE2, DIAGONAL as DIAGONAL2, SQUASH_NAMES, SQUASH_SOURCE } from '@synaptic/core';

// src/plan.ts
import { DENSE, DIAGONAL, LIST, squash } from '@synaptic/core';
var SQUASH_CODE = { LOGISTIC: 0, TANH: 1, IDENTITY: 2, HLIM: 3, RELU: 4, CUSTOM: 5 };
var MIXED_SQUASH = -1;
function squashCode(fn) {
  if (fn === squash.LOGISTIC) return SQUASH_CODE.LOGISTIC;
  if (fn === squash.TANH) return SQUASH_CODE.TANH;
  if (fn === squash.IDENTITY) return SQUASH_CODE.IDENTITY;
  if (fn === squash.HLIM) return SQUASH_CODE.HLIM;
  if (fn === squash.RELU) return SQUASH_CODE.RELU;
  return SQUASH_CODE.CUSTOM;
}
function plan(network, epoch, options = {}) {
  const layers = network.allLayers();
  const stores = [];
  const storeId = /* @__PURE__ */ new Map();
  const sid = (store) => {
    let id = storeId.get(store);
    if (id === void 0) {
      id = stores.length;
      stores.push(store);
      storeId.set(store, id);
    }
    return id;
  };
  const order = /* @__PURE__ */ new Map();
  layers.forEach((layer) => layer.list.forEach((n) => order.set(n, order.size)));
  const blocks = [];
  const blockId = /* @__PURE__ */ new Map();
  const side = (units, count) => {
    const first = units[0];
    if (first === void 0) return { contiguous: false };
    for (let k = 0; k < count; k++) {
      const u = units[k];
      if (u.store !== first.store || u.index !== first.index + k) return { contiguous: false };
    }
    return { contiguous: true, store: sid(first.store), offset: first.index };
  };
  const blockPlan = (block) => {
    let bp = blockId.get(block);
    if (bp) return bp;
    for (const n of block.from.slice(0, block.kind === DENSE ? block.from.length : block.length)) sid(n.store);
    for (const n of block.to.slice(0, block.kind === DENSE ? block.to.length : block.length)) sid(n.store);
    const width = block.kind === DENSE ? block.from.length : block.length;
    bp = {
      id: blocks.length,
      block,
      kind: block.kind,
      width,
      skipDiagonal: block.skipDiagonal,
      gated: block.gain !== null,
      fixed: block.fixed !== null,
      from: block.kind === LIST ? { contiguous: false } : side(block.from, width),
      to: block.kind === LIST ? { contiguous: false } : side(block.to, block.kind === DENSE ? block.to.length : width),
      collapse: false,
      accumulate: null,
    };
    blocks.push(bp);
    blockId.set(block, bp);
    return bp;
  };
  const maxUnitGroups = options.maxUnitGroups ?? 4096;
  const groups = [];
  const interpreted = [];
  const functions = [];
  const opLayers = [];
  let cu = 0;
  let unitGroups = 0;
  const outputLayer = layers[layers.length - 1];
  layers.forEach((layer, l) => {
    const units = layer.list;
    const first = units[0];
    const contiguous =
      first !== void 0 && units.every((u, k) => u.store === first.store && u.index === first.index + k);
    const isOutput = l === layers.length - 1;
    if (l === 0) {
      groups.push(makeGroup('input', units, contiguous, -1, [], []));
      return;
    }
    if (layer.opsIn.length > 0 || layer.opsOut.length > 0) {
      opLayers.push(layer);
      groups.push(makeGroup('op', units, contiguous, isOutput ? 0 : -1, [], [], opLayers.length - 1));
      return;
    }
    if (layer.layerFunction !== null) {
      functions.push({ units, fn: layer.layerFunction, group: layer.groupSize() });
      const g = makeGroup('function', units, contiguous, isOutput ? 0 : -1, [], [], functions.length - 1);
      if (options.inlineFunctions === true)
        g.members.push(...units.map((unit, k) => unitGroup(unit, isOutput ? k : -1, g.cu + k)));
      groups.push(g);
      return;
    }
    if (units.length > 0 && contiguous && uniform(units)) {
      const template2 = units[0];
      let ordinal = 0;
      const inputs = template2.inputs.map((seg) => {
        const bp = blockPlan(seg.block);
        const size = seg.block.kind === DENSE ? (seg.block.skipDiagonal ? bp.width - 1 : bp.width) : 1;
        const s = { block: bp, a: 0, b: 0, ordinal, size };
        ordinal += size;
        return s;
      });
      const outputs = template2.outputs.map((seg) => ({ block: blockPlan(seg.block), a: 0 }));
      groups.push(makeGroup('layer', units, true, isOutput ? 0 : -1, inputs, outputs));
      return;
    }
    units.forEach((unit, k) => {
      if (unitGroups >= maxUnitGroups) {
        interpreted.push(unit);
        groups.push(makeGroup('interpreted', [unit], false, isOutput ? k : -1, [], []));
        return;
      }
      unitGroups++;
      groups.push(unitGroup(unit, isOutput ? k : -1));
    });
  });
  function unitGroup(unit, output, at) {
    let ordinal = 0;
    const inputs = unit.inputs.map((seg) => {
      const bp = blockPlan(seg.block);
      const size =
        seg.block.kind === DENSE
          ? seg.block.skipDiagonal
            ? bp.width - 1
            : bp.width
          : seg.block.kind === DIAGONAL
            ? 1
            : seg.b - seg.a;
      const s = { block: bp, a: seg.a, b: seg.b, ordinal, size };
      ordinal += size;
      return s;
    });
    const outputs = unit.outputs.map((seg) => ({ block: blockPlan(seg.block), a: seg.a }));
    return makeGroup('unit', [unit], true, output, inputs, outputs, -1, at);
  }
  function makeGroup(kind, units, contiguous, output, inputs, outputs, fn = -1, at) {
    for (const u of units) sid(u.store);
    const first = units[0];
    const squashes = new Set(units.map((u) => squashCode(u.squash)));
    const g = {
      id: at === void 0 ? groups.length : -1,
      kind,
      units,
      store: first ? sid(first.store) : 0,
      offset: first ? first.index : 0,
      cu: at ?? cu,
      order: first ? order.get(first) : -1,
      squash: squashes.size === 1 ? [...squashes][0] : MIXED_SQUASH,
      output,
      fn,
      members: [],
      inputs,
      outputs,
      hasSelf: units.some((u) => u.store.selfWeight[u.index] !== 0),
      contiguous,
      accumulates: false,
      ascending: false,
    };
    if (kind !== 'input' && at === void 0) cu += units.length;
    return g;
  }
  const groupOf = /* @__PURE__ */ new Map();
  for (const g of groups) for (const u of g.units) groupOf.set(u, g);
  for (const g of groups) {
    if (g.kind !== 'layer') continue;
    const own = new Set(g.units);
    const written = new Set(g.inputs.map((seg) => seg.block.block.weight));
    g.ascending =
      g.outputs.every((seg) => !seg.block.block.to.some((t) => own.has(t)) && !written.has(seg.block.block.weight)) &&
      g.units.every((u) => u.gatedGroups.every((group) => !own.has(group.neuron)));
  }
  const firstOrder = (g) => g.order;
  for (const g of groups) {
    if (g.kind !== 'layer') continue;
    for (const seg of g.inputs) {
      const bp = seg.block;
      const block = bp.block;
      const sources = block.from.slice(0, bp.width);
      const sourceGroups = new Set(sources.map((s) => groupOf.get(s)));
      const fresh = sources.every((s) => order.has(s) && order.get(s) < firstOrder(g));
      const gatersFresh =
        !block.gater || block.gater.every((gt) => gt === null || (order.has(gt) && order.get(gt) < firstOrder(g)));
      bp.collapse = !g.hasSelf && fresh && gatersFresh && !block.skipDiagonal;
      const [source2] = [...sourceGroups];
      const tied = block.tiedTo !== null || (block.ties?.length ?? 0) > 0;
      if (
        !tied &&
        sourceGroups.size === 1 &&
        source2 !== void 0 &&
        source2.kind === 'layer' &&
        source2 !== g &&
        g.ascending &&
        source2.units[0].outputs[0]?.block === block &&
        source2.order < g.order &&
        block.kind === DENSE &&
        sources.every((s, k) => source2.units[k] === s) &&
        sources.length === source2.units.length
      ) {
        bp.accumulate = source2;
        source2.accumulates = true;
      }
    }
  }
  const gates = gateTables(groups, sid, blockPlan);
  const input = groups[0];
  return {
    epoch,
    exact: options.exact ?? false,
    stores,
    blocks,
    groups,
    input,
    inputSize: input.units.length,
    outputSize: outputLayer.list.length,
    gates,
    interpreted,
    functions,
    opLayers,
    inlineFunctions: options.inlineFunctions === true,
  };
}
function uniform(units) {
  const t = units[0];
  const n = units.length;
  for (const seg of t.inputs) {
    const b = seg.block;
    if (b.kind === LIST) return false;
    const rows = b.kind === DENSE ? b.to.length : b.length;
    if (rows !== n) return false;
  }
  for (const seg of t.outputs) {
    const b = seg.block;
    if (b.kind === LIST) return false;
    const cols = b.kind === DENSE ? b.from.length : b.length;
    if (cols !== n) return false;
  }
  for (let j = 0; j < n; j++) {
    const u = units[j];
    if (u.inputs.length !== t.inputs.length || u.outputs.length !== t.outputs.length) return false;
    for (let p = 0; p < u.inputs.length; p++) {
      const seg = u.inputs[p];
      if (seg.block !== t.inputs[p].block || seg.a !== j || seg.block.to[j] !== u) return false;
    }
    for (let p = 0; p < u.outputs.length; p++) {
      const seg = u.outputs[p];
      if (seg.block !== t.outputs[p].block || seg.a !== j || seg.block.from[j] !== u) return false;
    }
  }
  return true;
}
function gateTables(groups, sid, blockPlan) {
  const compiled = groups.filter((g) => g.kind !== 'input').flatMap((g) => g.units);
  const GS = new Int32Array(compiled.length + 1);
  const KS = [];
  const KI = [];
  const GSELF = [];
  const STORED = [];
  const RS = [0];
  const RB = [];
  const RSLOT = [];
  const FS = [];
  const FI = [];
  const xtraces = [];
  compiled.forEach((gater, c) => {
    GS[c] = KS.length;
    for (const group of gater.gatedGroups) {
      const k = group.neuron;
      KS.push(sid(k.store));
      KI.push(k.index);
      GSELF.push(k.selfGater === gater ? 1 : 0);
      STORED.push(k.store.selfWeight[k.index] !== 0 ? 1 : 0);
      xtraces.push(group.xtrace);
      group.blocks.forEach((block, r) => {
        if (block === null) {
          RB.push(-1);
          RSLOT.push(-1);
          FS.push(sid(k.store));
          FI.push(k.index);
        } else {
          const slot = group.slots[r];
          const from = block.sourceOf(slot);
          RB.push(blockPlan(block).id);
          RSLOT.push(slot);
          FS.push(sid(from.store));
          FI.push(from.index);
        }
      });
      RS.push(RB.length);
    }
  });
  GS[compiled.length] = KS.length;
  return {
    GS,
    KS: Int32Array.from(KS),
    KI: Int32Array.from(KI),
    GSELF: Uint8Array.from(GSELF),
    STORED: Uint8Array.from(STORED),
    RS: Int32Array.from(RS),
    RB: Int32Array.from(RB),
    RSLOT: Int32Array.from(RSLOT),
    FS: Int32Array.from(FS),
    FI: Int32Array.from(FI),
    xtraces,
    groups: KS.length,
  };
}

// src/emit.ts
var int = (n) => {
  if (!Number.isInteger(n)) throw new Error(`internal: non-integer ${n} in generated code`);
  return String(n);
};
var Lines = class {
  out = [];
  depth = 0;
  line(text) {
    this.out.push('  '.repeat(this.depth) + text);
    return this;
  }
  open(text) {
    this.line(text);
    this.depth++;
    return this;
  }
  close(text = '}') {
    this.depth--;
    return this.line(text);
  }
  /** Lines written elsewhere, indented one level here. */
  raw(text) {
    if (text === '') return this;
    const pad = '  '.repeat(this.depth);
    for (const line of text.split('\n')) this.out.push(pad + line);
    return this;
  }
  toString() {
    return this.out.join('\n');
  }
};
function source(bp, k) {
  return bp.from.contiguous
    ? `ac${int(bp.from.store)}[${int(bp.from.offset)} + ${k}]`
    : `AC[fs${int(bp.block === void 0 ? 0 : bp.id)}[${k}]][fi${int(bp.id)}[${k}]]`;
}
function target(bp, t) {
  return bp.to.contiguous
    ? `re${int(bp.to.store)}[${int(bp.to.offset)} + ${t}]`
    : `RE[ts${int(bp.id)}[${t}]][ti${int(bp.id)}[${t}]]`;
}
function builtin(code) {
  const name = SQUASH_NAMES.find((n) => SQUASH_CODE[n] === code);
  return name === void 0 ? '' : SQUASH_SOURCE[name];
}
function squash2(code, store, i) {
  const custom = `{ const f = sq${int(store)}[${i}]; y = f(sum); d = f(sum, true); }`;
  if (code === SQUASH_CODE.CUSTOM) return ['let y, d;', custom];
  if (code !== MIXED_SQUASH) return ['let y, d;', builtin(code)];
  const cases = [SQUASH_CODE.LOGISTIC, SQUASH_CODE.TANH, SQUASH_CODE.IDENTITY, SQUASH_CODE.HLIM, SQUASH_CODE.RELU].map(
    (c) => `case ${int(c)}: ${builtin(c)} break;`,
  );
  return ['let y, d;', `switch (qc${int(store)}[${i}]) { ${cases.join(' ')} default: ${custom} }`];
}
function prologue(L, plan2, used = null) {
  plan2.stores.forEach((_, s) => {
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
  const list = (prefix) => `[${plan2.stores.map((_, s) => `${prefix}${int(s)}`).join(', ')}]`;
  if (used === null) L.line(`const AC = ${list('ac')}, RE = ${list('re')};`);
  else if (used.lists) L.line('const AC = ALL_AC, RE = ALL_RE;');
  plan2.blocks.forEach((bp) => {
    if (used && !used.blocks.has(bp.id)) return;
    const b = int(bp.id);
    L.line(
      `const w${b} = M.weight[${b}], e${b} = M.elig[${b}], g${b} = M.gain[${b}], fs${b} = M.fromStore[${b}], fi${b} = M.fromIndex[${b}], ts${b} = M.toStore[${b}], ti${b} = M.toIndex[${b}], fx${b} = M.fixed[${b}], gw${b} = M.gradient[${b}], uw${b} = M.undoW[${b}];`,
    );
  });
  plan2.groups.forEach((g) => {
    if (used && !used.groups.has(g.id)) return;
    if (g.accumulates) L.line(`const acc${int(g.id)} = M.acc[${int(g.id)}];`);
  });
}
var STORE_LOCAL = /\b(?:S|st|ol|ac|de|bi|sw|sg|re|pr|ga|sq|qc|bf|gb|ub)(\d+)\b/g;
var BLOCK_LOCAL = /\b(?:w|e|g|fs|fi|ts|ti|fx|gw|uw)(\d+)\b/g;
var GROUP_LOCAL = /\bacc(\d+)\b/g;
function usedBy(code) {
  const collect = (pattern) => new Set(Array.from(code.matchAll(pattern), (m) => Number(m[1])));
  return {
    stores: collect(STORE_LOCAL),
    blocks: collect(BLOCK_LOCAL),
    groups: collect(GROUP_LOCAL),
    lists: /\b(?:AC|RE)\b/.test(code),
  };
}
var splitLimits = { locals: 3e3, groups: 400 };
var groupsPerPiece = 64;
function needsSplit(plan2) {
  const locals = plan2.stores.length * 20 + plan2.blocks.length * 9;
  return locals > splitLimits.locals || plan2.groups.length > splitLimits.groups;
}
function emitFunction(L, plan2, name, params, pieces, tail) {
  if (!needsSplit(plan2)) {
    L.open(`function ${name}(${params}) {`);
    prologue(L, plan2);
    for (const piece of pieces) piece(L);
    tail(L);
    L.close();
    return;
  }
  const parts = [];
  const part = (fn, write, end) => {
    const B = new Lines();
    write(B);
    const body = B.toString();
    L.open(`function ${fn}(${params}) {`);
    prologue(L, plan2, usedBy(body));
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
function emit(plan2) {
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
  if (plan2.inlineFunctions) {
    L.line('const LK = M.kernels;');
    plan2.groups.forEach((g) => {
      if (g.kind !== 'function') return;
      const f = int(g.fn);
      const n = int(g.units.length);
      const vectors = SCRATCH.map((v) => `${v}${f} = new Float64Array(${n})`);
      L.line(`const ${vectors.join(', ')};`);
    });
  }
  L.line('const GU = M.unitGuards;');
  L.line('let bad = 0;');
  plan2.groups.forEach((g) => {
    if (g.accumulates) L.line(`const acc${int(g.id)} = M.acc[${int(g.id)}];`);
  });
  L.line(
    'const RW = M.RW, RWI = M.RWI, RA = M.RA, RAI = M.RAI, RG = M.RG, RGI = M.RGI, KOLD = M.KOLD, KRE = M.KRE, KSG = M.KSG, KSW = M.KSW;',
  );
  L.open('function influence(q) {');
  L.line('let inf = GSELF[q] === 1 ? KOLD[q][KI[q]] : 0;');
  L.line('for (let r = RS[q], end = RS[q + 1]; r < end; r++) inf += RW[r][RWI[r]] * RA[r][RAI[r]];');
  L.line('return inf;');
  L.close();
  L.open('function gateWrites(c, y) {');
  L.line('for (let r = RS[GS[c]], end = RS[GS[c + 1]]; r < end; r++) RG[r][RGI[r]] = y;');
  L.close();
  if (needsSplit(plan2)) {
    const list = (field) => `M.stores.map(function (S) { return S.${field}; })`;
    L.line(`const ALL_AC = ${list('activation')}, ALL_RE = ${list('responsibility')};`);
  }
  const out = plan2.groups.filter((g) => g.output >= 0);
  emitFunction(
    L,
    plan2,
    'activate',
    'input, output',
    plan2.groups.map((g) => (B) => emitActivate(B, plan2, g)),
    (B) => {
      for (const g of out) {
        if (g.kind === 'op')
          B.line(
            `for (let j = 0; j < ${int(g.units.length)}; j++) output[${int(g.output)} + j] = OO[${int(g.fn)}][j];`,
          );
        else if (g.kind === 'function' && plan2.inlineFunctions)
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
  const backwards = plan2.groups.slice(1).reverse();
  emitFunction(
    L,
    plan2,
    'propagate',
    'rate, target',
    [(B) => B.line('bad = 0;'), ...backwards.map((g) => (B) => emitPropagate(B, plan2, g))],
    (B) => B.line('return bad === 0;'),
  );
  emitFunction(
    L,
    plan2,
    'undo',
    '',
    plan2.groups.slice(1).map((g) => (B) => emitUndo(B, plan2, g)),
    () => {},
  );
  emitFunction(
    L,
    plan2,
    'backward',
    'E, atState',
    backwards.map((g) => (B) => emitBackward(B, plan2, g)),
    () => {},
  );
  L.line('return { activate, propagate, undo, backward };');
  L.close('})');
  return { source: L.toString() };
}
function hasGates(plan2, g) {
  const { GS } = plan2.gates;
  return GS[g.cu + g.units.length] > GS[g.cu];
}
function storedPerUnit(plan2, g) {
  const { SGS } = storedLists(plan2);
  const first = SGS[g.cu + 1] - SGS[g.cu];
  if (first === 0 || first > 3) return 0;
  for (let j = 1; j < g.units.length; j++) if (SGS[g.cu + j + 1] - SGS[g.cu + j] !== first) return 0;
  return first;
}
function storedLists(plan2) {
  const { GS, STORED } = plan2.gates;
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
function hasStored(plan2, g) {
  const { GS, STORED } = plan2.gates;
  for (let q = GS[g.cu]; q < GS[g.cu + g.units.length]; q++) if (STORED[q]) return true;
  return false;
}
function forInputs(L, seg, g, body) {
  const bp = seg.block;
  const layer = g.kind === 'layer';
  const row = layer ? 'j' : int(seg.a);
  if (bp.kind === DENSE2) {
    const F = int(bp.width);
    L.open(`for (let k = 0, r = ${row} * ${F}; k < ${F}; k++) {`);
    if (bp.skipDiagonal) L.line(`if (k === ${row}) continue;`);
    const ordinal = bp.skipDiagonal ? `${int(seg.ordinal)} + (k < ${row} ? k : k - 1)` : `${int(seg.ordinal)} + k`;
    body('r + k', 'k', ordinal);
    L.close();
  } else if (bp.kind === DIAGONAL2) {
    L.open('{');
    body(row, row, int(seg.ordinal));
    L.close();
  } else {
    L.open(`for (let k = ${int(seg.a)}; k < ${int(seg.b)}; k++) {`);
    body('k', 'k', `${int(seg.ordinal)} + k - ${int(seg.a)}`);
    L.close();
  }
}
var SCRATCH = ['LFs', 'LFy', 'LFd', 'LFe', 'LFg', 'LFp', 'LFq'];
function emitFunctionActivate(L, plan2, g) {
  const f = int(g.fn);
  const n = int(g.units.length);
  L.line(`// a layer function over ${n} units: eq. 15 each, core's kernel (layer-function.ts), eq. 17-18 each`);
  g.members.forEach((m, j) => emitActivate(L, plan2, m, { part: 'state', fn: g.fn, slot: j }));
  L.line(`LK[${f}].forward(LFs${f}, LFy${f}, LFd${f}, ${n});`);
  g.members.forEach((m, j) => emitActivate(L, plan2, m, { part: 'traces', fn: g.fn, slot: j }));
}
function emitFunctionPropagate(L, plan2, g) {
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
      if (hasGates(plan2, m))
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
  for (const m of [...g.members].reverse()) emitPropagate(L, plan2, m, true);
}
function emitActivate(L, plan2, g, phase = null) {
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
        const st = plan2.stores.indexOf(u.store);
        L.line(
          `ac${int(st)}[${int(u.index)}] = input[${int(j)}]; de${int(st)}[${int(u.index)}] = 0; bi${int(st)}[${int(u.index)}] = 0;`,
        );
      });
    }
    return;
  }
  if (g.kind === 'interpreted') {
    L.line(`AU(U[${int(plan2.interpreted.indexOf(g.units[0]))}]);`);
    return;
  }
  if (g.kind === 'function' && plan2.inlineFunctions) {
    emitFunctionActivate(L, plan2, g);
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
  const gates = hasGates(plan2, g);
  const exact = !layer;
  const stored = layer ? hasStored(plan2, g) : gates;
  L.line(`// ${layer ? `layer of ${n} units` : 'unit'}: eq. 15-18`);
  if (layer) L.open(`for (let j = 0; j < ${int(n)}; j++) {`);
  else L.open('{').line('const j = 0;');
  L.line(`const i = ${int(g.offset)} + j, c = ${int(g.cu)} + j;`);
  if (phase?.part === 'traces') {
    const f = int(phase.fn);
    const k = int(phase.slot);
    L.line(`const selfGain = sg${s}[i] * sw${s}[i];`);
    L.line(`const y = LFy${f}[${k}], d = LFd${f}[${k}];`);
  } else {
    L.line(`const prev = st${s}[i];`);
    L.line(`ol${s}[i] = prev;`);
    L.line(`const selfGain = sg${s}[i] * sw${s}[i];`).line(`let sum = selfGain * prev + bi${s}[i];`);
    emitSum(L, g);
    L.line(`st${s}[i] = sum;`);
    if (phase?.part === 'state') {
      L.line(`LFs${int(phase.fn)}[${int(phase.slot)}] = sum;`);
      L.close();
      return;
    }
    for (const line of squash2(g.squash, g.store, 'i')) L.line(line);
  }
  emitTraces(L, plan2, g, layer, gates, exact, stored);
}
function emitSum(L, g) {
  for (const seg of g.inputs) {
    const bp = seg.block;
    const b = int(bp.id);
    forInputs(L, seg, g, (slot, k) => {
      L.line(
        bp.gated
          ? `sum += ${source(bp, k)} * w${b}[${slot}] * g${b}[${slot}];`
          : `sum += ${source(bp, k)} * w${b}[${slot}];`,
      );
    });
  }
}
function emitTraces(L, plan2, g, layer, gates, exact, stored) {
  const s = int(g.store);
  L.line(`ac${s}[i] = y;`).line(`de${s}[i] = d;`);
  const hoisted = layer ? storedPerUnit(plan2, g) : 0;
  if (gates) {
    L.line('for (let q = GS[c], end = GS[c + 1]; q < end; q++) INF[q] = influence(q);');
    if (exact) L.line('for (let q = GS[c], end = GS[c + 1]; q < end; q++) DEC[q] = KSG[q][KI[q]] * KSW[q][KI[q]];');
    else
      L.line(
        'for (let p = SGS[c], end = SGS[c + 1]; p < end; p++) { const q = SGL[p]; DEC[q] = KSG[q][KI[q]] * KSW[q][KI[q]]; }',
      );
    for (let h = 0; h < hoisted; h++)
      L.line(`const q${h} = SGL[SGS[c] + ${int(h)}], x${h} = XT[q${h}], dec${h} = DEC[q${h}], inf${h} = INF[q${h}];`);
  }
  const update = (e, ordinal) => {
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
function emitPropagate(L, plan2, g, update = false) {
  const s = int(g.store);
  const n = g.units.length;
  if (g.kind === 'interpreted') {
    const u = int(plan2.interpreted.indexOf(g.units[0]));
    L.line(`GU[${u}].save();`);
    L.line(g.output >= 0 ? `PU(U[${u}], rate, target[${int(g.output)}]);` : `PU(U[${u}], rate);`);
    L.line(`bad += GU[${u}].check();`);
    return;
  }
  if (g.kind === 'function' && plan2.inlineFunctions) {
    emitFunctionPropagate(L, plan2, g);
    return;
  }
  if (g.kind === 'function' || g.kind === 'op') {
    const list = g.kind === 'op' ? 'OL' : 'FL';
    L.line(`${list}[${int(g.fn)}].save();`);
    L.line(`${list}[${int(g.fn)}].propagate(rate, ${g.output >= 0 ? 'target' : 'undefined'});`);
    L.line(`bad += ${list}[${int(g.fn)}].check();`);
    return;
  }
  const layer = g.kind === 'layer';
  const gates = hasGates(plan2, g);
  const exact = !layer;
  L.line(`// ${layer ? `layer of ${n} units` : 'unit'}: eq. 10, 21-24`);
  L.open('{').line('let fin = 0;');
  if (layer && g.ascending) L.open(`for (let j = 0; j < ${int(n)}; j++) {`);
  else if (layer) L.open(`for (let j = ${int(n - 1)}; j >= 0; j--) {`);
  else L.open('{').line('const j = 0;');
  L.line(`const i = ${int(g.offset)} + j, c = ${int(g.cu)} + j;`);
  L.line('let projected, responsibility;');
  if (update) {
    L.line(`projected = pr${s}[i]; responsibility = re${s}[i];`);
  } else if (g.output >= 0) {
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
  const fold = layer && gates && !plan2.exact;
  const onlyRebuilt = layer && gates && !hasStored(plan2, g);
  const hoisted = fold ? storedPerUnit(plan2, g) : 0;
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
  for (const seg of g.inputs) {
    const bp = seg.block;
    const b = int(bp.id);
    const acc = layer && bp.accumulate ? `acc${int(bp.accumulate.id)}` : null;
    forInputs(L, seg, g, (slot, k, ordinal) => {
      const y = source(bp, k);
      if (layer && bp.collapse) L.line(`const e = ${bp.gated ? `g${b}[${slot}] * ${y}` : y};`);
      else L.line(`const e = e${b}[${slot}];`);
      if (fold) {
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
      L.line(`const old = w${b}[${slot}];`).line(`uw${b}[${slot}] = old;`);
      if (bp.fixed) L.line(`const w = fx${b}[${slot}] === 0 ? old + rate * gradient : old;`);
      else L.line('const w = old + rate * gradient;');
      L.line(`w${b}[${slot}] = w;`).line('fin += w - w;');
      if (acc)
        L.line(
          bp.gated ? `${acc}[${k}] += responsibility * g${b}[${slot}] * w;` : `${acc}[${k}] += responsibility * w;`,
        );
    });
  }
  L.line(`const oldBias = bi${s}[i];`).line(`ub${s}[i] = oldBias;`);
  if (plan2.stores[g.store].biasFixed !== null)
    L.line(`const bias = bf${s}[i] === 0 ? oldBias + rate * responsibility : oldBias;`);
  else L.line('const bias = oldBias + rate * responsibility;');
  L.line(`bi${s}[i] = bias;`).line('fin += bias - bias;');
  L.close();
  L.line('bad += fin;').close();
}
function emitUndo(L, plan2, g) {
  if (g.kind === 'interpreted') {
    L.line(`GU[${int(plan2.interpreted.indexOf(g.units[0]))}].restore();`);
    return;
  }
  if (g.kind === 'function' && plan2.inlineFunctions) {
    for (const m of g.members) emitUndo(L, plan2, m);
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
function emitBackward(L, plan2, g) {
  const s = int(g.store);
  const n = g.units.length;
  if (g.kind === 'interpreted') {
    const u = int(plan2.interpreted.indexOf(g.units[0]));
    L.line(g.output >= 0 ? `BU(U[${u}], E[${int(g.output)}]);` : `BU(U[${u}]);`);
    return;
  }
  if (g.kind === 'function' && plan2.inlineFunctions) {
    L.line(`throw new Error('a standalone module computes no gradients (backward)');`);
    return;
  }
  if (g.kind === 'function' || g.kind === 'op') {
    const list = g.kind === 'op' ? 'OL' : 'FL';
    L.line(`${list}[${int(g.fn)}].backward(${g.output >= 0 ? 'E' : 'null'}, atState);`);
    return;
  }
  const layer = g.kind === 'layer';
  const gates = hasGates(plan2, g);
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
  if (plan2.stores[g.store].biasFixed !== null) L.line(`if (bf${s}[i] === 0) gb${s}[i] -= responsibility;`);
  else L.line(`gb${s}[i] -= responsibility;`);
  L.close();
}
function emitProjectedError(L, g, layer, s) {
  emitErrorSum(L, g, layer);
  L.line(`const derivative = de${s}[i];`);
  L.line('projected = derivative * error;');
}
function emitErrorSum(L, g, layer = false) {
  if (g.accumulates) L.line(`let error = acc${int(g.id)}[j];`).line(`acc${int(g.id)}[j] = 0;`);
  else L.line('let error = 0;');
  for (const seg of g.outputs) {
    const bp = seg.block;
    if (layer && bp.accumulate === g) continue;
    const b = int(bp.id);
    const col = layer ? 'j' : int(seg.a);
    const gain = (slot) => (bp.gated ? ` * g${b}[${slot}]` : '');
    if (bp.kind === DENSE2) {
      const F = int(bp.width);
      L.open(`for (let t = 0, T = ${int(bp.block.to.length)}; t < T; t++) {`);
      if (bp.skipDiagonal) L.line(`if (t === ${col}) continue;`);
      L.line(`const slot = t * ${F} + ${col};`);
      L.line(`error += ${target(bp, 't')}${gain('slot')} * w${b}[slot];`);
      L.close();
    } else {
      L.line(`error += ${target(bp, col)}${gain(col)} * w${b}[${col}];`);
    }
  }
}

// src/memory.ts
import {
  activateFunctionLayer,
  activateUnit,
  backwardFunctionLayer,
  backwardOpLayer,
  backwardUnit,
  DENSE as DENSE3,
  LIST as LIST2,
  propagateFunctionLayer,
  propagateOpLayer,
  propagateUnit,
} from '@synaptic/core';
function writeGuard(units, tensors = []) {
  const arrays = [...tensors];
  const seen = new Set(tensors);
  for (const unit of units) {
    for (const seg of unit.inputs) {
      const b = seg.block;
      if (seen.has(b.weight)) continue;
      seen.add(b.weight);
      arrays.push(b.kind === LIST2 ? b.weight.subarray(0, b.length) : b.weight);
    }
  }
  const saved = arrays.map((a) => new Float64Array(a.length));
  const biases = new Float64Array(units.length);
  const norm = units.filter((u) => u.store.gamma !== null);
  const gammas = new Float64Array(norm.length);
  const betas = new Float64Array(norm.length);
  return {
    save() {
      arrays.forEach((a, k) => saved[k].set(a));
      units.forEach((u, k) => (biases[k] = u.store.bias[u.index]));
      norm.forEach((u, k) => {
        gammas[k] = u.store.gamma[u.index];
        betas[k] = u.store.beta[u.index];
      });
    },
    check() {
      let acc = 0;
      for (const a of arrays) for (let i = 0; i < a.length; i++) acc += a[i] - a[i];
      for (const u of units) acc += u.store.bias[u.index] - u.store.bias[u.index];
      for (const u of norm)
        acc += u.store.gamma[u.index] - u.store.gamma[u.index] + u.store.beta[u.index] - u.store.beta[u.index];
      return acc;
    },
    restore() {
      arrays.forEach((a, k) => a.set(saved[k]));
      units.forEach((u, k) => (u.store.bias[u.index] = biases[k]));
      norm.forEach((u, k) => {
        u.store.gamma[u.index] = gammas[k];
        u.store.beta[u.index] = betas[k];
      });
    },
  };
}
function memoryData(plan2) {
  for (const store of plan2.stores) store.biasGradient ??= new Float64Array(store.size);
  const storeId = new Map(plan2.stores.map((s, i) => [s, i]));
  const index = (units, count) => {
    const s = new Int32Array(count);
    const i = new Int32Array(count);
    for (let k = 0; k < count; k++) {
      s[k] = storeId.get(units[k].store);
      i[k] = units[k].index;
    }
    return [s, i];
  };
  const fromStore = [];
  const fromIndex = [];
  const toStore = [];
  const toIndex = [];
  for (const bp of plan2.blocks) {
    const b = bp.block;
    const [fs, fi] = bp.from.contiguous ? [new Int32Array(0), new Int32Array(0)] : index(b.from, bp.width);
    const rows = b.kind === DENSE3 ? b.to.length : bp.width;
    const [ts, ti] = bp.to.contiguous ? [new Int32Array(0), new Int32Array(0)] : index(b.to, rows);
    fromStore.push(fs);
    fromIndex.push(fi);
    toStore.push(ts);
    toIndex.push(ti);
  }
  const { gates } = plan2;
  return {
    stores: plan2.stores,
    squashCodes: plan2.stores.map((s) => Uint8Array.from(s.squash, squashCode)),
    weight: plan2.blocks.map((bp) => bp.block.weight),
    elig: plan2.blocks.map((bp) => bp.block.elig),
    gain: plan2.blocks.map((bp) => bp.block.gain),
    fixed: plan2.blocks.map((bp) => bp.block.fixed),
    gradient: plan2.blocks.map((bp) => bp.block.ensureGradient()),
    fromStore,
    fromIndex,
    toStore,
    toIndex,
    accSizes: plan2.groups.map((g) => (g.accumulates ? g.units.length : 0)),
    GS: gates.GS,
    KS: gates.KS,
    KI: gates.KI,
    GSELF: gates.GSELF,
    STORED: gates.STORED,
    RS: gates.RS,
    RB: gates.RB,
    RSLOT: gates.RSLOT,
    FS: gates.FS,
    FI: gates.FI,
    XT: gates.xtraces,
    units: plan2.interpreted,
    activateUnit,
    propagateUnit,
    backwardUnit,
    unitGuards: plan2.interpreted.map((unit) => writeGuard([unit])),
    kernels: plan2.functions.map(({ fn }) => fn),
    functions: plan2.functions.map(({ units, fn, group }) => {
      const scratch = new Array(units.length);
      return {
        ...writeGuard(units),
        activate: (into) => {
          activateFunctionLayer(units, fn, scratch, group);
          for (let j = 0; j < units.length; j++) into[j] = scratch[j];
        },
        propagate: (rate, target2) => propagateFunctionLayer(units, fn, rate, target2, group),
        backward: (error, atState) =>
          backwardFunctionLayer(units, fn, error === null ? null : { values: error, atState }, group),
      };
    }),
    opLayers: plan2.opLayers.map((layer) => {
      const n = layer.list.length;
      return {
        ...writeGuard(
          layer.list,
          layer.opsIn.flatMap((op) => op.tensors.map((t) => t.value)),
        ),
        activate: (into) => {
          const y = layer.activate();
          for (let j = 0; j < n; j++) into[j] = y[j];
        },
        propagate: (rate, target2) => propagateOpLayer(layer, rate, target2),
        backward: (error, atState) => backwardOpLayer(layer, error === null ? null : { values: error, atState }),
      };
    }),
  };
}
function linkMemory(data) {
  const { stores, GS, KS, KI, STORED, RS, RB, RSLOT, FS, FI } = data;
  const units = GS.length - 1;
  const SGS = new Int32Array(units + 1);
  const SGL = [];
  for (let c = 0; c < units; c++) {
    SGS[c] = SGL.length;
    for (let q = GS[c]; q < GS[c + 1]; q++) if (STORED[q]) SGL.push(q);
  }
  SGS[units] = SGL.length;
  const groups = KS.length;
  const refs = RB.length;
  const RW = [];
  const RA = [];
  const RG = [];
  const RWI = new Int32Array(refs);
  const RAI = new Int32Array(refs);
  const RGI = new Int32Array(refs);
  for (let q = 0; q < groups; q++) {
    const k = stores[KS[q]];
    for (let r = RS[q]; r < RS[q + 1]; r++) {
      const b = RB[r];
      if (b < 0) {
        RW.push(k.selfWeight);
        RWI[r] = KI[q];
        RG.push(k.selfGain);
        RGI[r] = KI[q];
      } else {
        RW.push(data.weight[b]);
        RWI[r] = RSLOT[r];
        RG.push(data.gain[b]);
        RGI[r] = RSLOT[r];
      }
      RA.push(stores[FS[r]].activation);
      RAI[r] = FI[r];
    }
  }
  const groupStores = [];
  for (let q = 0; q < groups; q++) groupStores.push(stores[KS[q]]);
  return {
    ...data,
    acc: data.accSizes.map((n) => (n > 0 ? new Float64Array(n) : null)),
    RW,
    RWI,
    RA,
    RAI,
    RG,
    RGI,
    KOLD: groupStores.map((s) => s.old),
    KRE: groupStores.map((s) => s.responsibility),
    KSG: groupStores.map((s) => s.selfGain),
    KSW: groupStores.map((s) => s.selfWeight),
    SGS,
    SGL: Int32Array.from(SGL),
    INF: new Float64Array(groups),
    DEC: new Float64Array(groups),
    RK: new Float64Array(groups),
    undoW: data.weight.map((w) => new Float64Array(w.length)),
    undoB: stores.map((s) => new Float64Array(s.bias.length)),
  };
}
function memoryOf(plan2) {
  return linkMemory(memoryData(plan2));
}
function materialize(plan2, memory) {
  for (const g of plan2.groups) {
    if (g.kind !== 'layer') continue;
    for (const seg of g.inputs) {
      const bp = seg.block;
      if (!bp.collapse) continue;
      const b = bp.block;
      const gain = b.gain;
      g.units.forEach((_, j) => {
        const slots = b.kind === DENSE3 ? bp.width : 1;
        for (let k = 0; k < slots; k++) {
          const slot = b.kind === DENSE3 ? j * bp.width + k : j;
          const src = b.kind === DENSE3 ? b.from[k] : b.from[j];
          const y = src.store.activation[src.index];
          b.elig[slot] = gain === null ? y : gain[slot] * y;
        }
      });
    }
    g.units.forEach((unit, j) => {
      const c = g.cu + j;
      const { GS, STORED } = plan2.gates;
      const d = unit.store.derivative[unit.index];
      for (let q = GS[c]; q < GS[c + 1]; q++) {
        if (STORED[q]) continue;
        const xt = memory.XT[q];
        const inf = memory.INF[q];
        let ordinal = 0;
        for (const seg of unit.inputs) {
          const b = seg.block;
          const visit = (slot) => {
            xt[ordinal++] = d * b.elig[slot] * inf;
          };
          if (b.kind === DENSE3) {
            const n = b.from.length;
            for (let s = 0; s < n; s++) if (!(b.skipDiagonal && s === seg.a)) visit(seg.a * n + s);
          } else visit(seg.a);
        }
      }
    });
  }
}

// src/bundle.ts
import {
  fitsFormat1x,
  forEachListedConnection,
  FORMAT_NAME,
  FORMAT_VERSION,
  layerFunctions,
  rebuildOrders,
  STORE_FIELDS,
  SynapticError,
} from '@synaptic/core';

// src/embedded.ts
function decodeMemory(D, kernels) {
  const TABLE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const bytes = (text) => {
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
  const f642 = (text) => {
    if (text.charCodeAt(0) === 35) return new Float64Array(Number(text.slice(1)));
    const b = bytes(text);
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const out = new Float64Array(b.byteLength / 8);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
    return out;
  };
  const i322 = (text) => {
    const b = bytes(text);
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const out = new Int32Array(b.byteLength / 4);
    for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
    return out;
  };
  const stores = D.stores.map((s) => {
    const store = {};
    for (const field of Object.keys(s)) if (field !== 'biasFixed') store[field] = f642(s[field]);
    store.squash = [];
    store.biasFixed = s.biasFixed === void 0 ? null : bytes(s.biasFixed);
    store.biasGradient = new Float64Array(f642(s.bias).length);
    return store;
  });
  const weight = [];
  const gradient = [];
  for (let b = 0; b < D.weight.length; b++) {
    const text = D.weight[b];
    const o = text.charCodeAt(0) === 64 ? Number(text.slice(1)) : b;
    weight.push(o === b ? f642(text) : weight[o]);
    gradient.push(o === b ? new Float64Array(weight[b].length) : gradient[o]);
  }
  return {
    stores,
    squashCodes: D.squashCodes.map(bytes),
    weight,
    elig: D.elig.map(f642),
    gain: D.gain.map((g) => (g === null ? null : f642(g))),
    fixed: D.fixed.map((f) => (f === null ? null : bytes(f))),
    gradient,
    fromStore: D.fromStore.map(i322),
    fromIndex: D.fromIndex.map(i322),
    toStore: D.toStore.map(i322),
    toIndex: D.toIndex.map(i322),
    accSizes: D.accSizes,
    GS: i322(D.GS),
    KS: i322(D.KS),
    KI: i322(D.KI),
    GSELF: bytes(D.GSELF),
    STORED: bytes(D.STORED),
    RS: i322(D.RS),
    RB: i322(D.RB),
    RSLOT: i322(D.RSLOT),
    FS: i322(D.FS),
    FI: i322(D.FI),
    XT: D.XT.map(f642),
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
function makeRunner(M, kernel, T, inputs, outputs) {
  const check = (values, size, what) => {
    if (values === null || typeof values !== 'object' || values.length !== size)
      throw new RangeError(`${what} must be an array of ${size} numbers`);
    for (let i = 0; i < size; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${what}[${i}] must be a finite number`);
    }
  };
  const NAMES = ['LOGISTIC', 'TANH', 'IDENTITY', 'HLIM', 'RELU'].concat(T.FN);
  const nonFinite = (message) => {
    const error = new RangeError(message);
    error.name = 'NonFiniteError';
    return error;
  };
  const everything = () => {
    const out = [];
    const add = (v) => {
      if (v instanceof Float64Array) out.push(v);
      else if (Array.isArray(v)) {
        for (const x of v) if (x instanceof Float64Array) out.push(x);
      }
    };
    for (const st of M.stores) for (const key of Object.keys(st)) add(st[key]);
    for (const key of Object.keys(M)) if (key !== 'stores') add(M[key]);
    return out;
  };
  return {
    activate(input) {
      const x = Array.isArray(input) ? input.slice() : input;
      check(x, inputs, 'input');
      const y = kernel.activate(x, new Array(outputs));
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
    propagate(rate, target2) {
      const r = rate === void 0 || rate === null ? 0.1 : rate;
      if (typeof r !== 'number' || !Number.isFinite(r)) throw new TypeError('learning rate must be a finite number');
      const t = Array.isArray(target2) ? target2.slice() : target2;
      check(t, outputs, 'target');
      if (!kernel.propagate(r, t)) {
        kernel.undo();
        throw nonFinite(
          `propagate at rate ${r}: a weight or bias would become NaN or Infinity; the propagation was undone (the weights are as they were)`,
        );
      }
    },
    /** A copy of every number the module holds; `rollback` puts it back exactly. */
    checkpoint(reuse) {
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
    rollback(saved) {
      const arrays = everything();
      if (!Array.isArray(saved) || saved.length !== arrays.length)
        throw new TypeError('rollback expects a checkpoint of this module');
      arrays.forEach((a, i) => a.set(saved[i].subarray(0, a.length)));
    },
    clear() {
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
      const neurons = T.NS.map((s, u) => {
        const store = M.stores[s];
        const i = T.NI[u];
        const layer = T.NL[u];
        const unit = {
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
        const entry = { from, to: T.CT[c], weight, gater: T.CG[c] < 0 ? null : T.CG[c] };
        if (T.V1) return entry;
        const fixed = b < 0 ? null : M.fixed[b];
        if (fixed?.[T.CS[c]]) entry.fixed = true;
        if (T.CTIE[c] >= 0) entry.tie = T.CTIE[c];
        return entry;
      });
      const json = T.V1
        ? { neurons, connections }
        : { format: T.FORMAT, version: T.VERSION, units: neurons, connections };
      if (T.R.replay) json.replay = T.R.replay.map((r) => r.slice());
      if (T.R.gating) json.gating = T.R.gating.map((r) => r.slice());
      return json;
    },
  };
}

// src/bundle.ts
var CompileError = class extends SynapticError {
  name = 'CompileError';
};
var BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function base64(bytes) {
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
function isZero(values) {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 || 1 / values[i] < 0) return false;
  return true;
}
function f64(values) {
  if (isZero(values)) return `#${values.length}`;
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  return base64(bytes);
}
function i32(values) {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setInt32(i * 4, v, true));
  return base64(bytes);
}
var MAX_MODULE_NUMBERS = 24e6;
function checkSize(data) {
  let numbers = 0;
  const add = (a) => {
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
function serialize(data) {
  const fields = STORE_FIELDS;
  checkSize(data);
  return {
    stores: data.stores.map((s) => {
      const arrays = Object.fromEntries(fields.map((f) => [f, f64(s[f])]));
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
function template(network, p) {
  const units = network.neurons();
  const blockId = new Map(p.blocks.map((bp) => [bp.block, bp.id]));
  const names = SQUASH_CODE.CUSTOM;
  const fnCode = new Map(p.functions.map(({ units: list }, k) => [list, names + k]));
  const t = {
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
  const functionOf = /* @__PURE__ */ new Map();
  for (const layer of network.allLayers()) {
    const code = fnCode.get(layer.list);
    if (code !== void 0) for (const unit of layer.list) functionOf.set(unit, code);
  }
  for (const { neuron, layer } of units) {
    t.NS.push(storeId.get(neuron.store));
    t.NI.push(neuron.index);
    t.NL.push(layer === 'input' ? -1 : layer === 'output' ? -2 : layer);
    t.NQ.push(functionOf.get(neuron) ?? squashCode(neuron.squash));
  }
  const listed = /* @__PURE__ */ new Map();
  forEachListedConnection(units, ({ from, to, gater, block, slot }) => {
    if (block !== null) {
      let slots = listed.get(block);
      if (!slots) listed.set(block, (slots = /* @__PURE__ */ new Map()));
      slots.set(slot, t.CB.length);
    }
    t.CB.push(block ? blockId.get(block) : -1);
    t.CS.push(slot);
    t.CF.push(from);
    t.CT.push(to);
    t.CG.push(gater ?? -1);
  });
  forEachListedConnection(units, ({ block, slot }) => {
    const tie = block?.tiedTo ? listed.get(block.tiedTo)?.get(slot) : void 0;
    t.CTIE.push(tie ?? -1);
  });
  return t;
}
var INLINE_FUNCTIONS = /* @__PURE__ */ new Set(['SOFTMAX']);
function kernelSource(fn) {
  if (!INLINE_FUNCTIONS.has(fn.name))
    throw new CompileError(
      `layer function ${JSON.stringify(String(fn.name))} cannot be written as standalone source yet (only ${[...INLINE_FUNCTIONS].join(', ')} can); optimize() runs it compiled`,
    );
  const builtIn = Object.hasOwn(layerFunctions, fn.name) ? layerFunctions[fn.name] : void 0;
  const text = [fn.forward, fn.backward].map(String);
  if (builtIn !== fn || !text.every((t) => /^function [A-Za-z_$][\w$]*\(/.test(t)))
    throw new CompileError(
      `layer function ${JSON.stringify(String(fn.name))} cannot be written as standalone source: only core's built-in layer functions, whose kernels are self-contained, can`,
    );
  return `{ forward: (${text[0]}), backward: (${text[1]}) }`;
}
function bundleSource(network, options = {}) {
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
function standalone(network, options = {}) {
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

// src/compile.ts
var functionsAllowed = null;
var warned = false;
function setCodeGenerationAllowed(allowed) {
  functionsAllowed = allowed;
  warned = false;
}
function canGenerateCode() {
  if (functionsAllowed === null) {
    try {
      functionsAllowed = new Function('return 1')() === 1;
    } catch {
      functionsAllowed = false;
    }
  }
  return functionsAllowed;
}
var CompiledExecutor = class {
  epoch;
  /** the generated code, readable */
  source;
  network;
  /** false when code generation is forbidden here and the interpreter runs instead */
  generated;
  plan;
  memory;
  kernel;
  /** with generated code: `propagate` checks what it writes and keeps an undo log (see core's `PropagationGuard`) */
  propagateChecked;
  undoPropagate;
  constructor(network, options = {}) {
    this.network = network;
    this.epoch = network.structureVersion();
    this.plan = plan(network, this.epoch, options);
    this.memory = memoryOf(this.plan);
    this.source = emit(this.plan).source;
    this.generated = canGenerateCode();
    if (this.generated) {
      const factory = new Function(`return ${this.source}`)();
      const kernel = factory(this.memory);
      this.kernel = kernel;
      this.propagateChecked = (rate, target2) => kernel.propagate(rate, target2);
      this.undoPropagate = () => kernel.undo();
    } else {
      this.kernel = null;
      if (!warned) {
        warned = true;
        console.warn(
          '@synaptic/compile: code generation is not allowed here (Content-Security-Policy); networks run in the interpreter',
        );
      }
    }
  }
  inputs() {
    return this.plan.inputSize;
  }
  outputs() {
    return this.plan.outputSize;
  }
  activate(input) {
    if (this.kernel === null) return this.interpretActivate(input);
    return this.kernel.activate(input, new Array(this.plan.outputSize));
  }
  propagate(rate, target2) {
    if (this.kernel === null) {
      this.interpretPropagate(rate, target2);
      return;
    }
    if (!this.kernel.propagate(rate, target2)) {
      this.kernel.undo();
      throw new NonFiniteError(
        `propagate at rate ${rate}: a weight or bias would become NaN or Infinity; the propagation was undone (the weights are as they were)`,
        null,
      );
    }
  }
  /** `Network.backward` in generated code: adds ∂E/∂θ to the parameters' gradients, changes no weight. */
  backward(outputError, atState) {
    if (this.kernel === null) backwardLayers(this.network.allLayers(), { values: outputError, atState });
    else this.kernel.backward(outputError, atState);
  }
  /** Forget the context kept outside the graph (the graph's own traces are cleared by the network). */
  clear() {
    this.memory.INF.fill(0);
    for (const acc of this.memory.acc) acc?.fill(0);
  }
  /** Writes the traces compiled code keeps implicitly into the graph. */
  sync() {
    if (this.kernel !== null) materialize(this.plan, this.memory);
  }
  dispose() {
    this.sync();
  }
  /** The network as dependency-free source (core's `PortableNetwork`: for training in a worker). */
  portable() {
    this.sync();
    if (this.plan.opLayers.length > 0) return null;
    return { source: bundleSource(this.network, { exact: this.plan.exact }) };
  }
  interpretActivate(input) {
    const layers = this.network.allLayers();
    layers[0].activate(input);
    for (let l = 1; l < layers.length - 1; l++) layers[l].activate();
    return layers[layers.length - 1].activate();
  }
  interpretPropagate(rate, target2) {
    const layers = this.network.allLayers();
    layers[layers.length - 1].propagate(rate, target2);
    for (let l = layers.length - 2; l >= 1; l--) layers[l].propagate(rate);
  }
};
var CompiledNetwork = class {
  constructor(network, options = {}) {
    this.network = network;
    this.options = options;
    this.executor = new CompiledExecutor(network, options);
  }
  network;
  options;
  executor;
  /** The generated source, readable. */
  get source() {
    return this.current().source;
  }
  inputs() {
    return this.network.inputs();
  }
  outputs() {
    return this.network.outputs();
  }
  activate(input) {
    checkVector(input, this.network.inputs(), 'network input');
    return this.current().activate(input);
  }
  propagate(rate, target2) {
    const r = checkRate(rate);
    checkVector(target2, this.network.outputs(), 'network target');
    this.current().propagate(r, target2);
  }
  /** Forgets context: the network's traces and what the compiled code keeps. */
  clear() {
    this.network.clear();
    this.executor.clear();
  }
  /** Settles everything compiled code keeps implicitly into the network's storage. */
  writeBack() {
    this.executor.sync();
    return this.network;
  }
  toJSON() {
    this.executor.sync();
    return this.network.toJSON();
  }
  current() {
    if (this.executor.epoch !== this.network.structureVersion()) {
      this.executor.dispose();
      this.executor = new CompiledExecutor(this.network, this.options);
    }
    return this.executor;
  }
};
function compile(network, options = {}) {
  return new CompiledNetwork(network, options);
}
function optimize(network, options = {}) {
  network.useExecutor((n) => new CompiledExecutor(n, options));
  return network;
}

// src/batch/batch.ts
import {
  cost as costs,
  InvalidArgumentError,
  InvalidValueError,
  bumpStructure,
  SizeMismatchError,
} from '@synaptic/core';

// src/wasm/modules.generated.ts
var GEMM_WASM_BASE64 = {
  f64: 'AGFzbQEAAAABNQZgC39/f39/f39/f39/AGAGf39/f39/AX9gA39/fwBgBn9/f39/fwBgBH9/f38AYAJ/fAF8Ag8BA2VudgZtZW1vcnkCAAEDCAcAAQIDAgQFB0UHBGdlbW0AAAl0cmFuc3Bvc2UAAQZkZW1vdGUAAgtwcm9tb3RlX2FkZAADBWFkZDY0AAQIbXVsdGlwbHkABQRwZWFrAAYK0AsHswUCDH8LeyADQQN0IREgEUEBdCESIBIgEWohEyAEQQN0IRQgBkEDdCEVIAFBA3QhFkEAIQsCQANAIAsgB08NAUEAIQwCQANAIAwgCE8NASAAIAsgAWwgDGpqQQN0IRAgCgRAIBD9AAQAIRogEP0ABBAhGyAQIBZq/QAEACEcIBAgFmr9AAQQIR0gECAWQQF0av0ABAAhHiAQIBZBAXRq/QAEECEfIBAgFkEDbGr9AAQAISAgECAWQQNsav0ABBAhIQX9DAAAAAAAAAAAAAAAAAAAAAAhGv0MAAAAAAAAAAAAAAAAAAAAACEb/QwAAAAAAAAAAAAAAAAAAAAAIRz9DAAAAAAAAAAAAAAAAAAAAAAhHf0MAAAAAAAAAAAAAAAAAAAAACEe/QwAAAAAAAAAAAAAAAAAAAAAIR/9DAAAAAAAAAAAAAAAAAAAAAAhIP0MAAAAAAAAAAAAAAAAAAAAACEhCyACIAsgA2xqQQN0IQ4gBSAMakEDdCEPIAkhDQJAA0AgDUUNASAP/QAEACEYIA/9AAQQIRkgDv0KAwAhFyAaIBcgGP3yAf3wASEaIBsgFyAZ/fIB/fABIRsgDiARav0KAwAhFyAcIBcgGP3yAf3wASEcIB0gFyAZ/fIB/fABIR0gDiASav0KAwAhFyAeIBcgGP3yAf3wASEeIB8gFyAZ/fIB/fABIR8gDiATav0KAwAhFyAgIBcgGP3yAf3wASEgICEgFyAZ/fIB/fABISEgDiAUaiEOIA8gFWohDyANQQFrIQ0MAAsLIBAgGv0LBAAgECAb/QsEECAQIBZqIRAgECAc/QsEACAQIB39CwQQIBAgFmohECAQIB79CwQAIBAgH/0LBBAgECAWaiEQIBAgIP0LBAAgECAh/QsEECAMQQRqIQwMAAsLIAtBBGohCwwACwsLnwEDBH8BfAJ/QX8hCyADQQN0IQwCQANAIAYgBE8NASAAIAYgAWxqQQN0IQggAiAGakEDdCEJQQAhBwJAA0AgByAFTw0BIAkrAwAhCiAIIAo5AwAgCiAKoUQAAAAAAAAAAGIEQCALQQBIBEAgByAEbCAGaiELCwsgCEEBQQN0aiEIIAkgDGohCSAHQQFqIQcMAAsLIAZBAWohBgwACwsgCwtOAAJAA0AgAkEATA0BIAAgAf0ABAD9XiAB/QAEEP1e/Q0AAQIDBAUGBxAREhMUFRYX/QsEACAAQRBqIQAgAUEgaiEBIAJBBGshAgwACwsL1QECBH8DewJAA0AgBiACTw0BIAAgBiADbEEDdGohCCABIAYgBGxBAnRqIQlBACEHAkADQCAHIANPDQEgCf0ABAAhCv0MAAAAAAAAAAAAAAAAAAAAACEL/QwAAAAAAAAAAAAAAAAAAAAAIQwgBQRAIAj9AAQAIQsgCP0ABBAhDAsgCCALIAr9X/3wAf0LBAAgCCAMIAogCv0NCAkKCwwNDg8AAQIDBAUGB/1f/fAB/QsEECAIQSBqIQggCUEQaiEJIAdBBGohBwwACwsgBkEBaiEGDAALCws7AAJAA0AgAkEATA0BIAAgAP0ABAAgAf0ABAD98AH9CwQAIABBEGohACABQRBqIQEgAkECayECDAALCwtCAAJAA0AgA0EATA0BIAAgAf0ABAAgAv0ABAD98gH9CwQAIABBEGohACABQRBqIQEgAkEQaiECIANBAmshAwwACwsL0gEBCXsgAf0UIQIgAiEEIAIhBSACIQYgAiEHIAIhCCACIQkgAiEKAkADQCAARQ0BIAMgAv3yASAC/fABIQMgBCAC/fIBIAL98AEhBCAFIAL98gEgAv3wASEFIAYgAv3yASAC/fABIQYgByAC/fIBIAL98AEhByAIIAL98gEgAv3wASEIIAkgAv3yASAC/fABIQkgCiAC/fIBIAL98AEhCiAAQQFrIQAMAAsLIAMgBP3wASAFIAb98AH98AEgByAI/fABIAkgCv3wAf3wAf3wAf0hAAs=',
  f32: 'AGFzbQEAAAABPwdgC39/f39/f39/f39/AGAGf39/f39/AX9gA39/fwBgBn9/f39/fwBgB39/f39/f38AYAR/f39/AGACf30BfQIPAQNlbnYGbWVtb3J5AgABAwkIAAECAwQCBQYHUAgEZ2VtbQAACXRyYW5zcG9zZQABBmRlbW90ZQACC3Byb21vdGVfYWRkAAMIbG9naXN0aWMABAVhZGQ2NAAFCG11bHRpcGx5AAYEcGVhawAHCuMOCLMFAgx/C3sgA0ECdCERIBFBAXQhEiASIBFqIRMgBEECdCEUIAZBAnQhFSABQQJ0IRZBACELAkADQCALIAdPDQFBACEMAkADQCAMIAhPDQEgACALIAFsIAxqakECdCEQIAoEQCAQ/QAEACEaIBD9AAQQIRsgECAWav0ABAAhHCAQIBZq/QAEECEdIBAgFkEBdGr9AAQAIR4gECAWQQF0av0ABBAhHyAQIBZBA2xq/QAEACEgIBAgFkEDbGr9AAQQISEF/QwAAAAAAAAAAAAAAAAAAAAAIRr9DAAAAAAAAAAAAAAAAAAAAAAhG/0MAAAAAAAAAAAAAAAAAAAAACEc/QwAAAAAAAAAAAAAAAAAAAAAIR39DAAAAAAAAAAAAAAAAAAAAAAhHv0MAAAAAAAAAAAAAAAAAAAAACEf/QwAAAAAAAAAAAAAAAAAAAAAISD9DAAAAAAAAAAAAAAAAAAAAAAhIQsgAiALIANsakECdCEOIAUgDGpBAnQhDyAJIQ0CQANAIA1FDQEgD/0ABAAhGCAP/QAEECEZIA79CQIAIRcgGiAXIBj95gH95AEhGiAbIBcgGf3mAf3kASEbIA4gEWr9CQIAIRcgHCAXIBj95gH95AEhHCAdIBcgGf3mAf3kASEdIA4gEmr9CQIAIRcgHiAXIBj95gH95AEhHiAfIBcgGf3mAf3kASEfIA4gE2r9CQIAIRcgICAXIBj95gH95AEhICAhIBcgGf3mAf3kASEhIA4gFGohDiAPIBVqIQ8gDUEBayENDAALCyAQIBr9CwQAIBAgG/0LBBAgECAWaiEQIBAgHP0LBAAgECAd/QsEECAQIBZqIRAgECAe/QsEACAQIB/9CwQQIBAgFmohECAQICD9CwQAIBAgIf0LBBAgDEEIaiEMDAALCyALQQRqIQsMAAsLC5sBAwR/AX0Cf0F/IQsgA0ECdCEMAkADQCAGIARPDQEgACAGIAFsakECdCEIIAIgBmpBAnQhCUEAIQcCQANAIAcgBU8NASAJKgIAIQogCCAKOAIAIAogCpNDAAAAAFwEQCALQQBIBEAgByAEbCAGaiELCwsgCEEBQQJ0aiEIIAkgDGohCSAHQQFqIQcMAAsLIAZBAWohBgwACwsgCwtOAAJAA0AgAkEATA0BIAAgAf0ABAD9XiAB/QAEEP1e/Q0AAQIDBAUGBxAREhMUFRYX/QsEACAAQRBqIQAgAUEgaiEBIAJBBGshAgwACwsL1QECBH8DewJAA0AgBiACTw0BIAAgBiADbEEDdGohCCABIAYgBGxBAnRqIQlBACEHAkADQCAHIANPDQEgCf0ABAAhCv0MAAAAAAAAAAAAAAAAAAAAACEL/QwAAAAAAAAAAAAAAAAAAAAAIQwgBQRAIAj9AAQAIQsgCP0ABBAhDAsgCCALIAr9X/3wAf0LBAAgCCAMIAogCv0NCAkKCwwNDg8AAQIDBAUGB/1f/fAB/QsEECAIQSBqIQggCUEQaiEJIAdBBGohBwwACwsgBkEBaiEGDAALCwuVAwIEfwZ7IANBAnQhCQJAA0AgByACTw0BIAEgB0ECdGr9CQIAIQsgByAJbCEKQQAhCAJAA0AgCCAETw0BIAAgCmr9AAQAIAv95AH94QEhDCAMQ2ZmsUL9E/3oAUOama7C/RP96QEhDCAMQzuquD/9E/3mAf1qIQ0gDCANQwCAMT/9E/3mAf3lASEOIA4gDUODgF65/RP95gH95QEhDkNnaVA5/RMhDyAPIA795gFDzkO3Ov0T/eQBIQ8gDyAO/eYBQwiJCDz9E/3kASEPIA8gDv3mAUPBqSo9/RP95AEhDyAPIA795gFDqqoqPv0T/eQBIQ8gDyAO/eYBQwAAAD/9E/3kASEPIA8gDiAO/eYB/eYBIA795AFDAACAP/0T/eQBIQ8gDyAN/fgBQf8A/RH9rgFBF/2rAf3mASEPQwAAgD/9E0MAAIA//RMgD/3kAf3nASEQIAUgCmogEP0LBAAgBiAKaiAQQwAAgD/9EyAQ/eUB/eYB/QsEACAKQRBqIQogCEEEaiEIDAALCyAHQQFqIQcMAAsLCzsAAkADQCACQQBMDQEgACAA/QAEACAB/QAEAP3wAf0LBAAgAEEQaiEAIAFBEGohASACQQJrIQIMAAsLC0IAAkADQCADQQBMDQEgACAB/QAEACAC/QAEAP3mAf0LBAAgAEEQaiEAIAFBEGohASACQRBqIQIgA0EEayEDDAALCwvSAQEJeyAB/RMhAiACIQQgAiEFIAIhBiACIQcgAiEIIAIhCSACIQoCQANAIABFDQEgAyAC/eYBIAL95AEhAyAEIAL95gEgAv3kASEEIAUgAv3mASAC/eQBIQUgBiAC/eYBIAL95AEhBiAHIAL95gEgAv3kASEHIAggAv3mASAC/eQBIQggCSAC/eYBIAL95AEhCSAKIAL95gEgAv3kASEKIABBAWshAAwACwsgAyAE/eQBIAUgBv3kAf3kASAHIAj95AEgCSAK/eQB/eQB/eQB/R8ACw==',
};

// src/wasm/runtime.ts
var ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function decodeBase64(text) {
  const clean = text.replace(/=+$/, '');
  const bytes = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    value = (value << 6) | ALPHABET.indexOf(clean[i]);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[o++] = (value >> bits) & 255;
    }
  }
  return bytes;
}
function wasmApi() {
  const api = globalThis.WebAssembly;
  if (api === void 0 || typeof api.validate !== 'function' || typeof api.Module !== 'function') return null;
  return api;
}
var modules = /* @__PURE__ */ new Map();
function gemmModuleBytes(precision) {
  return decodeBase64(GEMM_WASM_BASE64[precision]);
}
function moduleFor(precision) {
  if (modules.has(precision)) return modules.get(precision) ?? null;
  let module = null;
  const wasm = wasmApi();
  if (wasm !== null) {
    const bytes = gemmModuleBytes(precision);
    if (wasm.validate(bytes)) module = new wasm.Module(bytes);
  }
  modules.set(precision, module);
  return module;
}
function wasmSimdAvailable() {
  return moduleFor('f64') !== null;
}
function instantiate(precision, bytes) {
  const module = moduleFor(precision);
  const wasm = wasmApi();
  if (module === null || wasm === null) return null;
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  const memory = new wasm.Memory({ initial: pages });
  const instance = new wasm.Instance(module, { env: { memory } });
  return { memory, exports: instance.exports };
}
function wasmKernels(precision, elements) {
  const size = precision === 'f64' ? 8 : 4;
  const made = instantiate(precision, elements * size);
  if (made === null) return null;
  const heap =
    precision === 'f64'
      ? new Float64Array(made.memory.buffer, 0, elements)
      : new Float32Array(made.memory.buffer, 0, elements);
  const { gemm, transpose, demote, promote_add, multiply, logistic, add64 } = made.exports;
  return {
    backend: 'wasm',
    precision,
    heap,
    gemm: (c, ldc, a, ars, acs, b, ldb, m, n, k, accumulate) =>
      gemm(c, ldc, a, ars, acs, b, ldb, m, n, k, accumulate ? 1 : 0),
    transpose,
    demote,
    promoteAdd: (dst, src, rows, n, ld, add) => promote_add(dst, src, rows, n, ld, add ? 1 : 0),
    multiply,
    add64,
    logistic: logistic ?? null,
  };
}
function wasmPeak(precision) {
  const made = instantiate(precision, 65536);
  if (made === null) return null;
  const peak = made.exports.peak;
  return (rounds) => peak(rounds, 0.5);
}

// src/batch/kernels.ts
function demoteJs(buffer) {
  return (dst, src, count) => {
    new Float32Array(buffer, dst, count).set(new Float64Array(buffer, src, count));
  };
}
function promoteAddJs(buffer) {
  const f642 = new Float64Array(buffer);
  const f32 = new Float32Array(buffer);
  return (dst, src, rows, n, ld, add) => {
    const d = dst / 8;
    const s = src / 4;
    for (let j = 0; j < rows; j++)
      for (let i = 0; i < n; i++) f642[d + j * n + i] = (add ? f642[d + j * n + i] : 0) + f32[s + j * ld + i];
  };
}
function add64Js(buffer) {
  const f642 = new Float64Array(buffer);
  return (dst, src, count) => {
    const d = dst / 8;
    const s = src / 8;
    const end = Math.ceil(count / 2) * 2;
    for (let k = 0; k < end; k++) f642[d + k] += f642[s + k];
  };
}
function multiplyJs(h) {
  const size = h.BYTES_PER_ELEMENT;
  const lanes = 16 / size;
  return (dst, a, b, count) => {
    const d = dst / size;
    const x = a / size;
    const y = b / size;
    const end = Math.ceil(count / lanes) * lanes;
    for (let k = 0; k < end; k++) h[d + k] = h[x + k] * h[y + k];
  };
}
function transposeJs(h) {
  return (dst, ldd, src, lds, rows, count) => {
    let bad = -1;
    for (let i = 0; i < rows; i++) {
      const to = dst + i * ldd;
      for (let b = 0, from = src + i; b < count; b++, from += lds) {
        const v = h[from];
        if (v - v !== 0 && bad < 0) bad = b * rows + i;
        h[to + b] = v;
      }
    }
    return bad;
  };
}
function gemmJs(h, round) {
  return (c, ldc, a, ars, acs, b, ldb, m, n, k, accumulate) => {
    for (let r = 0; r < m; r += 4) {
      const pa0 = a + r * ars;
      const pa1 = pa0 + ars;
      const pa2 = pa1 + ars;
      const pa3 = pa2 + ars;
      for (let col = 0; col < n; col += 4) {
        const p0 = c + r * ldc + col;
        const p1 = p0 + ldc;
        const p2 = p1 + ldc;
        const p3 = p2 + ldc;
        let c00 = 0,
          c01 = 0,
          c02 = 0,
          c03 = 0,
          c10 = 0,
          c11 = 0,
          c12 = 0,
          c13 = 0;
        let c20 = 0,
          c21 = 0,
          c22 = 0,
          c23 = 0,
          c30 = 0,
          c31 = 0,
          c32 = 0,
          c33 = 0;
        if (accumulate) {
          c00 = h[p0];
          c01 = h[p0 + 1];
          c02 = h[p0 + 2];
          c03 = h[p0 + 3];
          c10 = h[p1];
          c11 = h[p1 + 1];
          c12 = h[p1 + 2];
          c13 = h[p1 + 3];
          c20 = h[p2];
          c21 = h[p2 + 1];
          c22 = h[p2 + 2];
          c23 = h[p2 + 3];
          c30 = h[p3];
          c31 = h[p3 + 1];
          c32 = h[p3 + 2];
          c33 = h[p3 + 3];
        }
        let pb = b + col;
        for (let kk = 0, o = 0; kk < k; kk++, o += acs, pb += ldb) {
          const a0 = h[pa0 + o],
            a1 = h[pa1 + o],
            a2 = h[pa2 + o],
            a3 = h[pa3 + o];
          const b0 = h[pb],
            b1 = h[pb + 1],
            b2 = h[pb + 2],
            b3 = h[pb + 3];
          c00 = round(c00 + round(a0 * b0));
          c01 = round(c01 + round(a0 * b1));
          c02 = round(c02 + round(a0 * b2));
          c03 = round(c03 + round(a0 * b3));
          c10 = round(c10 + round(a1 * b0));
          c11 = round(c11 + round(a1 * b1));
          c12 = round(c12 + round(a1 * b2));
          c13 = round(c13 + round(a1 * b3));
          c20 = round(c20 + round(a2 * b0));
          c21 = round(c21 + round(a2 * b1));
          c22 = round(c22 + round(a2 * b2));
          c23 = round(c23 + round(a2 * b3));
          c30 = round(c30 + round(a3 * b0));
          c31 = round(c31 + round(a3 * b1));
          c32 = round(c32 + round(a3 * b2));
          c33 = round(c33 + round(a3 * b3));
        }
        h[p0] = c00;
        h[p0 + 1] = c01;
        h[p0 + 2] = c02;
        h[p0 + 3] = c03;
        h[p1] = c10;
        h[p1 + 1] = c11;
        h[p1 + 2] = c12;
        h[p1 + 3] = c13;
        h[p2] = c20;
        h[p2 + 1] = c21;
        h[p2 + 2] = c22;
        h[p2 + 3] = c23;
        h[p3] = c30;
        h[p3 + 1] = c31;
        h[p3 + 2] = c32;
        h[p3 + 3] = c33;
      }
    }
  };
}
function gemmJs64(h) {
  return (c, ldc, a, ars, acs, b, ldb, m, n, k, accumulate) => {
    for (let r = 0; r < m; r += 4) {
      const pa0 = a + r * ars;
      const pa1 = pa0 + ars;
      const pa2 = pa1 + ars;
      const pa3 = pa2 + ars;
      for (let col = 0; col < n; col += 4) {
        const p0 = c + r * ldc + col;
        const p1 = p0 + ldc;
        const p2 = p1 + ldc;
        const p3 = p2 + ldc;
        let c00 = 0,
          c01 = 0,
          c02 = 0,
          c03 = 0,
          c10 = 0,
          c11 = 0,
          c12 = 0,
          c13 = 0;
        let c20 = 0,
          c21 = 0,
          c22 = 0,
          c23 = 0,
          c30 = 0,
          c31 = 0,
          c32 = 0,
          c33 = 0;
        if (accumulate) {
          c00 = h[p0];
          c01 = h[p0 + 1];
          c02 = h[p0 + 2];
          c03 = h[p0 + 3];
          c10 = h[p1];
          c11 = h[p1 + 1];
          c12 = h[p1 + 2];
          c13 = h[p1 + 3];
          c20 = h[p2];
          c21 = h[p2 + 1];
          c22 = h[p2 + 2];
          c23 = h[p2 + 3];
          c30 = h[p3];
          c31 = h[p3 + 1];
          c32 = h[p3 + 2];
          c33 = h[p3 + 3];
        }
        let pb = b + col;
        for (let kk = 0, o = 0; kk < k; kk++, o += acs, pb += ldb) {
          const a0 = h[pa0 + o],
            a1 = h[pa1 + o],
            a2 = h[pa2 + o],
            a3 = h[pa3 + o];
          const b0 = h[pb],
            b1 = h[pb + 1],
            b2 = h[pb + 2],
            b3 = h[pb + 3];
          c00 += a0 * b0;
          c01 += a0 * b1;
          c02 += a0 * b2;
          c03 += a0 * b3;
          c10 += a1 * b0;
          c11 += a1 * b1;
          c12 += a1 * b2;
          c13 += a1 * b3;
          c20 += a2 * b0;
          c21 += a2 * b1;
          c22 += a2 * b2;
          c23 += a2 * b3;
          c30 += a3 * b0;
          c31 += a3 * b1;
          c32 += a3 * b2;
          c33 += a3 * b3;
        }
        h[p0] = c00;
        h[p0 + 1] = c01;
        h[p0 + 2] = c02;
        h[p0 + 3] = c03;
        h[p1] = c10;
        h[p1 + 1] = c11;
        h[p1 + 2] = c12;
        h[p1 + 3] = c13;
        h[p2] = c20;
        h[p2 + 1] = c21;
        h[p2 + 2] = c22;
        h[p2 + 3] = c23;
        h[p3] = c30;
        h[p3 + 1] = c31;
        h[p3 + 2] = c32;
        h[p3 + 3] = c33;
      }
    }
  };
}
function jsKernels(precision, elements) {
  const buffer = new ArrayBuffer(elements * (precision === 'f64' ? 8 : 4));
  const demote = demoteJs(buffer);
  const promoteAdd = promoteAddJs(buffer);
  if (precision === 'f64') {
    const heap2 = new Float64Array(buffer);
    return {
      backend: 'js',
      precision,
      heap: heap2,
      gemm: gemmJs64(heap2),
      transpose: transposeJs(heap2),
      demote,
      promoteAdd,
      add64: add64Js(buffer),
      multiply: multiplyJs(heap2),
      logistic: null,
    };
  }
  const heap = new Float32Array(buffer);
  return {
    backend: 'js',
    precision,
    heap,
    gemm: gemmJs(heap, Math.fround),
    transpose: transposeJs(heap),
    demote,
    promoteAdd,
    add64: add64Js(buffer),
    multiply: multiplyJs(heap),
    logistic: null,
  };
}

// src/batch/layout.ts
var pad4 = (x) => Math.ceil(x / 4) * 4;
var pad8 = (x) => Math.ceil(x / 8) * 8;
function layOut(chain, batchSize, wide) {
  const columns = pad8(batchSize);
  const sizes = [chain.inputSize, ...chain.layers.map((l) => l.size)];
  let next = 0;
  const take = (count) => {
    const at = next;
    next += pad8(count);
    return at;
  };
  const activationsT = [];
  const activations = [];
  for (let l = 0; l < sizes.length - 1; l++) {
    activationsT.push(take(pad4(sizes[l]) * columns));
    activations.push(take(columns * pad8(sizes[l])));
  }
  const layers = chain.layers.map((layer) => {
    const statesT = take(pad4(layer.size) * columns);
    const errorsT = take(pad4(layer.size) * columns);
    const backT = take(pad4(layer.size) * columns);
    const derivativeT = take(pad4(layer.size) * columns);
    const bias = take(layer.size);
    const weight = take(pad4(layer.size) * layer.inputs + 8);
    const gradient = take(pad4(layer.size) * pad8(layer.inputs));
    const weight64 = wide === 1 ? weight : take(wide * (layer.size * layer.inputs + 8));
    const gradient64 = take(wide * (pad4(layer.size) * layer.inputs + pad8(layer.inputs) + 8));
    return { statesT, errorsT, backT, derivativeT, bias, weight, gradient, weight64, gradient64 };
  });
  const largest = Math.max(...chain.layers.map((l) => l.size * l.inputs));
  const rowScratch = take(wide * (largest + 8));
  return {
    columns,
    activationsT,
    activations,
    layers,
    rowScratch64: rowScratch / wide,
    rowScratchLength: largest + 8,
    elements: next,
  };
}

// src/batch/squash-kernels.ts
function squashLayer(kernel, squashes, bias, m, states, statesT, cols, count, derivative, to, toAt, toRow, toCol) {
  for (let j = 0; j < m; j++) {
    const from = statesT + j * cols;
    const dAt = j * cols;
    const at = toAt + j * toRow;
    const beta = bias[j];
    switch (kernel) {
      case 'LOGISTIC':
        for (let b = 0; b < count; b++) {
          const y = 1 / (1 + Math.exp(-(states[from + b] + beta)));
          to[at + b * toCol] = y;
          derivative[dAt + b] = y * (1 - y);
        }
        break;
      case 'TANH':
        for (let b = 0; b < count; b++) {
          const y = Math.tanh(states[from + b] + beta);
          to[at + b * toCol] = y;
          derivative[dAt + b] = 1 - y ** 2;
        }
        break;
      case 'IDENTITY':
        for (let b = 0; b < count; b++) {
          to[at + b * toCol] = states[from + b] + beta;
          derivative[dAt + b] = 1;
        }
        break;
      case 'HLIM':
        for (let b = 0; b < count; b++) {
          to[at + b * toCol] = states[from + b] + beta > 0 ? 1 : 0;
          derivative[dAt + b] = 1;
        }
        break;
      case 'RELU':
        for (let b = 0; b < count; b++) {
          const sum = states[from + b] + beta;
          to[at + b * toCol] = sum > 0 ? sum : 0;
          derivative[dAt + b] = sum > 0 ? 1 : 0;
        }
        break;
      default: {
        const custom = squashes[j];
        for (let b = 0; b < count; b++) {
          const sum = states[from + b] + beta;
          to[at + b * toCol] = custom(sum);
          derivative[dAt + b] = custom(sum, true);
        }
      }
    }
  }
}

// src/batch/topology.ts
import { DENSE as DENSE4, squash as squash3, SynapticError as SynapticError2 } from '@synaptic/core';
var BatchUnsupportedError = class extends SynapticError2 {
  name = 'BatchUnsupportedError';
};
function fail(problem) {
  throw new BatchUnsupportedError(
    `compileBatch: ${problem}; batched execution runs layered networks (dense ALL_TO_ALL projections from each layer to the next, no gates, no self-connections); use compile() or the network itself for this one`,
  );
}
function squashKernel(fns) {
  const first = fns[0];
  if (!fns.every((f) => f === first)) return 'CUSTOM';
  for (const name of ['LOGISTIC', 'TANH', 'IDENTITY', 'HLIM', 'RELU']) if (squash3[name] === first) return name;
  return 'CUSTOM';
}
function checkUnit(unit, where) {
  if (unit.store.selfWeight[unit.index] !== 0) fail(`${where} has a self-connection`);
  if (unit.selfGater !== null || unit.gatedGroups.length > 0) fail(`${where} gates a connection`);
}
function readDenseChain(network) {
  const { input, hidden, output } = network.layers;
  if (input === null || output === null) fail('the network has no input or output layer');
  const all = [input, ...hidden, output];
  all.forEach((layer, l) => {
    const op = layer.opsIn[0] ?? layer.opsOut[0];
    if (op !== void 0)
      fail(
        `${l === 0 ? 'the input layer' : l === all.length - 1 ? 'the output layer' : `hidden layer ${l - 1}`} is joined by a layer-level projection (${op.kind}), which batched execution does not run yet`,
      );
  });
  input.list.forEach((unit, k) => {
    checkUnit(unit, `input unit ${k}`);
    if (unit.inputs.length > 0) fail(`input unit ${k} has incoming connections`);
  });
  const layers = [];
  for (let l = 1; l < all.length; l++) {
    const previous = all[l - 1].list;
    const units = all[l].list;
    const name = l === all.length - 1 ? 'the output layer' : `hidden layer ${l - 1}`;
    if (units.length === 0) fail(`${name} is empty`);
    const fn = all[l].layerFunction;
    if (fn !== null && (fn.learnable || all[l].groupSize() !== units.length))
      fail(
        `${name} runs ${fn.learnable ? fn.name : `${fn.name} over groups`} (compile() runs it; compileBatch does not yet)`,
      );
    const block = units[0].inputs[0]?.block;
    if (block === void 0) fail(`${name} has no connections from the layer before it`);
    if (block.kind !== DENSE4 || block.skipDiagonal || block.selfDiagonal)
      fail(`${name} is not projected ALL_TO_ALL from the layer before it`);
    if (block.to.length !== units.length || block.from.length !== previous.length)
      fail(`${name}'s projection does not join the whole layer before it to the whole layer`);
    if (block.gater?.some((g) => g !== null)) fail(`a connection into ${name} is gated`);
    const store = units[0].store;
    units.forEach((unit, j) => {
      checkUnit(unit, `unit ${j} of ${name}`);
      const seg = unit.inputs[0];
      if (unit.inputs.length !== 1 || seg.block !== block || seg.a !== j)
        fail(`unit ${j} of ${name} has connections other than from the layer before it`);
      if (block.to[j] !== unit) fail(`${name}'s projection does not join the whole layer before it to the whole layer`);
      if (unit.store !== store || unit.index !== units[0].index + j)
        fail(`${name}'s units are not stored together (the layer was assembled from other layers' units)`);
    });
    previous.forEach((unit, i) => {
      if (block.from[i] !== unit)
        fail(`${name}'s projection does not join the whole layer before it to the whole layer`);
    });
    const m = units.length;
    const n = previous.length;
    const first = units[0].index;
    const gradient = block.ensureGradient();
    const biasGradient = (store.biasGradient ??= new Float64Array(store.size));
    const squashes = units.map((u) => u.store.squash[u.index]);
    layers.push({
      block,
      size: m,
      inputs: n,
      weight: block.weight.subarray(0, m * n),
      weightGradient: gradient.subarray(0, m * n),
      weightFixed: block.fixed ? block.fixed.subarray(0, m * n) : null,
      bias: store.bias.subarray(first, first + m),
      biasGradient: biasGradient.subarray(first, first + m),
      biasFixed: store.biasFixed ? store.biasFixed.subarray(first, first + m) : null,
      layerFunction: all[l].layerFunction,
      squash: all[l].layerFunction ? 'CUSTOM' : squashKernel(squashes),
      squashes,
    });
  }
  return { inputSize: input.list.length, layers };
}

// src/batch/batch.ts
var GUARD = 1e-15;
function checkOptions(options) {
  if (options === null || typeof options !== 'object')
    throw new InvalidArgumentError('compileBatch: options must be an object such as { batchSize: 32 }');
  const { batchSize, precision = 'f64', backend = 'auto' } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 65536)
    throw new InvalidArgumentError(
      `compileBatch: batchSize must be an integer from 1 to 65536, got ${String(batchSize)}`,
    );
  if (precision !== 'f64' && precision !== 'f32')
    throw new InvalidArgumentError(`compileBatch: precision must be 'f64' or 'f32', got ${String(precision)}`);
  if (backend !== 'auto' && backend !== 'wasm' && backend !== 'js')
    throw new InvalidArgumentError(`compileBatch: backend must be 'auto', 'wasm' or 'js', got ${String(backend)}`);
  return { batchSize, precision, backend };
}
var CompiledBatch = class {
  constructor(network, options) {
    this.network = network;
    const checked = checkOptions(options);
    this.batchSize = checked.batchSize;
    this.precision = checked.precision;
    this.requested = checked.backend;
    this.built = this.build();
  }
  network;
  batchSize;
  precision;
  requested;
  built;
  /** samples in the last forward; 0 before the first */
  count = 0;
  /** 'wasm' or 'js': which kernels run. */
  get backend() {
    return this.built.kernels.backend;
  }
  get inputSize() {
    return this.built.chain.inputSize;
  }
  get outputSize() {
    const layers = this.built.chain.layers;
    return layers[layers.length - 1].size;
  }
  build() {
    const found = readDenseChain(this.network);
    const wide = this.precision === 'f64' ? 1 : 2;
    const layout = layOut(found, this.batchSize, wide);
    let kernels = null;
    if (this.requested !== 'js') kernels = wasmKernels(this.precision, layout.elements);
    if (kernels === null && this.requested === 'wasm')
      throw new InvalidArgumentError(
        "compileBatch: backend 'wasm' needs WebAssembly SIMD, which is not available here",
      );
    kernels ??= jsKernels(this.precision, layout.elements);
    const buffer = kernels.heap.buffer;
    const adopted = found.layers.map((layer, l) => {
      const block = layer.block;
      if (block.tiedTo !== null || (block.ties !== null && block.ties.length > 0)) return null;
      const slots = layout.layers[l];
      const count = layer.size * layer.inputs;
      const weight = new Float64Array(buffer, (slots.weight64 * 8) / wide, count);
      const gradient = new Float64Array(buffer, (slots.gradient64 * 8) / wide, count);
      weight.set(block.weight.subarray(0, count));
      gradient.set(block.ensureGradient().subarray(0, count));
      block.weight = weight;
      block.gradient = gradient;
      return { weight, gradient };
    });
    bumpStructure(
      ...new Set(found.layers.filter((_, l) => adopted[l] !== null).map((layer) => layer.block.to[0].store)),
    );
    const chain = readDenseChain(this.network);
    const derivatives = chain.layers.map((l) => new Float64Array(l.size * layout.columns));
    const output = new Float64Array(this.batchSize * chain.layers[chain.layers.length - 1].size);
    const widest = Math.max(chain.inputSize, ...chain.layers.map((l) => l.size));
    const scratch = Array.from({ length: 3 }, () => new Float64Array(widest));
    const top = chain.layers[chain.layers.length - 1].size;
    const costRows = { t: new Array(top).fill(0), y: new Array(top).fill(0) };
    return {
      version: this.network.structureVersion(),
      chain,
      layout,
      kernels,
      derivatives,
      heapDerivative: chain.layers.map(() => false),
      output,
      scratch,
      costRows,
      adopted,
    };
  }
  /** The current build; rebuilt when the network's structure has changed since. */
  current() {
    if (this.network.structureVersion() !== this.built.version) {
      this.built = this.build();
      this.count = 0;
    }
    return this.built;
  }
  /**
   * Runs `inputs` (count × inputSize numbers, sample after sample, 1 ≤ count ≤ batchSize)
   * forward. Returns the outputs, count × outputSize, in an array this batch reuses on the next
   * call. Reads the network's current weights and biases. `onChecked`, if given, is called once
   * every input is known to be finite, before any layer runs (parallelBatch's workers say so).
   */
  forward(inputs, onChecked) {
    const built = this.current();
    const { chain, layout, kernels, derivatives } = built;
    const h = kernels.heap;
    const n0 = chain.inputSize;
    if (inputs === null || typeof inputs !== 'object' || typeof inputs.length !== 'number')
      throw new InvalidArgumentError('batch forward: inputs must be an array of numbers (samples one after another)');
    const count = inputs.length / n0;
    if (!Number.isInteger(count) || count < 1 || count > this.batchSize)
      throw new SizeMismatchError(
        `batch forward inputs (from 1 to ${this.batchSize} samples of ${n0})`,
        n0 * Math.min(this.batchSize, Math.max(1, Math.round(count) || 1)),
        inputs.length,
      );
    this.count = 0;
    const cols = layout.columns;
    const width = pad8(count);
    const xt = layout.activationsT[0];
    const x = layout.activations[0];
    const ld0 = pad8(n0);
    if (ld0 === n0 && ArrayBuffer.isView(inputs)) h.set(inputs, x);
    else for (let b = 0; b < count; b++) for (let i = 0; i < n0; i++) h[x + b * ld0 + i] = inputs[b * n0 + i];
    const bad = kernels.transpose(xt, cols, x, ld0, n0, count);
    if (bad >= 0)
      throw new InvalidValueError(
        `batch forward input ${bad % n0} of sample ${Math.floor(bad / n0)}${this.precision === 'f32' && Number.isFinite(inputs[bad]) ? ' (as a float32)' : ''}`,
        inputs[bad],
      );
    onChecked?.();
    const last = chain.layers.length - 1;
    chain.layers.forEach((layer, l) => {
      const slots = layout.layers[l];
      const m = layer.size;
      const n = layer.inputs;
      const block = layer.block;
      if (block.weight !== built.adopted[l]?.weight) h.set(block.weight.subarray(0, m * n), slots.weight);
      else if (this.precision === 'f32') kernels.demote(slots.weight * 4, slots.weight64 * 4, m * n);
      kernels.gemm(slots.statesT, cols, slots.weight, n, 1, layout.activationsT[l], cols, pad4(m), width, n, false);
      const isOutput = l === last;
      const yt = isOutput ? null : h;
      const ytAt = isOutput ? 0 : layout.activationsT[l + 1];
      const rows = isOutput ? 0 : layout.activations[l + 1];
      const ld = pad8(m);
      const d = derivatives[l];
      if (layer.layerFunction !== null) {
        const fn = layer.layerFunction;
        const [s, y, dd] = built.scratch;
        for (let b = 0; b < count; b++) {
          for (let j = 0; j < m; j++) s[j] = h[slots.statesT + j * cols + b] + layer.bias[j];
          fn.forward(s, y, dd, m);
          for (let j = 0; j < m; j++) {
            if (yt !== null) {
              h[ytAt + j * cols + b] = y[j];
              h[rows + b * ld + j] = y[j];
            } else built.output[b * m + j] = y[j];
            d[j * cols + b] = dd[j];
          }
        }
      } else if (yt !== null) {
        const fused = layer.squash === 'LOGISTIC' && kernels.logistic !== null;
        if (fused) {
          for (let j = 0; j < m; j++) h[slots.bias + j] = layer.bias[j];
          kernels.logistic?.(slots.statesT * 4, slots.bias * 4, m, cols, count, ytAt * 4, slots.derivativeT * 4);
        } else
          squashLayer(layer.squash, layer.squashes, layer.bias, m, h, slots.statesT, cols, count, d, h, ytAt, cols, 1);
        built.heapDerivative[l] = fused;
        kernels.transpose(rows, ld, ytAt, cols, count, m);
      } else {
        const o = built.output;
        squashLayer(layer.squash, layer.squashes, layer.bias, m, h, slots.statesT, cols, count, d, o, 0, 1, m);
      }
    });
    const out = built.output.subarray(0, count * this.outputSize);
    for (let k = 0; k < out.length; k++) {
      if (!Number.isFinite(out[k]))
        throw new InvalidValueError(
          `batch forward output ${k % this.outputSize} of sample ${Math.floor(k / this.outputSize)}`,
          out[k],
        );
    }
    this.count = count;
    return out;
  }
  /**
   * gradient[k] += row[k] for every k, where `gradient` is a parameter's gradient of this batch's
   * network (parallelBatch adds another thread's chunk with it): through the kernels when the
   * gradient lives in their heap (the adopted weight gradients), else in JavaScript. Same sums,
   * same order, either way.
   */
  addToGradient(gradient, row) {
    const { kernels, layout } = this.built;
    const buffer = kernels.heap.buffer;
    const length = gradient.length;
    if (gradient.buffer === buffer && gradient.byteOffset % 16 === 0 && length + 1 <= layout.rowScratchLength) {
      const scratch = new Float64Array(buffer, layout.rowScratch64 * 8, length + 1);
      scratch.set(row);
      scratch[length] = 0;
      kernels.add64(gradient.byteOffset, layout.rowScratch64 * 8, length);
    } else for (let k = 0; k < length; k++) gradient[k] += row[k];
  }
  /**
   * After `forward(inputs)`: adds ∂E/∂θ summed over its samples to every parameter's gradient
   * (the arrays of `network.parameters()`), fixed entries left alone. `targets` holds count ×
   * outputSize numbers. Returns E summed over the samples.
   */
  backward(targets, options = {}) {
    if (options === null || typeof options !== 'object')
      throw new InvalidArgumentError('batch backward: options must be an object such as { cost: cost.MSE }');
    const count = this.count;
    if (count === 0 || this.network.structureVersion() !== this.built.version)
      throw new InvalidArgumentError('batch backward: call forward(inputs) first (and after any change of structure)');
    const costFn = options.cost ?? costs.MSE;
    const add = options.accumulate ?? true;
    if (typeof add !== 'boolean')
      throw new InvalidArgumentError(`batch backward: accumulate must be true or false, got ${String(add)}`);
    if (typeof costFn !== 'function' || typeof costFn.gradient !== 'function')
      throw new InvalidArgumentError(
        'batch backward: `cost` must be a cost function with a gradient, such as cost.MSE',
      );
    const { chain, layout, kernels, derivatives, output, scratch } = this.built;
    const h = kernels.heap;
    const cols = layout.columns;
    const L = chain.layers.length;
    const top = chain.layers[L - 1];
    const m = top.size;
    if (targets === null || typeof targets !== 'object' || targets.length !== count * m)
      throw new SizeMismatchError(`batch backward targets (${count} samples of ${m})`, count * m, targets?.length);
    const [dEdy, yv, into] = scratch.map((row) => row.subarray(0, m));
    const { t, y } = this.built.costRows;
    const softmax = top.layerFunction;
    const categorical = softmax?.name === 'SOFTMAX' && costFn === costs.CROSS_ENTROPY;
    const dTop = derivatives[L - 1];
    const eTop = layout.layers[L - 1].errorsT;
    let error = 0;
    for (let b = 0; b < count; b++) {
      let total = 0;
      for (let k = 0; k < m; k++) {
        const v = targets[b * m + k];
        if (!Number.isFinite(v)) throw new InvalidValueError(`batch backward target ${k} of sample ${b}`, v);
        t[k] = v;
        y[k] = output[b * m + k];
        total += v;
      }
      if (categorical) {
        for (let k = 0; k < m; k++) {
          error -= t[k] * Math.log(y[k] + GUARD);
          into[k] = y[k] * total - t[k];
        }
      } else {
        error += costFn(t, y);
        costFn.gradient(t, y, dEdy);
        if (softmax !== null) {
          for (let k = 0; k < m; k++) yv[k] = y[k];
          softmax.backward(yv, dEdy, into, m);
        } else for (let k = 0; k < m; k++) into[k] = dTop[k * cols + b] * dEdy[k];
      }
      for (let k = 0; k < m; k++) {
        if (!Number.isFinite(into[k]))
          throw new InvalidValueError(
            `batch backward: the cost's gradient at output ${k} of sample ${b} (output ${y[k]})`,
            into[k],
          );
        h[eTop + k * cols + b] = into[k];
      }
    }
    const width = pad8(count);
    for (let l = L - 1; l >= 0; l--) {
      const layer = chain.layers[l];
      const slots = layout.layers[l];
      const rows = layer.size;
      const n = layer.inputs;
      const ldIn = pad8(n);
      const block = layer.block;
      const owned = block.gradient === this.built.adopted[l]?.gradient && block.fixed === null;
      if (owned && this.precision === 'f64') {
        if (!add) block.ensureGradient().fill(0, 0, rows * n);
        kernels.gemm(
          slots.gradient64,
          n,
          slots.errorsT,
          cols,
          1,
          layout.activations[l],
          ldIn,
          pad4(rows),
          ldIn,
          count,
          true,
        );
      } else {
        kernels.gemm(
          slots.gradient,
          ldIn,
          slots.errorsT,
          cols,
          1,
          layout.activations[l],
          ldIn,
          pad4(rows),
          ldIn,
          count,
          false,
        );
        if (owned) kernels.promoteAdd(slots.gradient64 * 4, slots.gradient * 4, rows, n, ldIn, add);
        else addGradient(h, slots.gradient, ldIn, rows, n, block.ensureGradient(), block.fixed, add);
      }
      for (let j = 0; j < rows; j++) {
        if (layer.biasFixed !== null && layer.biasFixed[j] === 1) continue;
        let sum = 0;
        for (let b = 0, at = slots.errorsT + j * cols; b < count; b++) sum += h[at + b];
        layer.biasGradient[j] = (add ? layer.biasGradient[j] : 0) + sum;
      }
      if (l === 0) break;
      const below = chain.layers[l - 1];
      const back = layout.layers[l - 1];
      kernels.gemm(back.backT, cols, slots.weight, 1, n, slots.errorsT, cols, pad4(n), width, rows, false);
      const d = derivatives[l - 1];
      if (below.layerFunction !== null) {
        const [e, act, res] = scratch;
        const yt = layout.activationsT[l];
        for (let b = 0; b < count; b++) {
          for (let i = 0; i < n; i++) {
            e[i] = h[back.backT + i * cols + b];
            act[i] = h[yt + i * cols + b];
          }
          below.layerFunction.backward(act, e, res, n);
          for (let i = 0; i < n; i++) h[back.errorsT + i * cols + b] = res[i];
        }
      } else if (this.built.heapDerivative[l - 1]) {
        const size = h.BYTES_PER_ELEMENT;
        kernels.multiply(back.errorsT * size, back.derivativeT * size, back.backT * size, n * cols);
      } else {
        for (let i = 0; i < n; i++) {
          const at = i * cols;
          for (let b = 0; b < count; b++) h[back.errorsT + at + b] = d[at + b] * h[back.backT + at + b];
        }
      }
    }
    return error;
  }
};
function addGradient(h, at, ld, rows, n, gradient, fixed, add) {
  for (let j = 0; j < rows; j++) {
    const from = at + j * ld;
    const to = j * n;
    for (let i = 0; i < n; i++)
      if (fixed === null || fixed[to + i] === 0) gradient[to + i] = (add ? gradient[to + i] : 0) + h[from + i];
  }
}
function compileBatch(network, options) {
  return new CompiledBatch(network, options);
}

// src/batch/parallel.ts
import {
  builtInCostName,
  cost as costs3,
  InvalidArgumentError as InvalidArgumentError2,
  InvalidValueError as InvalidValueError2,
  Network,
  SizeMismatchError as SizeMismatchError2,
  SynapticError as SynapticError3,
} from '@synaptic/core';

// src/batch/chunks.ts
import { cost as costs2 } from '@synaptic/core';

// src/batch/parallel-protocol.ts
var Control = {
  /** the step's number (15 bits, wrapping); bumped, then notified, to start a step; STOP_STEP stops the workers */
  STEP: 0,
  /** (step << 16) | the next chunk to claim: claimed by compare-and-exchange, so a late thread cannot claim a chunk of a step it has not read */
  NEXT: 1,
  /** chunks after chunk 0 finished (or given up after a failure); notified when it reaches CHUNKS − 1 */
  DONE: 2,
  /** 1 when a chunk of this step failed (its thread has posted a `failed` message) */
  FAILED: 3,
  /** the step: its samples, chunks, the most samples of a chunk, and its cost (index into COST_NAMES) */
  COUNT: 4,
  CHUNKS: 5,
  CHUNK_SIZE: 6,
  COST: 7,
  /** chunks after chunk 0 whose inputs a worker's forward has found finite */
  CHECKED: 9,
  /** workers asleep in Atomics.wait on STEP (the caller notifies only when there are some) */
  SLEEPING: 8,
  SLOTS: 10,
};
var STOP_STEP = -1;

// src/batch/chunks.ts
var COST_NAMES = Object.keys(costs2);
function allocateShared(total, batchSize, n, m, chunks) {
  return {
    control: new SharedArrayBuffer(Control.SLOTS * 4),
    values: new SharedArrayBuffer(total * 8),
    gradients: new SharedArrayBuffer(chunks * total * 8),
    errors: new SharedArrayBuffer(chunks * 8),
    samples: new SharedArrayBuffer((n + m) * batchSize * 8),
  };
}
function sharedViews(buffers, total, batchSize, n, m) {
  return {
    control: new Int32Array(buffers.control),
    values: new Float64Array(buffers.values),
    gradients: new Float64Array(buffers.gradients),
    errors: new Float64Array(buffers.errors),
    inputs: new Float64Array(buffers.samples, 0, batchSize * n),
    targets: new Float64Array(buffers.samples, batchSize * n * 8, batchSize * m),
    total,
  };
}
var SPIN_MS = 1;
function spinWhile(control, slot, value, ms) {
  const until = performance.now() + ms;
  for (let k = 1; ; k++) {
    const now = Atomics.load(control, slot);
    if (now !== value) return now;
    if ((k & 255) === 0 && performance.now() > until) return now;
  }
}
var tagged = (tag, chunk) => (tag << 16) | chunk;
function claim(control, step) {
  for (;;) {
    const next = Atomics.load(control, Control.NEXT);
    if (next >>> 16 !== step.tag) return -1;
    const c = next & 65535;
    if (c >= step.chunks) return -1;
    if (Atomics.compareExchange(control, Control.NEXT, next, tagged(step.tag, c + 1)) === next) return c;
  }
}
function finished(control, step, chunks = 1) {
  if (Atomics.add(control, Control.DONE, chunks) + chunks >= step.chunks - 1) Atomics.notify(control, Control.DONE);
}
function giveUp(control, step, own) {
  Atomics.store(control, Control.FAILED, 1);
  const before = Atomics.exchange(control, Control.NEXT, tagged(step.tag, step.chunks));
  const unclaimed = before >>> 16 === step.tag ? Math.max(0, step.chunks - Math.max(1, before & 65535)) : 0;
  finished(control, step, unclaimed + (own ? 1 : 0));
}
function runChunks(batch, views, step) {
  const { inputSize: n, outputSize: m } = batch;
  const { control } = views;
  let parameters = null;
  for (;;) {
    const c = claim(control, step);
    if (c < 0) return;
    const from = c * step.chunkSize;
    const to = Math.min(step.count, from + step.chunkSize);
    try {
      if (parameters === null) {
        parameters = batch.network.parameters();
        let at2 = 0;
        for (const p of parameters) {
          p.value.set(views.values.subarray(at2, at2 + p.value.length));
          at2 += p.value.length;
        }
      }
      batch.forward(views.inputs.subarray(from * n, to * n), () => Atomics.add(control, Control.CHECKED, 1));
      views.errors[c] = batch.backward(views.targets.subarray(from * m, to * m), {
        cost: step.cost,
        accumulate: false,
      });
      let at = c * views.total;
      for (const p of parameters) {
        views.gradients.set(p.gradient, at);
        at += p.gradient.length;
      }
    } catch (error) {
      if (error instanceof Error) error.message = `samples ${from} to ${to - 1} of the batch: ${error.message}`;
      giveUp(control, step, true);
      throw error;
    }
    finished(control, step);
  }
}

// src/batch/parallel.ts
var BatchWorkerError = class extends SynapticError3 {
  name = 'BatchWorkerError';
};
var PoolEvents = class {
  /** why chunks failed, by step number (the latest step's only: older ones are dropped) */
  failures = /* @__PURE__ */ new Map();
  broken = null;
  waiting = null;
  /** a worker posted `failed` */
  failed(step, message) {
    this.failures.clear();
    this.failures.set(step, message);
    this.wake();
  }
  died(error) {
    this.broken ??= error;
    this.wake();
  }
  /** the error to throw for a failed step (a thread's death, else the first reason posted) */
  failure(step) {
    if (this.broken !== null) return this.broken;
    return new BatchWorkerError(`a worker of parallelBatch failed: ${this.failures.get(step) ?? 'no reason given'}`);
  }
  /** resolves once the failure of `step` (or a thread's death) is known */
  async until(step) {
    while (!this.failures.has(step) && this.broken === null) await this.next();
  }
  /** resolves at the next failure or death */
  next() {
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }
  wake() {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }
};
var CHUNKS_PER_THREAD = 1;
function defaultWorkerUrl() {
  const file = true ? './batch-worker.js' : './batch-worker.js';
  return new URL(file, import.meta.url);
}
function costName(fn) {
  const known = builtInCostName(fn);
  if (known !== null || typeof fn !== 'function' || typeof fn.gradient !== 'function') return known;
  const name = fn.name;
  if (!Object.hasOwn(costs3, name)) return null;
  const builtIn = costs3[name];
  if (typeof builtIn.gradient !== 'function') return null;
  const t = [0, 1, 0.25];
  const y = [0.375, 0.5, 0.875];
  const a = new Float64Array(3);
  const b = new Float64Array(3);
  fn.gradient(t, y, a);
  builtIn.gradient(t, y, b);
  return fn(t, y) === builtIn(t, y) && a.every((v, k) => v === b[k]) ? name : null;
}
function copyChecked(into, source2, from, to) {
  for (let k = from; k < to; k++) {
    const v = +source2[k];
    into[k - from] = v;
    if (v - v !== 0) return k;
  }
  return -1;
}
function firstBad(values, from, to, f32) {
  for (let k = from; k < to; k++) {
    const v = values[k];
    if (v - v !== 0 || (f32 && Math.fround(v) - Math.fround(v) !== 0)) return k;
  }
  return -1;
}
var STEP_TAGS = 32767;
var WAIT_SLICE_MS = 20;
var ParallelBatch = class {
  constructor(network, batchSize, local, spare, workers, views, events) {
    this.network = network;
    this.batchSize = batchSize;
    this.local = local;
    this.spare = spare;
    this.workers = workers;
    this.views = views;
    this.events = events;
  }
  network;
  batchSize;
  local;
  spare;
  workers;
  views;
  events;
  closed = false;
  step = 0;
  get threads() {
    return this.workers.length + 1;
  }
  /**
   * Runs `inputs` (count × n, count ≤ batchSize) forward and backward against `targets` and adds
   * the gradient summed over the samples to the network's parameter gradients. Resolves to E
   * summed over the samples. A bad input or target is refused before any gradient changes.
   */
  async backward(inputs, targets, options = {}) {
    const T = (globalThis.__T ??= { n: 0, took: 0, unchecked: 0 });
    const P = (k, v) => (T[k] ??= []).push(v);
    T.n++;
    const _t0 = performance.now();
    if (this.closed) throw new InvalidArgumentError2('parallel batch: closed');
    if (this.events.broken !== null) throw this.events.broken;
    const fn = options.cost ?? costs3.MSE;
    const name = costName(fn);
    if (name === null)
      throw new InvalidArgumentError2(
        'parallel batch: the cost must be a built-in one (cost.MSE, cost.CROSS_ENTROPY) so workers can use it',
      );
    const n = this.local.inputSize;
    const m = this.local.outputSize;
    const count = inputs.length / n;
    if (!Number.isInteger(count) || count < 1 || count > this.batchSize)
      throw new SizeMismatchError2(
        `parallel batch inputs (1 to ${this.batchSize} samples of ${n})`,
        n * this.batchSize,
        inputs.length,
      );
    if (targets.length !== count * m)
      throw new SizeMismatchError2(`parallel batch targets (${count} samples of ${m})`, count * m, targets.length);
    const { views } = this;
    const control = views.control;
    const chunkSize = this.local.batchSize;
    const chunks = Math.ceil(count / chunkSize);
    const first = Math.min(count, chunkSize);
    const badTarget = copyChecked(views.targets.subarray(first * m), targets, first * m, count * m);
    if (badTarget >= 0)
      throw new InvalidValueError2(
        `parallel batch target ${badTarget % m} of sample ${Math.floor(badTarget / m)}`,
        targets[badTarget],
      );
    const typed = inputs instanceof Float64Array && targets instanceof Float64Array;
    if (typed) views.inputs.set(inputs.subarray(first * n, count * n), first * n);
    else {
      for (let k = 0; k < count * n; k++) views.inputs[k] = +inputs[k];
      for (let k = 0; k < first * m; k++) views.targets[k] = +targets[k];
    }
    const ownInputs = typed ? inputs.subarray(0, first * n) : views.inputs.subarray(0, first * n);
    const ownTargets = typed ? targets.subarray(0, first * m) : views.targets.subarray(0, first * m);
    const parameters = this.network.parameters();
    if (chunks > 1) {
      let at = 0;
      for (const p of parameters) {
        views.values.set(p.value, at);
        at += p.value.length;
      }
    }
    this.step = (this.step % STEP_TAGS) + 1;
    const tag = this.step;
    Atomics.store(control, Control.COUNT, count);
    Atomics.store(control, Control.CHUNKS, chunks);
    Atomics.store(control, Control.CHUNK_SIZE, chunkSize);
    Atomics.store(control, Control.COST, COST_NAMES.indexOf(name));
    Atomics.store(control, Control.DONE, 0);
    Atomics.store(control, Control.FAILED, 0);
    Atomics.store(control, Control.CHECKED, 0);
    Atomics.store(control, Control.NEXT, (tag << 16) | 1);
    Atomics.store(control, Control.STEP, tag);
    if (chunks > 1 && Atomics.load(control, Control.SLEEPING) > 0) Atomics.notify(control, Control.STEP);
    const step = { tag, count, chunks, chunkSize, cost: fn };
    let failed = null;
    const _t1 = performance.now();
    P('pre', _t1 - _t0);
    let error = 0;
    try {
      const q0 = performance.now();
      this.local.forward(ownInputs);
      P('mainfwd', performance.now() - q0);
      const unchecked =
        Atomics.load(control, Control.CHECKED) < chunks - 1 || Atomics.load(control, Control.FAILED) === 1;
      if (unchecked) T.unchecked++;
      const bad = unchecked ? firstBad(views.inputs, first * n, count * n, this.local.precision === 'f32') : -1;
      if (bad >= 0)
        throw new InvalidValueError2(
          `parallel batch input ${bad % n} of sample ${Math.floor(bad / n)}`,
          views.inputs[bad],
        );
      const q1 = performance.now();
      error = this.local.backward(ownTargets, { cost: fn });
      P('mainbwd', performance.now() - q1);
    } catch (thrown) {
      giveUp(control, step, false);
      failed = thrown;
    }
    const _t2 = performance.now();
    P('local', _t2 - _t1);
    const c0 = control[1] & 0xffff;
    if (failed === null)
      try {
        runChunks(this.spare, views, step);
      } catch (thrown) {
        failed = thrown;
      }
    const _t3 = performance.now();
    P('spare', _t3 - _t2);
    if ((control[1] & 0xffff) > c0) T.took++;
    await this.finish(step);
    const _t4 = performance.now();
    P('wait', _t4 - _t3);
    if (failed !== null) throw failed;
    if (Atomics.load(control, Control.FAILED) === 1) {
      await this.events.until(tag);
      throw this.events.failure(tag);
    }
    for (let c = 1; c < chunks; c++) error += views.errors[c];
    addRows(this.local, parameters, views.gradients, views.total, chunks);
    P('reduce', performance.now() - _t4);
    P('total', performance.now() - _t0);
    return error;
  }
  /** Until every chunk after chunk 0 is finished; between slices of waiting the event loop runs (a worker's death is an event). */
  async finish(step) {
    const control = this.views.control;
    const last = step.chunks - 1;
    let done = Atomics.load(control, Control.DONE);
    if (done < last) done = spinWhile(control, Control.DONE, done, SPIN_MS);
    for (;;) {
      if (done >= last) return;
      if (Atomics.wait(control, Control.DONE, done, WAIT_SLICE_MS) === 'timed-out') {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.events.broken !== null) throw this.events.failure(step.tag);
      }
      done = Atomics.load(control, Control.DONE);
    }
  }
  /** Stops the worker threads. */
  async close() {
    if (!this.closed) {
      this.closed = true;
      Atomics.store(this.views.control, Control.STEP, STOP_STEP);
      Atomics.notify(this.views.control, Control.STEP);
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
};
function addRows(local, parameters, rows, stride, chunks) {
  let from = 0;
  for (const p of parameters) {
    const g = p.gradient;
    const length = g.length;
    if (chunks === 2) local.addToGradient(g, rows.subarray(from + stride, from + stride + length));
    else {
      for (let k = 0; k < length; k++) {
        let sum = g[k];
        for (let c = 1, at = from + k + stride; c < chunks; c++, at += stride) sum += rows[at];
        g[k] = sum;
      }
    }
    from += length;
  }
}
async function parallelBatch(network, options) {
  const threads = options.threads ?? 2;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64)
    throw new InvalidArgumentError2(`parallelBatch: threads must be an integer from 1 to 64, got ${String(threads)}`);
  const chunkSize = Math.ceil(options.batchSize / (threads * CHUNKS_PER_THREAD));
  const json = network.toJSON();
  const local = compileBatch(network, { ...options, batchSize: chunkSize });
  const spare = compileBatch(Network.fromJSON(json), { ...options, batchSize: chunkSize });
  let WorkerClass;
  try {
    ({ Worker: WorkerClass } = await import('worker_threads'));
  } catch (error) {
    throw new BatchWorkerError(`parallelBatch needs Node.js worker_threads: ${String(error)}`);
  }
  const total = network.parameters().reduce((s, p) => s + p.value.length, 0);
  const chunks = Math.ceil(options.batchSize / chunkSize);
  const buffers = allocateShared(total, options.batchSize, local.inputSize, local.outputSize, chunks);
  const views = sharedViews(buffers, total, options.batchSize, local.inputSize, local.outputSize);
  const url = options.workerUrl ?? defaultWorkerUrl();
  const events = new PoolEvents();
  const workers = [];
  const starting = [];
  for (let w = 1; w < threads; w++) {
    let worker;
    try {
      worker = new WorkerClass(url);
    } catch (error) {
      await Promise.all(workers.map((s) => s.terminate()));
      throw new BatchWorkerError(`parallelBatch could not start a worker (${String(url)}): ${String(error)}`);
    }
    starting.push(
      new Promise((resolve, reject) => {
        let ready = false;
        worker.on('message', (message) => {
          if (message.type === 'ready') {
            ready = true;
            resolve();
          } else if (ready) events.failed(message.step, message.message);
          else reject(new BatchWorkerError(`a worker of parallelBatch could not start: ${message.message}`));
        });
        worker.on('error', (error) => {
          const failure = new BatchWorkerError(`a worker of parallelBatch failed (${String(url)}): ${error.message}`);
          if (ready) events.died(failure);
          else reject(failure);
        });
      }),
    );
    worker.postMessage({
      type: 'start',
      network: json,
      chunkSize,
      batchSize: options.batchSize,
      precision: options.precision ?? 'f64',
      backend: options.backend ?? 'auto',
      buffers,
    });
    workers.push(worker);
  }
  try {
    await Promise.all(starting);
  } catch (error) {
    await Promise.all(workers.map((s) => s.terminate()));
    throw error;
  }
  return new ParallelBatch(network, options.batchSize, local, spare, workers, views, events);
}
export {
  BatchUnsupportedError,
  BatchWorkerError,
  CompileError,
  CompiledBatch,
  CompiledExecutor,
  CompiledNetwork,
  ParallelBatch,
  bundleSource,
  canGenerateCode,
  compile,
  compileBatch,
  optimize,
  parallelBatch,
  setCodeGenerationAllowed,
  standalone,
  wasmPeak,
  wasmSimdAvailable,
};
//# sourceMappingURL=index.js.map
