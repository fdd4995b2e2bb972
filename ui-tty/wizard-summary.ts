// The wizard's last step: the job in plain words, and what the operator should know before it
// starts (an unprotected source, a target that will be overwritten, a failing drive).
import type { Line } from './components/scroll-view.ts';
import type { JobRequest } from './job-request.ts';
import { fit } from './text.ts';
import type { PortView } from './view-model.ts';
import { HEALTH_COLOURS, HEALTH_WORDS } from './words.ts';

const MODE_WORDS: Readonly<Record<JobRequest['mode'], string>> = {
  forensic: 'forensic image',
  recovery: 'recovery',
  clone: 'clone to another drive',
};

const FORMAT_WORDS: Readonly<Record<NonNullable<JobRequest['forensic']>['format'], string>> = {
  e01: 'E01 (EnCase 6)',
  raw: 'raw',
  split: 'split raw',
  zst: 'seekable zstd',
};

const row = (label: string, value: string): Line => ({ text: `  ${fit(label, 12)} ${value}` });

export function requestSummary(port: PortView, r: JobRequest): Line[] {
  const lines: Line[] = [
    row('Source', `port ${port.port}  ${port.device}  ${port.model}  ${port.serial}`),
    row('Mode', MODE_WORDS[r.mode]),
    row('Destination', r.destination),
  ];
  if (r.forensic) {
    const c = r.forensic.case;
    const hashes = r.forensic.hashes.map((a) => a.toUpperCase().replace('SHA', 'SHA-')).join(', ');
    lines.push(row('Format', `${FORMAT_WORDS[r.forensic.format]}, hashes ${hashes}`));
    lines.push(row('Case', [c.caseNumber, c.evidenceNumber, c.examiner].map((v) => v || '-').join(' / ')));
    if (c.notes) lines.push(row('Notes', c.notes));
  }
  const rec = r.recovery;
  lines.push(row('Reading', `${rec.strategy}, ${rec.retries} retry passes, timeout ${rec.readTimeoutSec} s, scrape ${rec.scrape}`));
  lines.push({ ...row('Health', `${HEALTH_WORDS[port.health]}: ${port.healthLine}`), colour: HEALTH_COLOURS[port.health] });
  if (port.writeBlock !== 'engaged') {
    const state = port.writeBlock === 'unknown' ? 'is in an unknown state' : 'is NOT engaged';
    lines.push({ text: `  WARNING: the write block of port ${port.port} ${state}.`, colour: 'red', bold: true });
  }
  if (r.mode === 'clone') {
    lines.push({ text: `  WARNING: everything on ${r.destination} will be overwritten.`, colour: 'red', bold: true });
  }
  return lines;
}
