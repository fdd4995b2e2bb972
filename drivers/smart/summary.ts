// A SMART report, shortened: one line for tables and the panel, and the summary object the
// acquisition record keeps (shaped to fit controller/evidence/record-schema.ts `SmartSummary`,
// which this file does not import: drivers do not depend on the controller).

import type { SmartReport, UnavailableReason, VerdictLevel } from './types.ts';

const UNAVAILABLE_WORDS: Record<UnavailableReason, string> = {
  'smartctl-missing': 'smartctl missing',
  'permission-denied': 'permission denied',
  'device-gone': 'device gone',
  'unsupported-device': 'not supported by the device',
  failed: 'smartctl failed',
};

/** At most this many reasons in a table line; the full list is in the report. */
const LINE_REASONS = 3;

/** "FAILING: overall SMART FAILED, Reallocated_Sector_Ct below threshold, 8 pending sectors (+4 more)" */
export function smartSummaryLine(r: SmartReport): string {
  if (!r.available) return `NO SMART: ${UNAVAILABLE_WORDS[r.reason]}`;
  const v = r.verdict;
  const head = v.level.toUpperCase();
  if (v.level === 'healthy') {
    const h = r.health;
    const parts = [
      h.passed === true ? 'passed' : undefined,
      h.powerOnHours === undefined ? undefined : `${h.powerOnHours.toLocaleString('en-US')} h`,
      h.temperatureCelsius === undefined ? undefined : `${h.temperatureCelsius} °C`,
    ].filter((p): p is string => p !== undefined);
    return parts.length ? `${head}: ${parts.join(', ')}` : head;
  }
  const shown = v.reasons.slice(0, LINE_REASONS).map((x) => x.short);
  const more = v.reasons.length - shown.length;
  return `${head}: ${shown.join(', ')}${more > 0 ? ` (+${more} more)` : ''}`;
}

/** What the acquisition record keeps about SMART (record-schema's `SmartSummary` is this type). */
export interface SmartRecordSummary {
  /** smartctl's overall health self-assessment. */
  healthPassed?: boolean;
  powerOnHours?: number;
  reallocatedSectors?: number;
  pendingSectors?: number;
  offlineUncorrectable?: number;
  temperatureCelsius?: number;
  /** The one-line verdict, as `imagebox inspect` prints it. */
  note?: string;
  verdict: VerdictLevel | 'unavailable';
  reasons: string[];
  kind?: string;
  crcErrors?: number;
  mediaErrors?: number;
  errorLogCount?: number;
  smartctlExitStatus?: number;
  smartctlVersion?: string;
}

/** Drops undefined fields, so the record's JSON holds only what the drive reported. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function smartRecordSummary(r: SmartReport): SmartRecordSummary {
  if (!r.available) {
    return defined({
      verdict: 'unavailable',
      reasons: [r.reason],
      note: `${smartSummaryLine(r)}: ${r.note}`,
      smartctlExitStatus: r.exitStatus?.raw,
    });
  }
  const h = r.health;
  return defined({
    healthPassed: h.passed,
    powerOnHours: h.powerOnHours,
    reallocatedSectors: h.reallocatedSectors,
    pendingSectors: h.pendingSectors,
    offlineUncorrectable: h.offlineUncorrectable,
    temperatureCelsius: h.temperatureCelsius,
    note: smartSummaryLine(r),
    verdict: r.verdict.level,
    reasons: r.verdict.reasons.map((x) => x.detail),
    kind: r.kind,
    crcErrors: h.crcErrors,
    mediaErrors: h.mediaErrors,
    errorLogCount: r.errorLog.count,
    smartctlExitStatus: r.exitStatus.raw,
    smartctlVersion: r.smartctlVersion,
  });
}
