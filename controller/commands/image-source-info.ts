// What the acquisition record says about the source before a byte is read: its identity as the
// kernel reports it, and whether it is write-blocked. A forensic acquisition of a block device
// that is not write-blocked is refused unless the examiner says otherwise, and then recorded so.

import type { PathInfo } from '../../drivers/block/device-info.ts';
import type { SourceInfo, WriteBlockState } from '../evidence/record-schema.ts';
import { UserError } from '../exit-codes.ts';

export interface SourceFacts {
  readonly path: string;
  readonly info: PathInfo;
  readonly emulated: boolean;
  readonly size: number;
  readonly sectorSize: number;
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
export function requireWriteBlock(f: SourceFacts, wb: WriteBlockState, allowUnblocked: boolean): void {
  if (f.info.kind !== 'block' || wb.state === 'software' || wb.state === 'hardware' || allowUnblocked) return;
  throw new UserError(
    `source ${f.path} is not write-blocked (${wb.method}); run 'blockdev --setro ${f.path}' or attach it through a write blocker, or pass --allow-unblocked`,
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
