// The rescue domain: the sorted, disjoint byte ranges a rescue may read (ddrescue -i/-s, -m).
import type { Area, Block, Status } from './block.ts';
import { end } from './block.ts';
import type { SectorMap } from './sector-map.ts';

export class Domain {
  readonly blocks: readonly Block[];
  readonly size: number;

  /** Blocks must be sorted and disjoint; touching blocks are joined. */
  constructor(blocks: readonly Block[]) {
    const joined: Block[] = [];
    for (const b of blocks) {
      if (b.size <= 0) continue;
      const last = joined[joined.length - 1];
      if (last && b.pos < end(last)) throw new RangeError('domain blocks overlap or are not sorted');
      if (last && b.pos === end(last)) joined[joined.length - 1] = { pos: last.pos, size: last.size + b.size };
      else joined.push({ pos: b.pos, size: b.size });
    }
    this.blocks = joined;
    this.size = joined.reduce((sum, b) => sum + b.size, 0);
  }

  static whole(size: number): Domain {
    return new Domain([{ pos: 0, size }]);
  }

  get start(): number {
    return this.blocks.length ? this.blocks[0].pos : 0;
  }

  get end(): number {
    const last = this.blocks[this.blocks.length - 1];
    return last ? end(last) : 0;
  }

  /** Index of the first block that ends after pos. */
  private firstEndingAfter(pos: number): number {
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (end(this.blocks[mid]) <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First part of an area with one of `statuses`, inside the domain, at or after pos. */
  next(map: SectorMap, pos: number, statuses: string): Area | undefined {
    for (let i = this.firstEndingAfter(pos); i < this.blocks.length; i++) {
      const b = this.blocks[i];
      const found = map.nextWith(Math.max(pos, b.pos), statuses);
      if (!found) return undefined;
      if (found.pos < end(b)) return { pos: found.pos, size: Math.min(end(found), end(b)) - found.pos, status: found.status };
    }
    return undefined;
  }

  /** Last part of an area with one of `statuses`, inside the domain, ending at or before pos. */
  prev(map: SectorMap, pos: number, statuses: string): Area | undefined {
    for (let i = Math.min(this.firstEndingAfter(pos), this.blocks.length - 1); i >= 0; i--) {
      const b = this.blocks[i];
      if (b.pos >= pos) continue;
      const found = map.prevWith(Math.min(pos, end(b)), statuses);
      if (!found) return undefined;
      if (end(found) > b.pos) {
        const start = Math.max(found.pos, b.pos);
        return { pos: start, size: end(found) - start, status: found.status };
      }
    }
    return undefined;
  }

  /** Bytes of each status inside the domain. */
  totals(map: SectorMap): Record<Status, number> {
    const t: Record<Status, number> = { '?': 0, '*': 0, '/': 0, '-': 0, '+': 0 };
    if (this.blocks.length === 1 && this.start === 0 && this.end === map.size) {
      for (const s of Object.keys(t) as Status[]) t[s] = map.bytes(s);
      return t;
    }
    for (const b of this.blocks) {
      for (const a of map.areas(b.pos)) {
        if (a.pos >= end(b)) break;
        t[a.status] += Math.min(end(a), end(b)) - Math.max(a.pos, b.pos);
      }
    }
    return t;
  }
}
