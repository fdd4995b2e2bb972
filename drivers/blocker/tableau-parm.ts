// Tableau bridges answer a vendor SCSI command (0xEC) with their mode, firmware and the attached
// drive's identity and HPA/DCO state; `tableau-parm DEV` (Debian package tableau-parm, 0.2.0)
// sends it and prints one `key: value` per line under `## … ##` section headers. Its man page
// warns the format "is subject to change", so unknown keys are kept, not rejected.
//
// Never run with -r: that removes a DCO, which writes to the drive.

import type { RunResult } from '../../hil/kernel-tools.ts';
import { findProgram, run } from '../../hil/kernel-tools.ts';
import { complaint } from './kernel-ro.ts';

export interface TableauHpaDco {
  readonly securityInUse: boolean;
  readonly securitySupport: boolean;
  readonly hpaInUse: boolean;
  readonly hpaSupport: boolean;
  readonly dcoInUse: boolean;
  readonly dcoSupport: boolean;
  /** Sectors the drive reports to the host (user capacity). */
  readonly driveCapacity: number;
  readonly hpaCapacity: number;
  /** The drive's real capacity, past any DCO. */
  readonly dcoCapacity: number;
}

export interface TableauReport {
  readonly channelIndex: number;
  /** "IDE/ATA", "SATA", "SCSI", "USB". */
  readonly channelType: string;
  /** The bridge's mode: false when it blocks writes. */
  readonly writesPermitted: boolean;
  readonly declaresWriteBlocked: boolean;
  readonly bridge: { readonly serial: string; readonly vendor: string; readonly model: string; readonly firmwareDate: string; readonly firmwareTime: string };
  readonly drive: { readonly vendor: string; readonly model: string; readonly serial: string; readonly revision: string };
  /** Present when the bridge sent its HPA/DCO page (ATA drives). */
  readonly hpaDco?: TableauHpaDco;
  /** Every key the tool printed, as printed. */
  readonly raw: Readonly<Record<string, string>>;
}

function keyValues(text: string): Record<string, string> {
  const kv: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^([a-z_]+):(?: (.*))?$/.exec(line);
    if (m) kv[m[1]] = m[2] ?? '';
  }
  return kv;
}

function need(kv: Record<string, string>, key: string): string {
  const v = kv[key];
  if (v === undefined) throw new Error(`tableau-parm output has no ${key} line`);
  return v;
}

function flag(kv: Record<string, string>, key: string): boolean {
  const v = need(kv, key);
  if (v !== 'TRUE' && v !== 'FALSE') throw new Error(`tableau-parm ${key}: expected TRUE or FALSE, got ${JSON.stringify(v)}`);
  return v === 'TRUE';
}

function count(kv: Record<string, string>, key: string): number {
  const v = need(kv, key);
  if (!/^\d+$/.test(v)) throw new Error(`tableau-parm ${key}: expected a number, got ${JSON.stringify(v)}`);
  return Number(v);
}

/** Parses `tableau-parm DEV` stdout. Throws naming the missing or malformed key. */
export function parseTableauParm(text: string): TableauReport {
  if (!text.includes('## Bridge Information ##')) throw new Error('tableau-parm output has no "## Bridge Information ##" section');
  const kv = keyValues(text);
  const chan = need(kv, 'chan_index');
  if (!/^0x[0-9A-Fa-f]+$/.test(chan)) throw new Error(`tableau-parm chan_index: expected hex, got ${JSON.stringify(chan)}`);
  const hasPage = text.includes('## Drive HPA/DCO/Security Information ##');
  return {
    channelIndex: parseInt(chan, 16),
    channelType: need(kv, 'chan_type'),
    writesPermitted: flag(kv, 'writes_permitted'),
    declaresWriteBlocked: flag(kv, 'declare_write_blocked'),
    // declare_write_errors is not kept: tableau-parm 0.2.0 prints declare_write_blocked's value under it.
    bridge: {
      serial: need(kv, 'bridge_serial'),
      vendor: need(kv, 'bridge_vendor'),
      model: need(kv, 'bridge_model'),
      firmwareDate: need(kv, 'firmware_date'),
      firmwareTime: need(kv, 'firmware_time'),
    },
    drive: { vendor: need(kv, 'drive_vendor'), model: need(kv, 'drive_model'), serial: need(kv, 'drive_serial'), revision: need(kv, 'drive_revision') },
    hpaDco: hasPage
      ? {
          securityInUse: flag(kv, 'security_in_use'),
          securitySupport: flag(kv, 'security_support'),
          hpaInUse: flag(kv, 'hpa_in_use'),
          hpaSupport: flag(kv, 'hpa_support'),
          dcoInUse: flag(kv, 'dco_in_use'),
          dcoSupport: flag(kv, 'dco_support'),
          driveCapacity: count(kv, 'drive_capacity'),
          hpaCapacity: count(kv, 'hpa_capacity'),
          dcoCapacity: count(kv, 'dco_capacity'),
        }
      : undefined,
    raw: kv,
  };
}

export type TableauQuery =
  | { readonly ok: true; readonly report: TableauReport }
  | { readonly ok: false; readonly unavailable: boolean; readonly note: string };

/** Interprets a finished run of `tableau-parm DEV`. */
export function tableauQueryOf(dev: string, r: RunResult): TableauQuery {
  if (r.code !== 0) return { ok: false, unavailable: false, note: `tableau-parm ${dev}: ${complaint(r)}` };
  try {
    return { ok: true, report: parseTableauParm(r.stdout) };
  } catch (err) {
    return { ok: false, unavailable: false, note: (err as Error).message };
  }
}

/** Queries the bridge in front of dev; a missing tool is a typed note, never a throw. */
export async function queryTableau(dev: string): Promise<TableauQuery> {
  if (!(await findProgram('tableau-parm'))) {
    return { ok: false, unavailable: true, note: 'tableau-parm not installed (Debian package tableau-parm)' };
  }
  // The tool's own SCSI timeout is 20 s; a hung bridge must not hold the probe longer than that.
  return tableauQueryOf(dev, await run('tableau-parm', [dev], 25_000));
}

/** One line for the record: the bridge and what it says of the drive. */
export function describeTableau(r: TableauReport): string {
  const hd = r.hpaDco;
  const hpa = hd ? `, HPA ${hd.hpaInUse ? 'in use' : 'not in use'}, DCO ${hd.dcoInUse ? 'in use' : 'not in use'}` : '';
  return (
    `tableau-parm: ${r.bridge.vendor} ${r.bridge.model} (serial ${r.bridge.serial}, firmware ${r.bridge.firmwareDate} ${r.bridge.firmwareTime}), ` +
    `writes_permitted ${r.writesPermitted ? 'TRUE' : 'FALSE'}; drive ${r.drive.model} serial ${r.drive.serial}${hpa}`
  );
}
