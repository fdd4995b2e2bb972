// Everything the box can learn about a drive without reading its data: discovery's entry, then
// SMART, HPA/DCO and the write-block readings side by side (a failing drive can keep any one of
// them waiting). A missing tool, a refusal or a hang costs that part only: it becomes a note.

import { basename } from 'node:path';
import { detectHiddenAreas } from '../../drivers/ata/hidden-areas.ts';
import type { HiddenAreas } from '../../drivers/ata/types.ts';
import { combineWriteBlock } from '../../drivers/blocker/types.ts';
import { canBeDestination, type DestinationVerdict } from '../../drivers/discovery/destination.ts';
import type { Drive } from '../../drivers/discovery/types.ts';
import type { SmartReport } from '../../drivers/smart/types.ts';
import type { Logger } from '../logger.ts';
import { boundedStep, type StepResult } from './bounded-step.ts';
import type { DriveBindings, DriveFacts } from './drive-facts-types.ts';
import { mergeIdentity } from './drive-identity.ts';
import { readSmart } from './smart-step.ts';

export type { DriveBindings, DriveFacts } from './drive-facts-types.ts';

export interface StepTimeouts {
  readonly discovery: number;
  /** Above smartctl's own 60 s per read, so its better-worded timeout note wins; two reads behind an unknown USB bridge. */
  readonly smart: number;
  /** Above hdparm's own 20 s per command, three commands. */
  readonly ata: number;
  readonly writeBlock: number;
}

export const DEFAULT_TIMEOUTS: StepTimeouts = { discovery: 20_000, smart: 125_000, ata: 65_000, writeBlock: 30_000 };

export interface GatherOptions {
  readonly signal?: AbortSignal;
  readonly log?: Logger;
  readonly timeouts?: Partial<StepTimeouts>;
}

function findDrive(drives: readonly Drive[], device: string, notes: string[]): Drive | undefined {
  const found = drives.find((d) => d.path === device);
  if (found) return found;
  const name = basename(device);
  const disk = drives.find((d) => d.partitions.includes(name));
  notes.push(
    disk
      ? `${device} is a partition of ${disk.path}: the drive listing holds whole disks, so its size, mounts and bus are not shown`
      : `${device} is not in the drive listing: its mounts, system role and bus are unknown`,
  );
  return undefined;
}

function smartOf(device: string, step: StepResult<{ report: SmartReport; note?: string }>, notes: string[]): SmartReport {
  if (!step.ok) {
    notes.push(`SMART unavailable: ${step.note}`);
    return { available: false, device, reason: 'failed', note: step.note };
  }
  const { report, note } = step.value;
  if (note) notes.push(note);
  if (!report.available) notes.push(`SMART unavailable (${report.reason}): ${report.note}`);
  return report;
}

function hiddenOf(device: string, step: StepResult<HiddenAreas>, notes: string[]): HiddenAreas {
  const hidden: HiddenAreas = step.ok ? step.value : { kind: 'unavailable', device, note: step.note };
  if (hidden.kind === 'unavailable') notes.push(`HPA/DCO unavailable: ${hidden.note}`);
  return hidden;
}

const NOT_LISTED: DestinationVerdict = { ok: false, reason: 'not in the drive listing, so its mounts and system role are unknown' };

export async function gatherDriveFacts(device: string, bindings: DriveBindings, opts: GatherOptions = {}): Promise<DriveFacts> {
  const { signal } = opts;
  const t = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  const log = opts.log?.child({ component: 'preflight', drive: device });
  const at = new Date().toISOString();
  const notes: string[] = [];

  const listing = await boundedStep('the drive listing', () => bindings.discovery.list(), { timeoutMs: t.discovery, signal });
  let drive: Drive | undefined;
  if (listing.ok) {
    notes.push(...listing.value.notes.map((n) => `drive listing: ${n}`));
    drive = findDrive(listing.value.drives, device, notes);
  } else {
    notes.push(listing.note);
  }
  const transport = drive?.transport ?? undefined;

  const [smartStep, ataStep, wbStep] = await Promise.all([
    boundedStep('smartctl', () => readSmart(bindings.smart, device, transport, signal), { timeoutMs: t.smart, signal }),
    boundedStep('hdparm', () => detectHiddenAreas(bindings.ata, device, { transport, log }), { timeoutMs: t.ata, signal }),
    boundedStep('the write-block readings', () => bindings.blocker.read(device), { timeoutMs: t.writeBlock, signal }),
  ]);
  const smart = smartOf(device, smartStep, notes);
  const hidden = hiddenOf(device, ataStep, notes);
  const readings = wbStep.ok ? wbStep.value : [];
  if (!wbStep.ok) notes.push(wbStep.note);
  for (const r of readings) if (r.state === 'unknown') notes.push(`write-block (${r.method}) unknown: ${r.detail}`);
  const verdict = combineWriteBlock(readings);

  const facts: DriveFacts = {
    device,
    at,
    drive,
    identity: mergeIdentity(smart, hidden, drive),
    writeBlock: { readings, verdict },
    smart,
    hidden,
    destination: drive ? canBeDestination(drive) : NOT_LISTED,
    notes,
  };
  log?.info(
    {
      ms: { discovery: listing.ms, smart: smartStep.ms, ata: ataStep.ms, writeBlock: wbStep.ms },
      writeBlock: verdict,
      smart: smart.available ? smart.verdict.level : smart.reason,
      hidden: hidden.kind,
      notes: notes.length,
    },
    'drive facts gathered',
  );
  return facts;
}
