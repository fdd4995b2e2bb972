// Whether a listed drive may receive an image. A destination is overwritten, so the system disk
// and anything mounted are refused outright, as is a drive whose mounts could not be established.

import type { Drive } from './types.ts';

/** Mount points that make their disk the system disk (as device-info.ts decides it). */
export const SYSTEM_MOUNT_POINTS: readonly string[] = ['/', '/boot', '[swap]'];

export type DestinationVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function canBeDestination(drive: Drive): DestinationVerdict {
  const reasons: string[] = [];
  const held = drive.systemDisk ? drive.mountPoints.filter((m) => SYSTEM_MOUNT_POINTS.includes(m)) : [];
  if (drive.systemDisk) reasons.push(`system disk${held.length ? ` (holds ${held.join(', ')})` : ''}`);
  const others = drive.mountPoints.filter((m) => !held.includes(m));
  if (others.length) reasons.push(`mounted at ${others.join(', ')}`);
  if (drive.readOnly) reasons.push('read-only');
  if (drive.size === 0) reasons.push('no medium');
  if (drive.problem) reasons.push(`not fully known (${drive.problem})`);
  return reasons.length === 0 ? { ok: true } : { ok: false, reason: reasons.join('; ') };
}
