// The SMART part of `imagebox inspect` for people: the verdict line, why, what to do, and the
// figures that matter when imaging (whatever the drive's kind keeps them as).

import { smartSummaryLine } from '../../drivers/smart/summary.ts';
import type { AvailableSmartReport, SmartHealth, SmartReport } from '../../drivers/smart/types.ts';

const n = (v: number): string => v.toLocaleString('en-US');

/** [label, figure] for each figure the drive reported; zeros are shown, since "0 pending" is news too. */
export function keyFigures(h: SmartHealth): string[] {
  const f: [string, number | undefined, (v: number) => string][] = [
    ['reallocated', h.reallocatedSectors, n],
    ['pending', h.pendingSectors, n],
    ['offline uncorrectable', h.offlineUncorrectable, n],
    ['reported uncorrectable', h.reportedUncorrectable, n],
    ['media errors', h.mediaErrors, n],
    ['uncorrected read errors', h.uncorrectedReadErrors, n],
    ['grown defects', h.grownDefects, n],
    ['CRC errors', h.crcErrors, n],
    ['command timeouts', h.commandTimeouts, n],
    ['critical warning', h.criticalWarning, (v) => `0x${v.toString(16).padStart(2, '0')}`],
    ['spare', h.availableSparePercent, (v) => `${v}%${h.availableSpareThresholdPercent === undefined ? '' : ` (threshold ${h.availableSpareThresholdPercent}%)`}`],
    ['life used', h.percentageUsed, (v) => `${v}%`],
    ['power-on', h.powerOnHours, (v) => `${n(v)} h`],
    ['temperature', h.temperatureCelsius, (v) => `${v} °C`],
  ];
  return f.filter(([, v]) => v !== undefined).map(([label, v, fmt]) => `${label} ${fmt(v as number)}`);
}

function available(r: AvailableSmartReport, row: (label: string, value: string) => string): string[] {
  const id = r.identity;
  const out = [row('SMART', smartSummaryLine(r))];
  out.push(row('  read via', `${id.interface} (smartctl ${r.smartctlVersion ?? '?'}, -d ${id.deviceType}, exit ${r.exitStatus.raw})`));
  for (const x of r.verdict.reasons) out.push(row('  why', `${x.level}: ${x.detail}`));
  for (const a of r.verdict.advice) out.push(row('  advice', a));
  const figures = keyFigures(r.health);
  if (figures.length) out.push(row('  figures', figures.join(', ')));
  for (const a of r.health.attributesBelowThreshold) out.push(row('  threshold', `${a.id} ${a.name} at or below threshold ${a.when === 'now' ? 'now' : 'in the past'}`));
  const t = r.health.lastSelfTest;
  if (t) out.push(row('  self-test', `${t.type}: ${t.status}${t.lifetimeHours === undefined ? '' : ` (at ${n(t.lifetimeHours)} h)`}`));
  if (r.errorLog.count > 0) out.push(row('  error log', `${n(r.errorLog.count)} logged`));
  return out;
}

export function smartLines(r: SmartReport, row: (label: string, value: string) => string): string[] {
  if (r.available) return available(r, row);
  return [row('SMART', `unavailable (${r.reason}): ${r.note}`)];
}
