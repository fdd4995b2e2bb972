// `imagebox drives` for people: one row a drive, and under it what an operator must know before
// choosing it (a loop's backing file, why it cannot be a destination).

import { canBeDestination } from '../../drivers/discovery/destination.ts';
import type { Drive } from '../../drivers/discovery/types.ts';
import { formatBytes } from '../units.ts';

const HEADERS = ['DEVICE', 'SIZE', 'MODEL', 'SERIAL', 'BUS', 'SECTORS', 'RO', 'MOUNTED', ''];

function row(d: Drive): string[] {
  return [
    d.path,
    formatBytes(d.size),
    d.model ?? '-',
    d.serial ?? '-',
    d.transport ?? '-',
    `${d.logicalSectorSize}/${d.physicalSectorSize}`,
    d.readOnly ? 'ro' : 'rw',
    d.mountPoints.length ? d.mountPoints.join(',') : '-',
    d.systemDisk ? 'SYSTEM' : '',
  ];
}

function details(d: Drive): string[] {
  const lines: string[] = [];
  if (d.backingFile) lines.push(`backing file: ${d.backingFile}`);
  const verdict = canBeDestination(d);
  if (!verdict.ok) lines.push(`not a destination: ${verdict.reason}`);
  return lines;
}

export function formatDrivesTable(drives: readonly Drive[]): string {
  if (drives.length === 0) return 'no drives found\n';
  const rows = [HEADERS, ...drives.map(row)];
  const widths = HEADERS.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  const out = [line(HEADERS)];
  drives.forEach((d, i) => {
    out.push(line(rows[i + 1]));
    for (const extra of details(d)) out.push(`  ${extra}`);
  });
  return `${out.join('\n')}\n`;
}
