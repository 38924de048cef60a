// src/batch/batch-worker.ts
import { parentPort } from 'worker_threads';
import { Network } from '@synaptic/core';

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

// src/batch/kernels.ts
function demoteJs(buffer) {
  return (dst, src, count) => {
    new Float32Array(buffer, dst, count).set(new Float64Array(buffer, src, count));
  };
}
function promoteAddJs(buffer) {
  const f64 = new Float64Array(buffer);
  const f32 = new Float32Array(buffer);
  return (dst, src, rows, n, ld, add) => {
    const d = dst / 8;
    const s = src / 4;
    for (let j = 0; j < rows; j++)
      for (let i = 0; i < n; i++) f64[d + j * n + i] = (add ? f64[d + j * n + i] : 0) + f32[s + j * ld + i];
  };
}
function add64Js(buffer) {
  const f64 = new Float64Array(buffer);
  return (dst, src, count) => {
    const d = dst / 8;
    const s = src / 8;
    const end = Math.ceil(count / 2) * 2;
    for (let k = 0; k < end; k++) f64[d + k] += f64[s + k];
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
import { DENSE, squash, SynapticError } from '@synaptic/core';
var BatchUnsupportedError = class extends SynapticError {
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
  for (const name of ['LOGISTIC', 'TANH', 'IDENTITY', 'HLIM', 'RELU']) if (squash[name] === first) return name;
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
    if (block.kind !== DENSE || block.skipDiagonal || block.selfDiagonal)
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
function readStep(control, step) {
  return {
    tag: step & 32767,
    count: Atomics.load(control, Control.COUNT),
    chunks: Atomics.load(control, Control.CHUNKS),
    chunkSize: Atomics.load(control, Control.CHUNK_SIZE),
    cost: costs2[COST_NAMES[Atomics.load(control, Control.COST)]],
  };
}
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
      const q0 = performance.now();
      batch.forward(views.inputs.subarray(from * n, to * n), () => Atomics.add(control, Control.CHECKED, 1));
      const q1 = performance.now();
      views.errors[c] = batch.backward(views.targets.subarray(from * m, to * m), {
        cost: step.cost,
        accumulate: false,
      });
      const q2 = performance.now();
      let at = c * views.total;
      for (const p of parameters) {
        views.gradients.set(p.gradient, at);
        at += p.gradient.length;
      }
      const q3 = performance.now();
      const Q = (globalThis.__Q ??= { f: [], b: [], o: [] });
      Q.f.push(q1 - q0);
      Q.b.push(q2 - q1);
      Q.o.push(q3 - q2);
      if (Q.f.length % 500 === 0) {
        const med = (a) => {
          const b = [...a].sort((x, y) => x - y);
          return b[b.length >> 1].toFixed(3);
        };
        console.error('worker fwd', med(Q.f), 'bwd', med(Q.b), 'out', med(Q.o));
      }
    } catch (error) {
      if (error instanceof Error) error.message = `samples ${from} to ${to - 1} of the batch: ${error.message}`;
      giveUp(control, step, true);
      throw error;
    }
    finished(control, step);
  }
}

// src/batch/batch-worker.ts
if (parentPort) {
  const port = parentPort;
  const send = (message) => port.postMessage(message);
  port.once('message', (message) => {
    let state;
    try {
      const network = Network.fromJSON(message.network);
      const { chunkSize: batchSize, precision, backend } = message;
      const batch2 = compileBatch(network, { batchSize, precision, backend });
      const total = network.parameters().reduce((s, p) => s + p.value.length, 0);
      const views2 = sharedViews(message.buffers, total, message.batchSize, batch2.inputSize, batch2.outputSize);
      state = { batch: batch2, views: views2 };
    } catch (error) {
      send({ type: 'failed', step: 0, message: error instanceof Error ? error.message : String(error) });
      return;
    }
    const { batch, views } = state;
    const control = views.control;
    let seen = Atomics.load(control, Control.STEP);
    send({ type: 'ready' });
    for (;;) {
      let now = spinWhile(control, Control.STEP, seen, SPIN_MS);
      if (now === seen) {
        Atomics.add(control, Control.SLEEPING, 1);
        Atomics.wait(control, Control.STEP, seen);
        Atomics.sub(control, Control.SLEEPING, 1);
        now = Atomics.load(control, Control.STEP);
        if (now === seen) continue;
      }
      if (now === STOP_STEP) return;
      seen = now;
      try {
        const w0 = performance.now();
        runChunks(batch, views, readStep(control, now));
        const w1 = performance.now();
        const W = (globalThis.__W ??= { n: 0, run: [], wake: [] });
        W.n++;
        W.run.push(w1 - w0);
        if (W.n % 500 === 0) {
          const med = (a) => {
            const b = [...a].sort((x, y) => x - y);
            return b[b.length >> 1].toFixed(3);
          };
          console.error('worker run median', med(W.run));
        }
      } catch (error) {
        send({ type: 'failed', step: now, message: error instanceof Error ? error.message : String(error) });
      }
    }
  });
}
//# sourceMappingURL=batch-worker.js.map
