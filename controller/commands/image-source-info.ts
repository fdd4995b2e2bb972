// What the acquisition record says about the source before a byte is read: its identity as the
// kernel reports it, and whether it is write-blocked. A forensic acquisition of a block device
// that is not write-blocked is refused unless the examiner says otherwise, and then recorded so.

import type { PathInfo } from '../../drivers/block/device-info.ts';
import type { SourceInfo, WriteBlockState } from '../evidence/record-schema.ts';
import { UserError } from '../exit-codes.ts';
import type { Logger } from '../logger.ts';
import { gatherDriveFacts } from '../preflight/drive-facts.ts';
import { factsToSourceInfo } from '../preflight/facts-source-info.ts';
import { realBindings } from '../preflight/real-bindings.ts';

export interface SourceFacts {
  readonly path: string;
  readonly info: PathInfo;
  readonly emulated: boolean;
  readonly size: number;
  readonly sectorSize: number;
}

/**
 * A block device gets the full preflight (identity, SMART, HPA/DCO, every write-block method);
 * a file or an emulated drive only what can be said of it.
 */
export async function describeSource(f: SourceFacts, log: Logger): Promise<{ info: SourceInfo; notes: string[] }> {
  if (f.info.kind !== 'block' || f.emulated) {
    const wb = writeBlockOf(f);
    return { info: sourceInfoOf(f, wb), notes: [] };
  }
  const facts = await gatherDriveFacts(f.path, realBindings({ log }), { log });
  const info = factsToSourceInfo(facts);
  return { info: { ...info, path: f.path, identity: { ...info.identity, capacityBytes: f.size, logicalSectorSize: f.sectorSize } }, notes: [...facts.notes] };
}

export function writeBlockOf(f: SourceFacts): WriteBlockState {
  if (f.emulated) return { state: 'unknown', method: 'emulated drive: the emulator takes no writes' };
  if (f.info.kind === 'block') {
    return f.info.readOnly
      ? { state: 'software', method: `kernel read-only flag of ${f.info.name} is set (sysfs ro = 1)`, verified: true }
      : { state: 'none', method: `kernel read-only flag of ${f.info.name} is not set, and no hardware blocker was found` };
  }
  return { state: 'none', method: 'source is a file, opened read-only (no write blocker applies)' };
}

/** Throws the refusal for an unblocked block device, unless allowed. */
export function requireWriteBlock(f: SourceFacts, wb: WriteBlockState | undefined, allowUnblocked: boolean): void {
  if (f.info.kind !== 'block' || f.emulated || wb?.state === 'software' || wb?.state === 'hardware' || allowUnblocked) return;
  throw new UserError(
    `source ${f.path} is not write-blocked (${wb?.method ?? 'no reading'}); run 'blockdev --setro ${f.path}' or attach it through a write blocker, or pass --allow-unblocked`,
  );
}

export function sourceInfoOf(f: SourceFacts, wb: WriteBlockState): SourceInfo {
  const b = f.info.kind === 'block' ? f.info : undefined;
  return {
    path: f.path,
    identity: {
      capacityBytes: f.size,
      logicalSectorSize: f.sectorSize,
      physicalSectorSize: b?.physicalSectorSize ?? f.sectorSize,
      transport: f.emulated ? 'emulated' : b ? 'block device' : 'file',
    },
    writeBlock: wb,
  };
}
