// Two listings in, the events between them out. A kernel name can come back as another drive
// within one re-list (a loop re-attached to another file, sdb swapped quickly): when what
// identifies the drive differs, that is a detach and an attach, not a change.

import type { Drive, DriveEvent } from './types.ts';

const IDENTITY = ['dev', 'serial', 'wwid', 'backingFile'] as const;

const WATCHED: readonly (keyof Drive)[] = [
  'size', 'logicalSectorSize', 'physicalSectorSize', 'readOnly', 'removable', 'transport', 'vendor', 'model',
  'serial', 'wwid', 'partitions', 'mountPoints', 'systemDisk', 'problem',
];

/** Different drives: an identifying fact known on both sides that disagrees (null means not read). */
function replaced(a: Drive, b: Drive): boolean {
  return IDENTITY.some((k) => a[k] !== null && b[k] !== null && a[k] !== b[k]);
}

function changedFields(a: Drive, b: Drive): (keyof Drive)[] {
  return WATCHED.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

export function diffDrives(prev: readonly Drive[], next: readonly Drive[]): DriveEvent[] {
  const before = new Map(prev.map((d) => [d.name, d]));
  const after = new Map(next.map((d) => [d.name, d]));
  const gone: DriveEvent[] = [];
  const came: DriveEvent[] = [];
  const changed: DriveEvent[] = [];
  for (const [name, old] of before) {
    const now = after.get(name);
    if (!now || replaced(old, now)) gone.push({ type: 'detach', drive: old });
  }
  for (const [name, now] of after) {
    const old = before.get(name);
    if (!old || replaced(old, now)) {
      came.push({ type: 'attach', drive: now });
      continue;
    }
    const fields = changedFields(old, now);
    if (fields.length) changed.push({ type: 'change', drive: now, previous: old, changed: fields });
  }
  return [...gone, ...came, ...changed];
}
