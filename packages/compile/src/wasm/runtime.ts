/**
 * The WebAssembly SIMD kernels (src/wasm/gemm.wat, assembled into modules.generated.ts at build
 * time): found, compiled once per precision, and instantiated over a memory that holds every
 * matrix of one batched network. Where WebAssembly or its SIMD is missing, `wasmKernels` returns
 * null and the caller falls back to the JavaScript kernels.
 */
import type { DenseKernels, Precision } from '../batch/kernels.js';
import { GEMM_WASM_BASE64 } from './modules.generated.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function decodeBase64(text: string): Uint8Array {
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
      bytes[o++] = (value >> bits) & 0xff;
    }
  }
  return bytes;
}

interface GemmExports {
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
    acc: number,
  ): void;
  peak(count: number, x: number): number;
  transpose(dst: number, ldd: number, src: number, lds: number, rows: number, count: number): number;
  demote(dst: number, src: number, count: number): void;
  promote_add(dst: number, src: number, rows: number, n: number, ld: number, add: number): void;
  multiply(dst: number, a: number, b: number, count: number): void;
  add64(dst: number, src: number, count: number): void;
  /** f32 only */
  transpose4?: (dst: number, ldd: number, src: number, lds: number, rows: number, count: number) => number;
  /** f32 only */
  logistic?: (
    states: number,
    bias: number,
    m: number,
    cols: number,
    count: number,
    to: number,
    derivative: number,
  ) => void;
}

/** The part of the WebAssembly JavaScript API used here (the package compiles without DOM or Node types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

export function wasmApi(): WasmApi | null {
  const api = (globalThis as { WebAssembly?: Partial<WasmApi> }).WebAssembly;
  if (api === undefined || typeof api.validate !== 'function' || typeof api.Module !== 'function') return null;
  return api as WasmApi;
}

const modules = new Map<Precision, object | null>();

/** The assembled module's bytes for `precision`. */
export function gemmModuleBytes(precision: Precision): Uint8Array {
  return decodeBase64(GEMM_WASM_BASE64[precision]);
}

/** The compiled module, or null where WebAssembly SIMD is unavailable (checked by validating the module itself). */
function moduleFor(precision: Precision): object | null {
  if (modules.has(precision)) return modules.get(precision) ?? null;
  let module: object | null = null;
  const wasm = wasmApi();
  if (wasm !== null) {
    const bytes = gemmModuleBytes(precision);
    if (wasm.validate(bytes)) module = new wasm.Module(bytes);
  }
  modules.set(precision, module);
  return module;
}

/** Whether the WebAssembly SIMD kernels can run here. */
export function wasmSimdAvailable(): boolean {
  return moduleFor('f64') !== null;
}

/** Forgets what was found (tests that take WebAssembly away call it before and after). */
export function resetWasmDetection(): void {
  modules.clear();
}

function instantiate(precision: Precision, bytes: number): { memory: WasmMemory; exports: GemmExports } | null {
  const module = moduleFor(precision);
  const wasm = wasmApi();
  if (module === null || wasm === null) return null;
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  const memory = new wasm.Memory({ initial: pages });
  const instance = new wasm.Instance(module, { env: { memory } });
  return { memory, exports: instance.exports as unknown as GemmExports };
}

/** The wasm kernels over a memory of `elements` numbers of `precision`, or null where SIMD is missing. */
export function wasmKernels(precision: Precision, elements: number): DenseKernels | null {
  const size = precision === 'f64' ? 8 : 4;
  const made = instantiate(precision, elements * size);
  if (made === null) return null;
  const heap =
    precision === 'f64'
      ? new Float64Array(made.memory.buffer, 0, elements)
      : new Float32Array(made.memory.buffer, 0, elements);
  const { gemm, transpose, transpose4, demote, promote_add, multiply, logistic, add64 } = made.exports;
  return {
    backend: 'wasm',
    precision,
    heap,
    gemm: (c, ldc, a, ars, acs, b, ldb, m, n, k, accumulate) =>
      gemm(c, ldc, a, ars, acs, b, ldb, m, n, k, accumulate ? 1 : 0),
    // in 4 × 4 SIMD blocks where the module has them (f32); the scalar one names a bad value
    transpose:
      transpose4 === undefined
        ? transpose
        : (dst, ldd, src, lds, rows, count) =>
            transpose4(dst, ldd, src, lds, rows, count) === 0 ? -1 : transpose(dst, ldd, src, lds, rows, count),
    demote,
    promoteAdd: (dst, src, rows, n, ld, add) => promote_add(dst, src, rows, n, ld, add ? 1 : 0),
    multiply,
    add64,
    logistic: logistic ?? null,
  };
}

/** `rounds` rounds of 8 independent SIMD multiply-add chains (the benchmark's peak); null without SIMD. */
export function wasmPeak(precision: Precision): ((rounds: number) => number) | null {
  const made = instantiate(precision, 65536);
  if (made === null) return null;
  const peak = made.exports.peak;
  return (rounds) => peak(rounds, 0.5);
}
