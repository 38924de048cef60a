/**
 * Random network recipes for property and differential tests. A recipe is plain data; `build`
 * turns it into a network with any library that has 1.x's API (this one, or synaptic 1.1.4
 * itself), drawing random weights in the same order, so both builds must agree to the last bit.
 */
import fc from 'fast-check';
import { mulberry32 } from './synaptic1x.js';

export const SQUASHES = ['LOGISTIC', 'TANH', 'IDENTITY', 'HLIM', 'RELU'] as const;
export type SquashKey = (typeof SQUASHES)[number];
const CONNECTION_TYPES = ['ALL_TO_ALL', 'ONE_TO_ONE', 'ALL_TO_ELSE'] as const;
const GATE_TYPES = ['INPUT', 'OUTPUT', 'ONE_TO_ONE'] as const;

export interface Recipe {
  sizes: number[];
  squashes: SquashKey[];
  projections: Array<{ from: number; to: number; type: (typeof CONNECTION_TYPES)[number] }>;
  gates: Array<{ gater: number; projection: number; type: (typeof GATE_TYPES)[number] }>;
  links: Array<{ from: [number, number]; to: [number, number] }>;
  linkGates: Array<{ gater: [number, number]; link: number }>;
  unitSquashes: Array<{ unit: [number, number]; squash: SquashKey }>;
}

/** The part of 1.x's API a recipe needs; both libraries provide it. */
export interface LibraryLike {
  Neuron: { squash: Record<SquashKey, (x: number, d?: boolean) => number> };
  Layer: {
    new (size: number): LayerLike;
    connectionType: Record<string, string>;
    gateType: Record<string, string>;
  };
  Network: new (layers: { input: LayerLike; hidden: LayerLike[]; output: LayerLike }) => unknown;
}
interface NeuronLike {
  project(n: NeuronLike, weight?: number): unknown;
  gate(c: unknown): void;
  squash: unknown;
}
export interface LayerLike {
  list: NeuronLike[];
  size: number;
  project(l: LayerLike, type?: string): { size: number } | undefined;
  gate(c: unknown, type: string): void;
  set(o: { squash?: unknown }): unknown;
}

const choice = fc.nat({ max: 1000 });

/** Raw choices, resolved into a valid recipe by `toRecipe` (so shrinking keeps recipes valid). */
export const recipeArbitrary: fc.Arbitrary<Recipe> = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 5 }),
    squashes: fc.array(choice, { maxLength: 5 }),
    projections: fc.array(fc.tuple(choice, choice, choice), { maxLength: 8 }),
    gates: fc.array(fc.tuple(choice, choice, choice), { maxLength: 4 }),
    links: fc.array(fc.tuple(choice, choice, choice, choice), { maxLength: 8 }),
    linkGates: fc.array(fc.tuple(choice, choice, choice), { maxLength: 4 }),
    unitSquashes: fc.array(fc.tuple(choice, choice, choice), { maxLength: 3 }),
  })
  .map(toRecipe);

