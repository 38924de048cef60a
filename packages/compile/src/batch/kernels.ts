/**
 * The dense kernel of batched execution in JavaScript, over one typed array that holds every
 * matrix (the same layout the WebAssembly module reads in its memory).
 *
 * gemm: C[r][c] (+)= Σ_k A[r·ars + k·acs] · B[k·ldb + c] for r < M, c < N; offsets and strides in
 * elements; M a multiple of 4 and N of 8 (the caller pads). A 4 × 4 tile of C is kept in
 * locals while k runs, and the products are added in k order: the same operations, in the same
 * order, as src/wasm/gemm.wat, so at f64 both give the same bits.
 */
export type Precision = 'f64' | 'f32';
export type FloatArray = Float64Array | Float32Array;

export interface DenseKernels {
  readonly backend: 'wasm' | 'js';
  readonly precision: Precision;
  /** every matrix of the batch, in the kernels' own memory */
  readonly heap: FloatArray;
  gemm(
    c: number,
    ldc: number,
    a: number,
    ars: number,
    acs: number,
    b: number,
    ldb: number,
    m: number,
    n: number,
    k: number,
    accumulate: boolean,
  ): void;
  /**
   * dst[i·ldd + b] = src[b·lds + i] for i < rows, b < count (element offsets): the inputs transposed.
   * Returns b·rows + i of the first entry (i-major order) that is not finite, −1 when all are.
   */
  transpose(dst: number, ldd: number, src: number, lds: number, rows: number, count: number): number;
  /** f32 at byte `dst` ← f64 at byte `src`, `count` entries rounded up to 4 (f32 weights from the network's f64 ones) */
  demote(dst: number, src: number, count: number): void;
  /**
   * f64 dst[j·n + i] += f32 src[j·ld + i] (bytes), i < n rounded up to 4: what spills past n must be
   * zeros. `add` false: dst = 0 + src instead (the gradient replaced, not added to).
   */
  promoteAdd(dst: number, src: number, rows: number, n: number, ld: number, add: boolean): void;
  /** f64 dst[k] += f64 src[k] for k < count rounded up to 2 (bytes, 16-byte aligned) */
  add64(dst: number, src: number, count: number): void;
  /** dst[k] = a[k] · b[k] for k < count rounded up to the vector width (bytes; 16-byte aligned regions) */
  multiply(dst: number, a: number, b: number, count: number): void;
  /**
   * The LOGISTIC squash of a hidden layer with its bias, in the heap (wasm at f32 only; null
   * elsewhere, where squash-kernels.ts runs it): for j < m, b < count rounded up to 4, s =
   * states[j·cols + b] + bias[j], to[j·cols + b] = 1 / (1 + e^−s), derivative[j·cols + b] = y (1 − y).
   * Byte addresses.
   */
  readonly logistic:
    | ((states: number, bias: number, m: number, cols: number, count: number, to: number, derivative: number) => void)
    | null;
}

function demoteJs(buffer: ArrayBuffer) {
  return (dst: number, src: number, count: number): void => {
    new Float32Array(buffer, dst, count).set(new Float64Array(buffer, src, count));
  };
}

function promoteAddJs(buffer: ArrayBuffer) {
  const f64 = new Float64Array(buffer);
  const f32 = new Float32Array(buffer);
  return (dst: number, src: number, rows: number, n: number, ld: number, add: boolean): void => {
    const d = dst / 8;
    const s = src / 4;
    for (let j = 0; j < rows; j++)
      for (let i = 0; i < n; i++) f64[d + j * n + i] = (add ? f64[d + j * n + i] : 0) + f32[s + j * ld + i];
  };
}

function add64Js(buffer: ArrayBuffer) {
  const f64 = new Float64Array(buffer);
  return (dst: number, src: number, count: number): void => {
    const d = dst / 8;
    const s = src / 8;
    const end = Math.ceil(count / 2) * 2;
    for (let k = 0; k < end; k++) f64[d + k] += f64[s + k];
  };
}

function multiplyJs(h: FloatArray) {
  const size = h.BYTES_PER_ELEMENT;
  const lanes = 16 / size;
  return (dst: number, a: number, b: number, count: number): void => {
    const d = dst / size;
    const x = a / size;
    const y = b / size;
    const end = Math.ceil(count / lanes) * lanes;
    for (let k = 0; k < end; k++) h[d + k] = h[x + k] * h[y + k];
  };
}

function transposeJs(h: FloatArray) {
  return (dst: number, ldd: number, src: number, lds: number, rows: number, count: number): number => {
    let bad = -1;
    for (let i = 0; i < rows; i++) {
      const to = dst + i * ldd;
      for (let b = 0, from = src + i; b < count; b++, from += lds) {
        const v = h[from];
        // NaN and ±Infinity (or past float32's range, already rounded to it) give v − v ≠ 0
        if (v - v !== 0 && bad < 0) bad = b * rows + i;
        h[to + b] = v;
      }
    }
    return bad;
  };
}

/** The element type's rounding: identity at f64, Math.fround at f32 (each product and sum is rounded, as in wasm). */
function gemmJs(h: FloatArray, round: (x: number) => number) {
  return (
    c: number,
    ldc: number,
    a: number,
    ars: number,
    acs: number,
    b: number,
    ldb: number,
    m: number,
    n: number,
    k: number,
    accumulate: boolean,
  ): void => {
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

/** f64 needs no rounding step; a separate function keeps V8's f64 loop free of calls. */
function gemmJs64(h: Float64Array) {
  return (
    c: number,
    ldc: number,
    a: number,
    ars: number,
    acs: number,
    b: number,
    ldb: number,
    m: number,
    n: number,
    k: number,
    accumulate: boolean,
  ): void => {
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

/** The JavaScript kernels over a fresh heap of `elements` numbers. */
export function jsKernels(precision: Precision, elements: number): DenseKernels {
  const buffer = new ArrayBuffer(elements * (precision === 'f64' ? 8 : 4));
  const demote = demoteJs(buffer);
  const promoteAdd = promoteAddJs(buffer);
  if (precision === 'f64') {
    const heap = new Float64Array(buffer);
    return {
      backend: 'js',
      precision,
      heap,
      gemm: gemmJs64(heap),
      transpose: transposeJs(heap),
      demote,
      promoteAdd,
      add64: add64Js(buffer),
      multiply: multiplyJs(heap),
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
