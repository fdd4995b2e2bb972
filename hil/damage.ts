// What is wrong with an emulated drive, as data (DESIGN 2.5: faults are data). Patterns generate a
// Damage; the drive model obeys it; truth() turns it into the map a perfect rescue would end with.

import type { Area, Block } from '../controller/rescue/block.ts';
import { end } from '../controller/rescue/block.ts';

/** Readable, but every byte inside costs `factor` times the normal transfer time. */
export interface SlowBlock extends Block {
  readonly factor: number;
}

/** A sector that fails until the read covering it is its `tries`-th, then reads fine for good. */
export interface UnstableSector {
  readonly pos: number;
  readonly tries: number;
}

/** The drive stops answering after `afterFailures` failed reads, until reset or `recoverAfterMs` pass. */
export interface VanishParams {
  readonly afterFailures: number;
  /** Drive-time each read takes while the drive is gone, before it fails. */
  readonly hangMs: number;
  /** Wall time a server honouring real time holds such a read back. */
  readonly wallHangMs: number;
  readonly recoverAfterMs: number;
}

export interface Damage {
  /** Permanently unreadable, sorted, merged, sector aligned; includes the hang blocks. */
  readonly bad: readonly Block[];
  /** The bad blocks whose reads hang before failing, sorted; a subset of bad. */
  readonly hang: readonly Block[];
  /** Drive-time and wall time a read touching a hang block takes before failing. */
  readonly hangMs: number;
  readonly wallHangMs: number;
  /** Sorted, non-overlapping. */
  readonly slow: readonly SlowBlock[];
  /** Sorted by pos, one sector each, none inside a bad block. */
  readonly unstable: readonly UnstableSector[];
  readonly vanish?: VanishParams;
}

export const NO_DAMAGE: Damage = { bad: [], hang: [], hangMs: 0, wallHangMs: 0, slow: [], unstable: [] };

/** Sorts, clips to [0, size), and joins overlapping or touching blocks. */
export function mergeBlocks(blocks: readonly Block[], size: number): Block[] {
  const sorted = blocks
    .map((b) => ({ pos: Math.max(0, b.pos), stop: Math.min(size, end(b)) }))
    .filter((b) => b.stop > b.pos)
    .sort((a, b) => a.pos - b.pos);
  const out: { pos: number; size: number }[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last && b.pos <= last.pos + last.size) last.size = Math.max(last.size, b.stop - last.pos);
    else out.push({ pos: b.pos, size: b.stop - b.pos });
  }
  return out;
}

/** Index of the first block ending after pos (blocks sorted and disjoint). */
export function firstEndingAfter(blocks: readonly Block[], pos: number): number {
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (end(blocks[mid]) <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bytes of [pos, pos+len) inside the blocks. */
export function overlapBytes(blocks: readonly Block[], pos: number, len: number): number {
  const stop = pos + len;
  let total = 0;
  for (let i = firstEndingAfter(blocks, pos); i < blocks.length && blocks[i].pos < stop; i++) {
    total += Math.min(stop, end(blocks[i])) - Math.max(pos, blocks[i].pos);
  }
  return total;
}

/** Index of the first unstable sector at or after pos. */
export function firstUnstableFrom(unstable: readonly UnstableSector[], pos: number): number {
  let lo = 0;
  let hi = unstable.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (unstable[mid].pos < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function totalBytes(blocks: readonly Block[]): number {
  return blocks.reduce((n, b) => n + b.size, 0);
}

/** The map a perfect rescue ends with: '-' exactly on the bad blocks, '+' everywhere else. */
export function truthOf(damage: Damage, size: number): Area[] {
  const out: Area[] = [];
  let pos = 0;
  for (const b of damage.bad) {
    if (b.pos > pos) out.push({ pos, size: b.pos - pos, status: '+' });
    out.push({ pos: b.pos, size: b.size, status: '-' });
    pos = end(b);
  }
  if (pos < size) out.push({ pos, size: size - pos, status: '+' });
  return out;
}
