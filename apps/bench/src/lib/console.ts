import type { SuiteReport, TargetResult } from '../suite.js';
import { renderTextTable } from './table.js';

/** A suite's report as console text. */
export function renderReportText(report: SuiteReport): string {
  const out: string[] = [`== ${report.title} ==`, report.summary];
  for (const block of report.blocks) {
    out.push('', `-- ${block.heading}`);
    if (block.table) out.push(renderTextTable(block.table));
    for (const line of block.bullets) out.push(`  * ${line}`);
  }
  return out.join('\n');
}

/** "TARGET N=1024 build < 1000 ms: PASS (412 ms)" lines. */
export function renderTargetsText(targets: TargetResult[]): string {
  if (targets.length === 0) return 'no targets';
  return targets.map((t) => `TARGET ${t.name}: ${t.status} (${t.measured})`).join('\n');
}
