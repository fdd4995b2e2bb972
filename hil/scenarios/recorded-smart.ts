// A recorded smartctl answer (hil/recordings/) fitted to an emulated drive: the capacity becomes
// the drive's, so smartctl, hdparm and the listing tell one identity; the rest stays as recorded.
// The text is edited in place, not re-serialised, so the recording's layout survives.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const RECORDINGS_DIR = join(import.meta.dirname, '..', 'recordings');

/** What the appliance takes from a recording to build the rest of the drive (hdparm, the listing). */
export interface RecordedIdentity {
  readonly model: string;
  readonly serial: string;
  readonly firmware: string;
  readonly logicalSectorSize: number;
  readonly physicalSectorSize: number;
}

export interface FittedRecording {
  /** smartctl's stdout, capacity fitted. */
  readonly output: string;
  readonly identity: RecordedIdentity;
}

const CAPACITY = /("user_capacity"\s*:\s*\{\s*"blocks"\s*:\s*)\d+(\s*,\s*"bytes"\s*:\s*)\d+/;

/** Fits a recording's text to a drive of `bytes` in `sectorSize`-byte logical sectors. */
export function fitRecording(text: string, bytes: number, sectorSize: number, name = 'recording'): FittedRecording {
  const recorded = JSON.parse(text) as Record<string, unknown>;
  const logical = Number(recorded.logical_block_size ?? 512);
  if (logical !== sectorSize) throw new Error(`${name}: logical sectors of ${logical} bytes, the drive has ${sectorSize}`);
  if (bytes % sectorSize !== 0) throw new Error(`${name}: ${bytes} bytes is not whole ${sectorSize}-byte sectors`);
  if (!CAPACITY.test(text)) throw new Error(`${name}: no user_capacity {blocks, bytes} to fit`);
  const output = text.replace(CAPACITY, `$1${bytes / sectorSize}$2${bytes}`);
  const fitted = JSON.parse(output) as { user_capacity: { bytes: number } };
  if (fitted.user_capacity.bytes !== bytes) throw new Error(`${name}: capacity not fitted`);
  const str = (key: string): string => {
    const v = recorded[key];
    if (typeof v !== 'string') throw new Error(`${name}: no ${key}`);
    return v;
  };
  return {
    output,
    identity: {
      model: str('model_name'),
      serial: str('serial_number'),
      firmware: str('firmware_version'),
      logicalSectorSize: logical,
      physicalSectorSize: Number(recorded.physical_block_size ?? logical),
    },
  };
}

/** Reads hil/recordings/FILE and fits it. */
export function loadRecording(file: string, bytes: number, sectorSize: number): FittedRecording {
  return fitRecording(readFileSync(join(RECORDINGS_DIR, file), 'utf8'), bytes, sectorSize, file);
}
