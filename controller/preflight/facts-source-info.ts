// What the acquisition record keeps about the source, from the facts gathered before imaging:
// identity, the SMART summary, HPA/DCO as found (the visible area imaged), and the write-block
// state in the record's terms: a hardware blocker, the kernel flag alone, nothing, or not known.

import { hpaDcoRecordField } from '../../drivers/ata/record-field.ts';
import { smartRecordSummary } from '../../drivers/smart/summary.ts';
import type { DeviceIdentity, SourceInfo, WriteBlockState } from '../evidence/record-schema.ts';
import type { DriveFacts, WriteBlockFacts } from './drive-facts-types.ts';

/**
 * hardware: a USB forensic bridge or the port controller is engaged (and nothing says writes pass);
 * software: only the kernel read-only flag stands between the host and the drive;
 * none: every reading says writes would reach the drive; unknown: no reading could tell.
 */
export function recordWriteBlock(wb: WriteBlockFacts): WriteBlockState {
  const engaged = wb.readings.filter((r) => r.state === 'engaged');
  const hardware = engaged.some((r) => r.method !== 'kernel-ro');
  const kernel = engaged.some((r) => r.method === 'kernel-ro');
  const state: WriteBlockState['state'] =
    wb.verdict === 'engaged' ? (hardware ? 'hardware' : 'software')
    // A bridge or port switched to read-write overrules the verdict, but the kernel flag still holds.
    : wb.verdict === 'not-engaged' ? (kernel ? 'software' : 'none')
    : 'unknown';
  const method = wb.readings.length ? wb.readings.map((r) => `${r.method}: ${r.detail}`).join('; ') : 'no write-block reading could be taken';
  // Verified: the state was read from the device or bridge now, and no reading was left unknown.
  const verified = (state === 'hardware' || state === 'software') && wb.readings.every((r) => r.state !== 'unknown');
  return { state, method, verified };
}

function recordIdentity(facts: DriveFacts): DeviceIdentity {
  const { model, serial, firmware, capacityBytes, logicalSectorSize, physicalSectorSize, transport } = facts.identity;
  const id: DeviceIdentity = { model, serial, firmware, capacityBytes, logicalSectorSize, physicalSectorSize, transport };
  return Object.fromEntries(Object.entries(id).filter(([, v]) => v !== undefined)) as DeviceIdentity;
}

export function factsToSourceInfo(facts: DriveFacts): SourceInfo {
  return {
    path: facts.device,
    identity: recordIdentity(facts),
    smart: smartRecordSummary(facts.smart),
    hpaDco: hpaDcoRecordField(facts.hidden, 'visible'),
    writeBlock: recordWriteBlock(facts.writeBlock),
  };
}
