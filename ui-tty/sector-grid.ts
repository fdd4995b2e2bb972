// The job screen's sector map, like ddrescueview: the drive cut into equal cells, each showing the
// worst status of the bytes it covers, so one bad sector in a cell of gigabytes still shows.
import type { MapRun, SectorStatus } from './view-model.ts';

/** Best first; a cell shows the last of these that it touches. */
export const STATUS_ORDER: readonly SectorStatus[] = ['+', '?', '*', '/', '-'];

const RANK: Readonly<Record<SectorStatus, number>> = { '+': 0, '?': 1, '*': 2, '/': 3, '-': 4 };

export const STATUS_NAMES: Readonly<Record<SectorStatus, string>> = {
  '+': 'finished',
  '?': 'non-tried',
  '*': 'non-trimmed',
  '/': 'non-scraped',
  '-': 'bad',
};

export function mapSize(map: readonly MapRun[]): number {
  let total = 0;
  for (const run of map) total += run.bytes;
  return total;
}

/**
 * Cut the map into `cells` equal cells (the last ones one byte larger when the size does not
 * divide) and give each the worst status it covers. With more cells than bytes, a cell shows
 * the status at its start. An empty map reads as non-tried.
 */
export function sectorGrid(map: readonly MapRun[], cells: number): SectorStatus[] {
  if (cells <= 0) return [];
  const runs = map.filter((r) => r.bytes > 0);
  const total = mapSize(runs);
  if (total === 0) return new Array<SectorStatus>(cells).fill('?');
  // Exact integer boundaries: i * total can pass 2^53 on a 20 TB drive.
  const q = Math.floor(total / cells);
  const rem = total % cells;
  const boundary = (i: number): number => q * i + Math.floor((rem * i) / cells);
  const out = new Array<SectorStatus>(cells);
  let r = 0;
  let runEnd = runs[0].bytes;
  for (let i = 0; i < cells; i++) {
    const start = boundary(i);
    const end = boundary(i + 1);
    while (runEnd <= start) runEnd += runs[++r].bytes;
    let worst = runs[r].status;
    let j = r;
    let jEnd = runEnd;
    while (jEnd < end) {
      jEnd += runs[++j].bytes;
      if (RANK[runs[j].status] > RANK[worst]) worst = runs[j].status;
    }
    out[i] = worst;
  }
  return out;
}

/** Bytes in each status. */
export function statusTotals(map: readonly MapRun[]): Record<SectorStatus, number> {
  const totals: Record<SectorStatus, number> = { '+': 0, '?': 0, '*': 0, '/': 0, '-': 0 };
  for (const run of map) totals[run.status] += run.bytes;
  return totals;
}

/** Bytes each cell stands for (cells may differ by one byte). */
export function cellBytes(map: readonly MapRun[], cells: number): number {
  return cells > 0 ? mapSize(map) / cells : 0;
}
