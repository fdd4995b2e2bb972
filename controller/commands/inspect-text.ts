// `imagebox inspect` for people: who the drive says it is, whether it is write-blocked and how we
// know, what SMART and HPA/DCO say, whether it may receive an image, and what could not be learned.

import { formatBinary, summarizeHiddenAreas } from '../../drivers/ata/summary.ts';
import type { HiddenAreas } from '../../drivers/ata/types.ts';
import type { DriveFacts, DriveIdentity, IdentitySource } from '../preflight/drive-facts-types.ts';
import { recordWriteBlock } from '../preflight/facts-source-info.ts';
import { formatBytes } from '../units.ts';
import { smartLines } from './inspect-smart-text.ts';

const LABEL_WIDTH = 14;
const row = (label: string, value: string): string => `${label.padEnd(LABEL_WIDTH)} ${value}`;

const SOURCE_WORDS: Record<IdentitySource, string> = { smart: 'smartctl', hdparm: 'hdparm -I', discovery: 'kernel' };

function identityLines(id: DriveIdentity): string[] {
  const from = (f: keyof DriveIdentity['from']): string => (id.from[f] ? `  (${SOURCE_WORDS[id.from[f]]})` : '');
  const text = (f: 'model' | 'serial' | 'firmware' | 'transport'): string => (id[f] === undefined ? '-' : `${id[f]}${from(f)}`);
  const size = id.capacityBytes === undefined ? '-' : `${formatBytes(id.capacityBytes)} (${id.capacityBytes.toLocaleString('en-US')} bytes)${from('capacityBytes')}`;
  const sectors =
    id.logicalSectorSize === undefined ? '-' : `${id.logicalSectorSize} logical, ${id.physicalSectorSize ?? '?'} physical${from('logicalSectorSize')}`;
  const rpm = id.rotationRpm === undefined ? '-' : id.rotationRpm === 0 ? 'solid state' : `${id.rotationRpm} rpm`;
  return [
    row('model', text('model')),
    row('serial', text('serial')),
    row('firmware', text('firmware')),
    row('capacity', size),
    row('sectors', sectors),
    row('rotation', rpm),
    row('transport', text('transport')),
  ];
}

const WB_WORDS = {
  hardware: 'ENGAGED by a hardware write-blocker',
  software: 'ENGAGED by the kernel read-only flag only (software: it does not stop SG_IO pass-through)',
  none: 'NOT ENGAGED: writes would reach the drive',
  unknown: 'UNKNOWN: treat it as not write-blocked',
} as const;

function writeBlockLines(f: DriveFacts): string[] {
  const rec = recordWriteBlock(f.writeBlock);
  // A bridge switched to read-write makes the verdict "not engaged" even while the kernel flag holds.
  const head = f.writeBlock.verdict === 'not-engaged' && rec.state === 'software' ? `NOT ENGAGED: a blocker lets writes through (the kernel read-only flag is set)` : WB_WORDS[rec.state];
  const out = [row('write-block', head)];
  for (const r of f.writeBlock.readings) out.push(row(`  ${r.method}`, `${r.state}: ${r.detail}`));
  if (f.writeBlock.readings.length === 0) out.push(row('', 'no reading could be taken'));
  return out;
}

function hiddenLines(h: HiddenAreas): string[] {
  if (h.kind !== 'ata') return [row('HPA/DCO', summarizeHiddenAreas(h).replace(/^HPA\/DCO: /, ''))];
  const out = [row('HPA/DCO', summarizeHiddenAreas(h))];
  const amax = h.accessibleMaxAddress ? ' (ACCESSIBLE MAX ADDRESS: unlocking would change the drive for good)' : '';
  out.push(row('  max sectors', `${h.visibleSectors.toLocaleString('en-US')} visible, ${h.nativeSectors.toLocaleString('en-US')} native${amax}`));
  if (h.dco.state === 'read') out.push(row('  DCO max', `${h.dco.realMaxSectors.toLocaleString('en-US')} sectors (${formatBinary(h.dco.realMaxSectors * h.sectorSize)})`));
  if (h.hpa.note) out.push(row('  note', h.hpa.note));
  return out;
}

export function formatInspect(f: DriveFacts): string {
  const lines = [row('device', f.device)];
  if (f.drive?.backingFile) lines.push(row('backing file', f.drive.backingFile));
  lines.push(...identityLines(f.identity), '', ...writeBlockLines(f), '', ...smartLines(f.smart, row), '', ...hiddenLines(f.hidden), '');
  lines.push(row('destination', f.destination.ok ? 'may receive an image' : `no: ${f.destination.reason}`));
  if (f.notes.length) {
    lines.push('', 'notes');
    for (const note of f.notes) lines.push(`  - ${note}`);
  }
  return `${lines.join('\n')}\n`;
}
