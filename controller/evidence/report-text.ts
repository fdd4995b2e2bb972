// The acquisition report as plain text: fixed-width, fits an 80-column terminal and a printer.

import type { AcquisitionRecord } from './record-schema.ts';
import { reportSections } from './report-sections.ts';

function table(head: string[], body: string[][]): string[] {
  const cells = [head, ...body].map((r) => r.map((c) => c.split('\n')));
  const widths = head.map((_, i) => Math.max(...cells.map((r) => Math.max(...r[i].map((l) => l.length)))));
  const out: string[] = [];
  cells.forEach((r, n) => {
    const height = Math.max(...r.map((c) => c.length));
    for (let k = 0; k < height; k++) out.push('  ' + r.map((c, i) => (c[k] ?? '').padEnd(widths[i])).join('  ').trimEnd());
    if (n === 0) out.push('  ' + widths.map((w) => '-'.repeat(w)).join('  '));
  });
  return out;
}

export function reportText(r: AcquisitionRecord, basename: string): string {
  const title = `Acquisition report: ${basename}`;
  const lines = [title, '='.repeat(title.length)];
  for (const s of reportSections(r, basename)) {
    lines.push('', s.title, '-'.repeat(s.title.length));
    const w = Math.max(0, ...s.rows.map(([k]) => k.length));
    for (const [k, v] of s.rows) lines.push(`  ${(k + ':').padEnd(w + 1)} ${v.replace(/\n/g, `\n  ${' '.repeat(w + 2)}`)}`);
    for (const t of s.text ?? []) lines.push(`  ${t}`);
    if (s.table) {
      lines.push(...table(s.table.head, s.table.rows));
      if (s.table.more) lines.push(`  ${s.table.more}`);
    }
  }
  return lines.join('\n') + '\n';
}
