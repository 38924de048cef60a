import { describe, expect, it } from 'vitest';
import { GEMM_WASM_BASE64 } from '../../src/wasm/modules.generated.js';
// @ts-expect-error the build script is plain JavaScript
import { assemble } from '../../scripts/build-wasm.mjs';

describe('the shipped WebAssembly', () => {
  it('is what scripts/build-wasm.mjs assembles from src/wasm/gemm.wat now (run pnpm build:wasm after editing it)', async () => {
    expect(await assemble()).toEqual(GEMM_WASM_BASE64);
  });
});