function toRecipe(raw: {
  sizes: number[];
  squashes: number[];
  projections: Array<[number, number, number]>;
  gates: Array<[number, number, number]>;
  links: Array<[number, number, number, number]>;
  linkGates: Array<[number, number, number]>;
  unitSquashes: Array<[number, number, number]>;
}): Recipe {
  const sizes = raw.sizes;
  const L = sizes.length;
  const squashes = sizes.map((_, l) => SQUASHES[(raw.squashes[l] ?? 0) % SQUASHES.length]);
  const projections: Recipe['projections'] = [];
  const pairs = new Set<string>();
  // a feed-forward backbone so every network computes something
  for (let l = 0; l + 1 < L; l++) {
    projections.push({ from: l, to: l + 1, type: 'ALL_TO_ALL' });
    pairs.add(`${l}:${l + 1}`);
  }
  for (const [a, b, c] of raw.projections) {
    const from = a % L;
    const to = b % L;
    let type = CONNECTION_TYPES[c % 3];
    if (to === 0 || pairs.has(`${from}:${to}`)) continue; // nothing projects into the input layer
    if (type === 'ONE_TO_ONE' && sizes[from] !== sizes[to]) type = 'ALL_TO_ALL';
    if (type === 'ALL_TO_ELSE' && from !== to) type = 'ALL_TO_ALL';
    if (type === 'ALL_TO_ELSE' && sizes[from] < 2) continue;
    pairs.add(`${from}:${to}`);
    projections.push({ from, to, type });
  }
  const countOf = (p: Recipe['projections'][number]) => {
    if (p.type === 'ONE_TO_ONE') return sizes[p.from];
    if (p.type === 'ALL_TO_ELSE') return sizes[p.from] * (sizes[p.from] - 1);
    return sizes[p.from] * sizes[p.to];
  };
  const gates: Recipe['gates'] = [];
  const gated = new Set<number>();
  for (const [a, b, c] of raw.gates) {
    const projection = a % projections.length;
    if (gated.has(projection)) continue;
    const p = projections[projection];
    let type = GATE_TYPES[c % 3];
    // self-connections only gate ONE_TO_ONE; the rest needs a gater of matching size
    if (p.from === p.to && p.type === 'ONE_TO_ONE') type = 'ONE_TO_ONE';
    const need = type === 'INPUT' ? sizes[p.to] : type === 'OUTPUT' ? sizes[p.from] : countOf(p);
    const candidates = sizes.map((s, l) => (s === need && l > 0 ? l : -1)).filter((l) => l >= 0);
    if (candidates.length === 0) continue;
    gated.add(projection);
    gates.push({ gater: candidates[b % candidates.length], projection, type });
  }
  const links: Recipe['links'] = [];
  const linked = new Set<string>();
  for (const [a, b, c, d] of raw.links) {
    const fl = a % L;
    const tl = b % L;
    if (tl === 0 || pairs.has(`${fl}:${tl}`)) continue;
    const from: [number, number] = [fl, c % sizes[fl]];
    const to: [number, number] = [tl, d % sizes[tl]];
    const key = `${from}:${to}`;
    if (linked.has(key)) continue;
    linked.add(key);
    links.push({ from, to });
  }
  const linkGates: Recipe['linkGates'] = [];
  const gatedLinks = new Set<number>();
  for (const [a, b, c] of raw.linkGates) {
    if (links.length === 0) break;
    const link = a % links.length;
    if (gatedLinks.has(link)) continue;
    gatedLinks.add(link);
    const gl = 1 + (b % (L - 1));
    linkGates.push({ gater: [gl, c % sizes[gl]], link });
  }
  const unitSquashes = raw.unitSquashes.map(([a, b, c]) => {
    const l = 1 + (a % (L - 1));
    return { unit: [l, b % sizes[l]] as [number, number], squash: SQUASHES[c % SQUASHES.length] };
  });
  return { sizes, squashes, projections, gates, links, linkGates, unitSquashes };
}

/** Builds a recipe with `lib`; call it with the same seeded Math.random for both libraries. */
export function build<N>(lib: LibraryLike, recipe: Recipe): N {
  const layers = recipe.sizes.map((n) => new lib.Layer(n));
  recipe.squashes.forEach((name, l) => {
    if (l > 0) layers[l].set({ squash: lib.Neuron.squash[name] });
  });
  const projections = recipe.projections.map((p) =>
    layers[p.from].project(layers[p.to], lib.Layer.connectionType[p.type]),
  );
  for (const g of recipe.gates) layers[g.gater].gate(projections[g.projection], lib.Layer.gateType[g.type]);
  const links = recipe.links.map((k) => layers[k.from[0]].list[k.from[1]].project(layers[k.to[0]].list[k.to[1]]));
  for (const g of recipe.linkGates) layers[g.gater[0]].list[g.gater[1]].gate(links[g.link]);
  for (const u of recipe.unitSquashes) layers[u.unit[0]].list[u.unit[1]].squash = lib.Neuron.squash[u.squash];
  return new lib.Network({ input: layers[0], hidden: layers.slice(1, -1), output: layers[layers.length - 1] }) as N;
}

/** Deterministic inputs and targets in [0, 1). */
export function makeData(
  inputs: number,
  outputs: number,
  count: number,
  seed: number,
): Array<{ input: number[]; target: number[] }> {
  const next = mulberry32(seed);
  return Array.from({ length: count }, () => ({
    input: Array.from({ length: inputs }, next),
    target: Array.from({ length: outputs }, next),
  }));
}
