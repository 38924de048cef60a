import { describe, expect, it } from 'vitest';
import { Network } from '@synaptic/core';
import { optimize, setCodeGenerationAllowed } from '@synaptic/compile';
import { fixtures1x, makeSteps } from '@synaptic/test-support';
import { differentialSuites } from './support/differential.js';

/** 200 steps per fixture here; differential-1x.slow.test.ts runs 1,000. */
differentialSuites(200);

describe('where code generation is forbidden (Content-Security-Policy)', () => {
  it('falls back to the interpreter and says so once', () => {
    const json = fixtures1x[5].build();
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    setCodeGenerationAllowed(false);
    try {
      const a = optimize(Network.fromJSON(json));
      const b = optimize(Network.fromJSON(json));
      const reference = Network.fromJSON(json);
      for (const { input, target } of makeSteps(json, 20, 1)) {
        expect(a.activate(input)).toEqual(reference.activate(input));
        b.activate(input);
        a.propagate(0.1, target);
        b.propagate(0.1, target);
        reference.propagate(0.1, target);
      }
      expect(warnings).toHaveLength(1);
      expect(String((warnings[0] as unknown[])[0])).toMatch(/Content-Security-Policy/);
    } finally {
      console.warn = warn;
      setCodeGenerationAllowed(null);
    }
  });
});
