/**
 * The online kernels (src/wasm/online.wat, assembled into online.generated.ts at build time):
 * compiled once per WebAssembly API found, and instantiated over a memory of a given size. Where
 * WebAssembly or its SIMD is missing (or a test took it away), `onlineWasm` returns null and the
 * caller runs the generated JavaScript instead.
 */
import { decodeBase64, type WasmMemory, wasmApi } from '../wasm/runtime.js';
import { ONLINE_WASM_BASE64 } from '../wasm/online.generated.js';

export interface OnlineExports {
  /** out[j] = Σ_i w[j·n + i] · x[i] for j < m (byte offsets) */
  rows_dot(w: number, x: number, out: number, m: number, n: number): void;
  /** 1.x's weight update of a layer with its undo log; 1 when a written weight is not finite ($back unused) */
  update(w: number, u: number, x: number, delta: number, back: number, m: number, n: number, rate: number): number;
  /** the same, also summing the back-flow Σ_j δ_j w_ji (updated weights) into back */
  update_back(w: number, u: number, x: number, delta: number, back: number, m: number, n: number, rate: number): number;
}

export interface OnlineInstance {
  readonly memory: WasmMemory;
  readonly exports: OnlineExports;
}

/** the compiled module, per WebAssembly API object (a test may replace or remove the global) */
let cached: { api: unknown; module: object | null } | null = null;

function moduleHere(): object | null {
  const api = wasmApi();
  if (cached !== null && cached.api === api) return cached.module;
  let module: object | null = null;
  if (api !== null) {
    const bytes = decodeBase64(ONLINE_WASM_BASE64);
    if (api.validate(bytes)) module = new api.Module(bytes);
  }
  cached = { api, module };
  return module;
}

/** Whether the online WebAssembly kernels can run here. */
export function onlineWasmAvailable(): boolean {
  return moduleHere() !== null;
}

/** An instance over a fresh memory of at least `bytes` bytes, or null where WebAssembly SIMD is missing. */
export function onlineWasm(bytes: number): OnlineInstance | null {
  const module = moduleHere();
  const api = wasmApi();
  if (module === null || api === null) return null;
  const memory = new api.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  const instance = new api.Instance(module, { env: { memory } });
  return { memory, exports: instance.exports as unknown as OnlineExports };
}
