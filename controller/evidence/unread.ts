// The sectors a rescue never read, as the record lists them: byte ranges and sector ranges of the
// source. Every area of the map that is not finished ('+') counts, whatever its phase: a non-tried
// area left by a stopped job is just as absent from the image as a bad sector.

import { intersect, STATUS_NAMES, type Block } from '../rescue/block.ts';
import type { SectorMap } from '../rescue/sector-map.ts';
import type { UnreadRange, UnreadStatus, UnreadSummary } from './record-schema.ts';

function range(pos: number, size: number, sectorSize: number, status: UnreadStatus): UnreadRange {
  const firstSector = Math.floor(pos / sectorSize);
  const lastSector = Math.ceil((pos + size) / sectorSize) - 1;
  return { startByte: pos, endByte: pos + size, sizeBytes: size, firstSector, lastSector, sectorCount: lastSector - firstSector + 1, status };
}

function summary(ranges: UnreadRange[]): UnreadSummary {
  return {
    fill: 'zeros',
    byteCount: ranges.reduce((n, r) => n + r.sizeBytes, 0),
    sectorCount: ranges.reduce((n, r) => n + r.sectorCount, 0),
    ranges,
  };
}

function checkSectorSize(sectorSize: number): void {
  if (!Number.isSafeInteger(sectorSize) || sectorSize <= 0) throw new RangeError(`bad sector size ${sectorSize}`);
}

/** Unread ranges of a rescue's map, within the imaged extent (default: the whole map). */
export function unreadFromMap(map: SectorMap, sectorSize: number, extent: Block = { pos: 0, size: map.size }): UnreadSummary {
  checkSectorSize(sectorSize);
  const ranges: UnreadRange[] = [];
  map.forEachArea((pos, size, status) => {
    if (status === '+') return;
    const part = intersect({ pos, size }, extent);
    if (part) ranges.push(range(part.pos, part.size, sectorSize, STATUS_NAMES[status] as UnreadStatus));
  }, extent.pos);
  return summary(ranges);
}

/** Unread ranges from a plain list of blocks (any order; overlapping or touching blocks are joined). */
export function unreadFromBlocks(blocks: readonly Block[], sectorSize: number): UnreadSummary {
  checkSectorSize(sectorSize);
  const sorted = blocks.filter((b) => b.size > 0).toSorted((a, b) => a.pos - b.pos);
  const joined: Block[] = [];
  for (const b of sorted) {
    const last = joined[joined.length - 1];
    if (last && b.pos <= last.pos + last.size) {
      joined[joined.length - 1] = { pos: last.pos, size: Math.max(last.size, b.pos + b.size - last.pos) };
    } else joined.push(b);
  }
  return summary(joined.map((b) => range(b.pos, b.size, sectorSize, 'unread')));
}
