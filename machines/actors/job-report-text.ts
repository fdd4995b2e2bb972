// A job's text report (BASE.job.txt): what was imaged, what the box knew of the drive, what was
// read and what was not, the hashes, the verification, and every event, in words an operator or a
// customer reads without the tools. Pure: the report actor gathers, this lays out.
import { summarizeHiddenAreas } from '../../drivers/ata/summary.ts';
import { smartSummaryLine } from '../../drivers/smart/summary.ts';
import type { DriveFacts } from '../../controller/preflight/drive-facts-types.ts';
import type { UnreadSummary } from '../../controller/evidence/record-schema.ts';
import { formatBytes } from '../../controller/units.ts';
import type { ReportInput } from '../appliance-job.types.ts';
import type { ApplianceJobSettings } from './job-settings.ts';

const MAX_RANGES = 50;

export interface ReportFacts {
  readonly input: ReportInput;
  readonly facts: DriveFacts | undefined;
  readonly unread: UnreadSummary;
  readonly startedAt: Date;
  readonly finishedAt: Date;
}

export function jobReportLines(r: ReportFacts): string[] {
  const { input, facts, unread } = r;
  const { request, files } = input.settings as ApplianceJobSettings;
  const size = input.acquired.bytesTotal;
  const rescued = size - unread.byteCount;
  const pct = size > 0 ? ((rescued * 100) / size).toFixed(3) : '100';
  const id = facts?.identity;
  const lines = [
    `imagebox job ${input.jobId}: ${request.mode} on port ${input.port}`,
    `Started:      ${r.startedAt.toISOString()}`,
    `Finished:     ${r.finishedAt.toISOString()}`,
    '',
    `Drive:        ${id?.model ?? 'unknown model'}, serial ${id?.serial ?? input.source.serial ?? 'unknown'}`,
    `Device:       ${input.source.path}, ${formatBytes(size)} (${size} bytes)${id?.logicalSectorSize ? `, ${id.logicalSectorSize}-byte sectors` : ''}`,
  ];
  if (facts) {
    lines.push(
      `SMART:        ${smartSummaryLine(facts.smart)}`,
      `Hidden areas: ${summarizeHiddenAreas(facts.hidden)}`,
      `Write block:  ${facts.writeBlock.verdict}${facts.writeBlock.readings.map((w) => ` [${w.method}: ${w.state}, ${w.detail}]`).join('')}`,
    );
  }
  lines.push(
    '',
    `Destination:  ${files.image}`,
    `Mapfile:      ${files.mapfile}`,
    `Rescued:      ${formatBytes(rescued)} of ${formatBytes(size)} (${pct}%)`,
    `Unread:       ${unread.sectorCount} sectors (${formatBytes(unread.byteCount)}) in ${unread.ranges.length} ranges${unread.ranges.length ? ', zeros in the image' : ''}`,
  );
  for (const u of unread.ranges.slice(0, MAX_RANGES)) {
    lines.push(`  sectors ${u.firstSector}-${u.lastSector} (${u.sectorCount}), bytes 0x${u.startByte.toString(16)}-0x${u.endByte.toString(16)}: ${u.status}`);
  }
  if (unread.ranges.length > MAX_RANGES) lines.push(`  … ${unread.ranges.length - MAX_RANGES} more ranges: see the mapfile`);
  const hashes = Object.entries(input.acquired.hashes);
  if (hashes.length) {
    lines.push('', 'Hashes of the image:');
    for (const [algo, hex] of hashes) lines.push(`  ${algo.toUpperCase().padEnd(7)} ${hex}`);
  }
  lines.push('', `Verification: ${input.verification.ok ? 'PASSED' : 'FAILED'}: ${input.verification.summary}`);
  if (input.notes.length) {
    lines.push('', 'Events:');
    for (const n of input.notes) lines.push(`  - ${n}`);
  }
  return lines;
}
