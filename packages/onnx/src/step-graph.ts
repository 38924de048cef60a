/**
 * Turns a step plan into ONNX nodes. Every vector is [batch, n] float32. A chunk's state is
 * eq. 15 of Monner & Reggia (2012) as matrix products over whole source vectors (zero weights where
 * there is no connection, which adds exactly 0), its activation eq. 16 as one ONNX activation op.
 */
import { GraphBuilder } from './graph-builder.js';
import { type Chunk, type Contribution, isNew, type LayerPlan, type StepPlan, type UnitRef } from './plan.js';

/** The kinds of value a step carries to the next: s_j, y_j, and the gains a gater set. */
export type CarriedKind = 'state' | 'activation' | 'gain';

interface Vector {
  name: string;
  length: number;
}

/** One term of a chunk's state, gathered by where its source and gain vectors come from. */
interface GatedTerm {
  source: string;
  gain: string;
  entries: Array<{ src: number; gat: number; t: number; w: number }>;
}

export class StepGraph {
  readonly builder = new GraphBuilder();
  /** per layer: the activation and state tensor of each chunk computed so far */
  private readonly activations: string[][];
  private readonly states: string[][];
  private readonly complete = new Map<string, Vector>();
  /** carried inputs this step reads, by `${kind}:${layer}` */
  readonly carried = new Map<string, { kind: CarriedKind; layer: number; name: string }>();

  constructor(private readonly plan: StepPlan) {
    this.builder.reserve('input');
    this.builder.reserve('output');
    this.activations = plan.layers.map(() => []);
    this.states = plan.layers.map(() => []);
  }

  /** Emits every chunk of every layer in activation order. */
  build(): void {
    this.plan.layers.forEach((layer, l) => {
      if (l > 0) for (const chunk of layer.chunks) this.emitChunk(layer, l, chunk);
    });
  }

  /** y of a whole layer this step (layer 0: the graph input). */
  newActivation(l: number): Vector {
    return this.joined(this.activations, l, 'activation');
  }

  newState(l: number): Vector {
    return this.joined(this.states, l, 'state');
  }

  carriedName(kind: CarriedKind, l: number): string {
    return `${kind}.${this.plan.layers[l].name}`;
  }

  private joined(parts: string[][], l: number, what: string): Vector {
    if (l === 0) return { name: 'input', length: this.plan.inputs };
    const key = `${what}:${l}:${parts[l].length}`;
    let v = this.complete.get(key);
    if (!v) {
      const names = parts[l];
      const length = this.plan.layers[l].chunks.slice(0, names.length).reduce((sum, c) => sum + c.end - c.start, 0);
      const name =
        names.length === 1
          ? names[0]
          : this.builder.node('Concat', names, { axis: 1 }, `${what}_${this.plan.layers[l].name}`);
      v = { name, length };
      this.complete.set(key, v);
    }
    return v;
  }

  private prev(kind: CarriedKind, l: number): Vector {
    const name = this.carriedName(kind, l);
    if (!this.carried.has(`${kind}:${l}`)) {
      this.builder.reserve(name);
      this.carried.set(`${kind}:${l}`, { kind, layer: l, name });
    }
    return { name, length: this.plan.layers[l].size };
  }

  /** Where the value of `u` read by unit `j` lives: this step's vector of u's layer, or the carried one. */
  private activationOf(u: UnitRef, j: UnitRef): Vector {
    return isNew(u, j, this.plan) ? this.newActivation(u.layer) : this.prev('activation', u.layer);
  }

  private gainOf(k: UnitRef, j: UnitRef): Vector {
    return isNew(k, j, this.plan) ? this.newActivation(k.layer) : this.prev('gain', k.layer);
  }

