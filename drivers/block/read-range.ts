// The rule every BlockSource enforces on a read request, in one place.

/**
 * pos and len are whole sectors inside the source. The one exception is the tail of a file whose
 * size is not a whole number of sectors: a read may end exactly at the end of the source.
 */
export function checkReadRange(path: string, pos: number, len: number, sectorSize: number, size: number): void {
  if (!Number.isSafeInteger(pos) || !Number.isSafeInteger(len) || pos < 0 || len <= 0) {
    throw new RangeError(`${path}: invalid read pos=${pos} len=${len}`);
  }
  if (pos % sectorSize !== 0 || (len % sectorSize !== 0 && pos + len !== size)) {
    throw new RangeError(`${path}: read pos=${pos} len=${len} is not aligned to ${sectorSize}-byte sectors`);
  }
  if (pos + len > size) {
    throw new RangeError(`${path}: read pos=${pos} len=${len} goes past the end (${size})`);
  }
}
