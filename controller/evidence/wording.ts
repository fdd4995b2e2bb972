// The sentences both reports print. A forensic image of a failing drive never claims more than was
// read: every hash sentence says whether all sectors were read or how many were filled with zeros.

import { ALGO_NAMES } from './algorithms.ts';
import type { AcquisitionRecord, HashValue } from './record-schema.ts';

/** 1234567 -> "1,234,567" (fixed, whatever the machine's locale). */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${thousands(n)} ${n === 1 ? one : many}`;
}

export function imageHashLabel(r: AcquisitionRecord, h: HashValue): string {
  const name = ALGO_NAMES[h.algorithm];
  const n = r.unread.sectorCount;
  return n === 0
    ? `${name} of the image (every sector read)`
    : `${name} of the image, with ${plural(n, 'unread sector')} filled with zeros`;
}

export function imageHashSentence(r: AcquisitionRecord, h: HashValue): string {
  return `${imageHashLabel(r, h)}: ${h.hex}`;
}

export function completeness(r: AcquisitionRecord): string {
  const total = r.imaged.sectorCount;
  const n = r.unread.sectorCount;
  if (n === 0) return `Every one of the ${plural(total, 'sector')} imaged was read.`;
  return (
    `${thousands(n)} of the ${plural(total, 'sector')} imaged (${plural(r.unread.byteCount, 'byte')}, ` +
    `${plural(r.unread.ranges.length, 'range')}) were not read; the image holds zeros there. ` +
    'The hashes describe this image, not the drive: they cannot show what those sectors held.'
  );
}

export function verificationSentence(r: AcquisitionRecord): string {
  const v = r.verification;
  if (!v || v.result === 'not-run') return 'The image was not verified.';
  const names = (v.hashes ?? []).map((h) => ALGO_NAMES[h.algorithm]).join(' and ') || 'hashes';
  if (v.result === 'match') {
    const caveat = r.unread.sectorCount > 0 ? ' A match shows the image is unchanged since acquisition, not that every sector was read.' : '';
    return `Verified (${v.method}): the ${names} match the acquisition hashes.${caveat}`;
  }
  if (v.result === 'mismatch') {
    const where = v.mismatchedWindows?.length ? ` Windows that differ: ${v.mismatchedWindows.map((w) => `bytes ${thousands(w.offset)}-${thousands(w.offset + w.length)}`).join(', ')}.` : '';
    return `VERIFICATION FAILED (${v.method}): the ${names} do not match the acquisition hashes.${where}`;
  }
  return `VERIFICATION COULD NOT BE COMPLETED (${v.method})${v.detail ? `: ${v.detail}` : '.'}`;
}