  private emitChunk(layer: LayerPlan, l: number, chunk: Chunk): void {
    const b = this.builder;
    const m = chunk.end - chunk.start;
    const tag = `${layer.name}_${chunk.start}`;
    const plain = new Map<string, { x: Vector; w: Float64Array }>();
    const gated = new Map<string, GatedTerm & { x: Vector; g: Vector }>();
    const selfPlain = new Float64Array(m);
    let hasSelfPlain = false;
    const selfGated = new Map<string, { g: Vector; c: Float64Array; idx: number[] }>();

    for (let p = chunk.start; p < chunk.end; p++) {
      const j = { layer: l, pos: p };
      const t = p - chunk.start;
      const unit = layer.units[p];
      for (const c of unit.contributions) this.collect(c, j, t, m, plain, gated);
      const self = unit.self;
      if (self === null) continue;
      if (self.gater === null) {
        selfPlain[t] = self.weight;
        hasSelfPlain = true;
      } else {
        const g = this.gainOf(self.gater, j);
        let term = selfGated.get(g.name);
        if (!term) selfGated.set(g.name, (term = { g, c: new Float64Array(m), idx: new Array<number>(m).fill(0) }));
        term.c[t] = self.weight;
        term.idx[t] = self.gater.pos;
      }
    }

    const bias = b.floats(
      `bias_${tag}`,
      [m],
      layer.units.slice(chunk.start, chunk.end).map((u) => u.bias),
    );
    const terms: string[] = [];
    let biased = false;
    for (const { x, w } of plain.values()) {
      const weights = b.floats(`weight_${tag}`, [x.length, m], w);
      if (!biased) {
        terms.push(b.node('Gemm', [x.name, weights, bias], {}, `sum_${tag}`));
        biased = true;
      } else terms.push(b.node('MatMul', [x.name, weights], {}, `sum_${tag}`));
    }
    for (const term of gated.values()) terms.push(this.gatedTerm(term, m, tag));
    if (hasSelfPlain || selfGated.size > 0) {
      const previous = this.prevStateSlice(l, chunk);
      if (hasSelfPlain)
        terms.push(b.node('Mul', [previous, b.floats(`self_${tag}`, [m], selfPlain)], {}, `self_${tag}`));
      for (const { g, c, idx } of selfGated.values()) {
        const kept = b.node('Mul', [previous, b.floats(`self_${tag}`, [m], c)], {}, `self_${tag}`);
        const gain = b.node('Gather', [g.name, b.ints(`gater_${tag}`, [m], idx)], { axis: 1 }, `gain_${tag}`);
        terms.push(b.node('Mul', [kept, gain], {}, `self_${tag}`));
      }
    }
    if (terms.length === 0) {
      // a unit without inputs: s = b for every row of the batch
      const zeros = b.floats(`zero_${tag}`, [this.plan.inputs, m], new Float64Array(this.plan.inputs * m));
      terms.push(b.node('Gemm', ['input', zeros, bias], {}, `sum_${tag}`));
      biased = true;
    }
    let state = terms[0];
    for (let k = 1; k < terms.length; k++) state = b.node('Add', [state, terms[k]], {}, `sum_${tag}`);
    if (!biased) state = b.node('Add', [state, bias], {}, `state_${tag}`);
    this.states[l].push(state);
    this.activations[l].push(this.squash(state, chunk.squash, tag));
  }

  /** Sorts a contribution into the term of its source vector (and gain vector, if gated). */
  private collect(
    c: Contribution,
    j: UnitRef,
    t: number,
    m: number,
    plain: Map<string, { x: Vector; w: Float64Array }>,
    gated: Map<string, GatedTerm & { x: Vector; g: Vector }>,
  ): void {
    const x = this.activationOf(c.source, j);
    if (c.gater === null) {
      let term = plain.get(x.name);
      if (!term) plain.set(x.name, (term = { x, w: new Float64Array(x.length * m) }));
      term.w[c.source.pos * m + t] += c.weight;
      return;
    }
    const g = this.gainOf(c.gater, j);
    const key = `${x.name}|${g.name}`;
    let term = gated.get(key);
    if (!term) gated.set(key, (term = { source: x.name, gain: g.name, x, g, entries: [] }));
    term.entries.push({ src: c.source.pos, gat: c.gater.pos, t, w: c.weight });
  }

