// The vocabulary of GNU ddrescue's mapfile: a block is a byte range, an area is a block with a status.
// Positions and sizes are plain numbers: exact up to 2^53 bytes (8 PiB), far beyond any drive.

/** Status of an area, as the mapfile writes it. */
export type Status = '?' | '*' | '/' | '-' | '+';

export const STATUSES: readonly Status[] = ['?', '*', '/', '-', '+'];

export const STATUS_NAMES: Record<Status, string> = {
  '?': 'non-tried',
  '*': 'non-trimmed',
  '/': 'non-scraped',
  '-': 'bad-sector',
  '+': 'finished',
};

export function isStatus(c: string): c is Status {
  return c === '?' || c === '*' || c === '/' || c === '-' || c === '+';
}

export interface Block {
  readonly pos: number;
  readonly size: number;
}

export interface Area extends Block {
  readonly status: Status;
}

export function end(b: Block): number {
  return b.pos + b.size;
}

/** The overlap of two blocks, or undefined when they do not overlap. */
export function intersect(a: Block, b: Block): Block | undefined {
  const pos = Math.max(a.pos, b.pos);
  const stop = Math.min(end(a), end(b));
  return stop > pos ? { pos, size: stop - pos } : undefined;
}

export function alignDown(n: number, unit: number): number {
  return n - (n % unit);
}

export function alignUp(n: number, unit: number): number {
  const r = n % unit;
  return r === 0 ? n : n + unit - r;
}
