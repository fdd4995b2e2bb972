// The acquisition report as one self-contained HTML page that prints well (A4, no page break inside a
// row, hashes wrap instead of running off the paper).

import type { AcquisitionRecord } from './record-schema.ts';
import { reportSections } from './report-sections.ts';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `
body { font: 11pt/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #000; }
h1 { font-size: 1.5em; border-bottom: 2px solid #000; }
h2 { font-size: 1.15em; margin-top: 1.5em; border-bottom: 1px solid #888; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.2em 0.5em; border-bottom: 1px solid #ddd; }
table.kv th { width: 16em; font-weight: 600; }
td.mono, .hash { font-family: ui-monospace, monospace; word-break: break-all; white-space: pre-wrap; }
p { overflow-wrap: anywhere; }
p.warn { font-weight: 600; }
@media print {
  @page { size: A4; margin: 15mm; }
  body { font-size: 9pt; margin: 0; max-width: none; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
}
`;

const MONO = /^(Hashes|First byte|End byte|Bytes|First sector|Last sector|Sectors|Size)/;

export function reportHtml(r: AcquisitionRecord, basename: string): string {
  const e = escapeHtml;
  const out = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>Acquisition report: ${e(basename)}</title>`,
    `<style>${CSS}</style></head><body>`,
    `<h1>Acquisition report: ${e(basename)}</h1>`,
  ];
  for (const s of reportSections(r, basename)) {
    out.push(`<section><h2>${e(s.title)}</h2>`);
    if (s.rows.length) {
      out.push('<table class="kv">');
      for (const [k, v] of s.rows) out.push(`<tr><th>${e(k)}</th><td class="${/^[0-9a-f]{32,}$/.test(v) ? 'hash' : ''}">${e(v)}</td></tr>`);
      out.push('</table>');
    }
    for (const t of s.text ?? []) out.push(`<p class="${r.unread.sectorCount > 0 || /FAILED|COULD NOT/.test(t) ? 'warn' : ''}">${e(t)}</p>`);
    if (s.table) {
      const mono = s.table.head.map((h) => MONO.test(h));
      out.push('<table><thead><tr>' + s.table.head.map((h) => `<th>${e(h)}</th>`).join('') + '</tr></thead><tbody>');
      for (const row of s.table.rows) out.push('<tr>' + row.map((c, i) => `<td${mono[i] ? ' class="mono"' : ''}>${e(c)}</td>`).join('') + '</tr>');
      out.push('</tbody></table>');
      if (s.table.more) out.push(`<p>${e(s.table.more)}</p>`);
    }
    out.push('</section>');
  }
  out.push('</body></html>');
  return out.join('\n') + '\n';
}
