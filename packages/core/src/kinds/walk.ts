/**
 * How a block kind lays out its connections, as data both engines read: the interpreter evaluates
 * it with numbers (`at`), the compiler renders it as source (compile's emit.ts). Nothing else in
 * either engine knows how a kind maps slots to units.
 *
 * A unit's connections in one block are a `Walk`: k runs from `first` up to (not including) `end`,
 * skipping `skip` when the block skips its diagonal; connection k has slot `base + step · k` and its
 * unit at the other end is entry k of the block's `from` (inputs) or `to` (outputs).
 */

/**
 * `c + a·A + b·B + n·N + r·R + an·A·N`: A, B the unit's segment bounds, N the block's columns, R its
 * rows (A·N is where row A of a row-major block starts).
 */
export interface Affine {
  readonly c: number;
  readonly a: number;
  readonly b: number;
  readonly n: number;
  readonly r: number;
  readonly an: number;
}

export interface Walk {
  readonly first: Affine;
  readonly end: Affine;
  /** the k that is not a connection when the block skips its diagonal (ALL_TO_ELSE) */
  readonly skip: Affine;
  readonly base: Affine;
  readonly step: Affine;
}

/** An affine term from its non-zero coefficients. */
export function affine(terms: Partial<Affine>): Affine {
  return { c: terms.c ?? 0, a: terms.a ?? 0, b: terms.b ?? 0, n: terms.n ?? 0, r: terms.r ?? 0, an: terms.an ?? 0 };
}

/** The value of `x` for a segment (a, b) of a block with n columns and r rows. */
export function at(x: Affine, a: number, b: number, n: number, r: number): number {
  return x.c + x.a * a + x.b * b + x.n * n + x.r * r + x.an * a * n;
}

/** A walk with numbers: what the interpreter's loops run over (k from `first` to `end`, slot = base + step·k). */
export interface Bounds {
  first: number;
  end: number;
  /** −1 when nothing is skipped */
  skip: number;
  base: number;
  step: number;
}

/** Evaluates `walk` for segment (a, b) of a block of n columns and r rows into `into` (no allocation). */
export function bounds(walk: Walk, a: number, b: number, n: number, r: number, skips: boolean, into: Bounds): Bounds {
  into.first = at(walk.first, a, b, n, r);
  into.end = at(walk.end, a, b, n, r);
  into.skip = skips ? at(walk.skip, a, b, n, r) : -1;
  into.base = at(walk.base, a, b, n, r);
  into.step = at(walk.step, a, b, n, r);
  return into;
}

/**
 * A walk with n and r fixed: per field (first, end, skip, base, step) the constant and the
 * coefficients of A and B, so the interpreter evaluates a segment's bounds in a few operations.
 */
export function linearWalk(walk: Walk, n: number, r: number): Int32Array {
  // integers (small ones: slots and unit indices), so the loops index arrays with them directly
  const out = new Int32Array(15);
  [walk.first, walk.end, walk.skip, walk.base, walk.step].forEach((x, f) => {
    out[3 * f] = x.c + x.n * n + x.r * r;
    out[3 * f + 1] = x.a + x.an * n;
    out[3 * f + 2] = x.b;
  });
  return out;
}

/** `bounds` from a `linearWalk`. */
export function linearBounds(w: Int32Array, a: number, b: number, skips: boolean, into: Bounds): Bounds {
  into.first = (w[0] + w[1] * a + w[2] * b) | 0;
  into.end = (w[3] + w[4] * a + w[5] * b) | 0;
  into.skip = skips ? (w[6] + w[7] * a + w[8] * b) | 0 : -1;
  into.base = (w[9] + w[10] * a + w[11] * b) | 0;
  into.step = (w[12] + w[13] * a + w[14] * b) | 0;
  return into;
}

/** How many connections a walk visits. */
export function walkCount(w: Bounds): number {
  return w.end - w.first - (w.skip >= w.first && w.skip < w.end ? 1 : 0);
}
