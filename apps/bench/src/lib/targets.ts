/** Building PASS / FAIL / NOT RUN lines for targets. */
import type { TargetResult } from '../suite.js';

/** How a measured value must compare with the threshold to PASS. */
export type Comparison = 'atLeast' | 'below' | 'atMost';

/**
 * A target such as "value >= threshold". `value` is null when it could not be measured: `missing`
 * then says why, and `missingStatus` whether that is a FAIL (this project failed) or NOT RUN
 * (a peer is missing, or the configuration was not part of the run).
 */
export function thresholdTarget(args: {
  name: string;
  value: number | null;
  threshold: number;
  compare?: Comparison;
  format: (value: number) => string;
  missing?: string;
  missingStatus?: 'FAIL' | 'NOT RUN';
}): TargetResult {
  const { name, value, threshold, compare = 'atLeast', format } = args;
  if (value === null || !Number.isFinite(value)) {
    return { name, status: args.missingStatus ?? 'FAIL', measured: args.missing ?? 'not measured' };
  }
  const pass =
    compare === 'atLeast' ? value >= threshold : compare === 'below' ? value < threshold : value <= threshold;
  return { name, status: pass ? 'PASS' : 'FAIL', measured: format(value) };
}

export function notRun(name: string, why: string): TargetResult {
  return { name, status: 'NOT RUN', measured: why };
}