  /**
   * Σ g_ji w_ji y_i for connections whose gains change: one gater per target (INPUT gating) scales
   * a matrix product's columns, one gater per source (OUTPUT gating) scales its inputs, and any
   * other pattern multiplies connection by connection and sums into the targets.
   */
  private gatedTerm(term: GatedTerm & { x: Vector; g: Vector }, m: number, tag: string): string {
    const b = this.builder;
    const { x, g, entries } = term;
    const byTarget = single(entries, (e) => e.t, m);
    const bySource = byTarget ? null : single(entries, (e) => e.src, x.length);
    if (byTarget || bySource) {
      const w = new Float64Array(x.length * m);
      for (const e of entries) w[e.src * m + e.t] += e.w;
      const weights = b.floats(`weight_${tag}`, [x.length, m], w);
      if (byTarget) {
        const product = b.node('MatMul', [x.name, weights], {}, `sum_${tag}`);
        const gain = b.node('Gather', [g.name, b.ints(`gater_${tag}`, [m], byTarget)], { axis: 1 }, `gain_${tag}`);
        return b.node('Mul', [product, gain], {}, `gated_${tag}`);
      }
      const gain = b.node(
        'Gather',
        [g.name, b.ints(`gater_${tag}`, [x.length], bySource!)],
        { axis: 1 },
        `gain_${tag}`,
      );
      const scaled = b.node('Mul', [x.name, gain], {}, `gated_${tag}`);
      return b.node('MatMul', [scaled, weights], {}, `sum_${tag}`);
    }
    const n = entries.length;
    const sources = b.node(
      'Gather',
      [
        x.name,
        b.ints(
          `source_${tag}`,
          [n],
          entries.map((e) => e.src),
        ),
      ],
      { axis: 1 },
      `inputs_${tag}`,
    );
    const gains = b.node(
      'Gather',
      [
        g.name,
        b.ints(
          `gater_${tag}`,
          [n],
          entries.map((e) => e.gat),
        ),
      ],
      { axis: 1 },
      `gain_${tag}`,
    );
    const gatedInputs = b.node('Mul', [sources, gains], {}, `gated_${tag}`);
    const weighted = b.node(
      'Mul',
      [
        gatedInputs,
        b.floats(
          `weight_${tag}`,
          [n],
          entries.map((e) => e.w),
        ),
      ],
      {},
      `gated_${tag}`,
    );
    const scatter = new Float64Array(n * m);
    entries.forEach((e, k) => {
      scatter[k * m + e.t] = 1;
    });
    return b.node('MatMul', [weighted, b.floats(`targets_${tag}`, [n, m], scatter)], {}, `sum_${tag}`);
  }

  private prevStateSlice(l: number, chunk: Chunk): string {
    const previous = this.prev('state', l);
    if (chunk.start === 0 && chunk.end === previous.length) return previous.name;
    const b = this.builder;
    return b.node(
      'Slice',
      [previous.name, b.ints('start', [1], [chunk.start]), b.ints('end', [1], [chunk.end]), b.ints('axis', [1], [1])],
      {},
      `previous_state_${this.plan.layers[l].name}`,
    );
  }

  /** eq. 16: y = f(s), each built-in squash as a standard op (HLIM as the comparison s > 0). */
  private squash(state: string, squash: string, tag: string): string {
    const b = this.builder;
    switch (squash) {
      case 'LOGISTIC':
        return b.node('Sigmoid', [state], {}, `activation_${tag}`);
      case 'TANH':
        return b.node('Tanh', [state], {}, `activation_${tag}`);
      case 'RELU':
        return b.node('Relu', [state], {}, `activation_${tag}`);
      case 'SOFTMAX':
        return b.node('Softmax', [state], { axis: -1 }, `activation_${tag}`);
      case 'HLIM': {
        const positive = b.node('Greater', [state, b.floats('zero', [], [0])], {}, `positive_${tag}`);
        return b.node('Cast', [positive], { to: 1 }, `activation_${tag}`);
      }
      default:
        return state; // IDENTITY
    }
  }
}

/** For each key (target or source), the one gater position its entries use; null if some key has two. */
function single<E extends { gat: number }>(entries: E[], key: (e: E) => number, size: number): number[] | null {
  const idx = new Array<number>(size).fill(-1);
  for (const e of entries) {
    const k = key(e);
    if (idx[k] === -1) idx[k] = e.gat;
    else if (idx[k] !== e.gat) return null;
  }
  return idx.map((v) => (v === -1 ? 0 : v));
}
