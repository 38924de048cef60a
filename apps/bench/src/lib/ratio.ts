/** Formatting of measured numbers and of ratios between a peer and this project. */

const MiB = 1024 * 1024;

/** Milliseconds with a precision that suits the magnitude. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (Math.abs(ms) >= 100) return ms.toFixed(0);
  if (Math.abs(ms) >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

/** Bytes as MB (2^20 bytes). */
export function formatMB(bytes: number): string {
  const mb = bytes / MiB;
  if (Math.abs(mb) >= 100) return mb.toFixed(0);
  if (Math.abs(mb) >= 10) return mb.toFixed(1);
  return mb.toFixed(2);
}

export function bytesToMB(bytes: number): number {
  return bytes / MiB;
}

/** peer / base, or null when it means nothing (a zero or negative base, non-finite values). */
export function ratio(peer: number, base: number): number | null {
  if (!Number.isFinite(peer) || !Number.isFinite(base) || base <= 0 || peer < 0) return null;
  return peer / base;
}

/** "45x", "3.1x", "1.05x" */
export function formatFactor(factor: number): string {
  if (factor >= 10) return `${factor.toFixed(0)}x`;
  if (factor >= 2) return `${factor.toFixed(1)}x`;
  return `${factor.toFixed(2)}x`;
}

/**
 * A time ratio (peer time / this project's time) in words:
 * `describeTime(45, 'builds')` is "builds 45x slower", `describeTime(0.5, 'steps')` "steps 2.0x faster".
 */
export function describeTime(r: number | null, verb: string): string {
  if (r === null) return `${verb}: no ratio`;
  if (r >= 0.95 && r <= 1.05) return `${verb} about as fast`;
  return r > 1 ? `${verb} ${formatFactor(r)} slower` : `${verb} ${formatFactor(1 / r)} faster`;
}

/** A memory ratio in words: "uses 12x the memory". */
export function describeMemory(r: number | null): string {
  if (r === null) return 'memory: no ratio';
  return `uses ${formatFactor(r)} the memory`;
}

/** A throughput (samples/s, steps/s): "5612", "30.9", "0.52". */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return String(perSecond);
  if (Math.abs(perSecond) >= 100) return perSecond.toFixed(0);
  if (Math.abs(perSecond) >= 10) return perSecond.toFixed(1);
  return perSecond.toFixed(2);
}

/** A fraction as a percentage: "38.2%". */
export function formatPercent(fraction: number): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(1)}%` : String(fraction);
}

/** Bytes as KB (2^10 bytes): "4.3". */
export function formatKB(bytes: number): string {
  const kb = bytes / 1024;
  return kb >= 100 ? kb.toFixed(0) : kb.toFixed(1);
}
