// The smart strategy's first copy pass (docs/strategy.md, heuristic 5). Like ddrescue's, it reads
// non-tried areas a cluster at a time and skips past failures, with three changes:
// - Edges from the good side: a cluster that fails right after good data is read sector by sector
//   up to its first bad sector, and once a skip lands on good data again, the pass reads back
//   towards the failure (clusters, then sectors) up to the last bad sector. Each bad run is thus
//   bracketed exactly, with its good surroundings read, at one failed read per edge.
// - Runs that bracket each other into a pattern (BandModel: same spacing, same length) predict the
//   next one. The pass reads up to the predicted run and skips it without reading: it is left
//   non-trimmed ('*'), for the trim phase, which reads its edges and so checks the prediction.
// - A failure nobody predicted may mean the pattern changed (a dead head's bands move at each zone
//   boundary): the skipped predictions just before it get one probe each, and one that reads is
//   handed back as non-tried, so the next passes read it.
import type { Area } from './block.ts';
import { alignDown, end } from './block.ts';
import type { Run } from './band-model.ts';
import { BandModel } from './band-model.ts';
import { skipBounds } from './options.ts';
import type { RescueIO } from './rescue-io.ts';
import { runwayRead } from './runway.ts';

export async function smartFirstPass(io: RescueIO, startAt?: number): Promise<void> {
  const { domain, map } = io;
  const cluster = io.options.clusterSectors * io.sectorSize;
  const bounds = skipBounds(io.options, domain.size, io.sectorSize);
  const model = new BandModel(io.sectorSize);
  let pos = startAt ?? domain.start;
  let slowSkip = bounds.initial;
  for (;;) {
    const area = domain.next(map, pos, '?');
    if (!area) return;
    const start = area.pos;
    let stop = gridStop(area, cluster);
    const band = model.next();
    if (band && band.start === start) {
      skipPredicted(io, model, band);
      pos = band.end;
      continue;
    }
    if (band && band.start > start && band.start < stop) stop = band.start;
    const far = await runwayRead(io, start, end(area));
    if (far !== undefined) {
      pos = far;
      continue;
    }
    const verdict = await io.read(start, stop - start, '*');
    pos = stop;
    if (verdict === 'ok') {
      slowSkip = bounds.initial;
      continue;
    }
    if (verdict === 'slow') {
      pos = Math.min(domain.end, stop + slowSkip);
      slowSkip = Math.min(slowSkip * 2, bounds.max);
      continue;
    }
    // A short run (a skip's length) is left as ddrescue leaves it: its edges cost more now than later.
    const first = await land(io, stop, bounds.initial, cluster);
    if (!first) return;
    if (first.ok) {
      pos = first.stop;
      continue;
    }
    const runStart = await leadingEdge(io, start, stop);
    if (runStart === undefined) continue;
    await checkPredictions(io, model, runStart);
    const found = await trailingEdge(io, stop, first.stop, cluster, bounds);
    if (!found) return;
    model.add({ start: runStart, end: found.edge, predicted: false });
    bracket(io, runStart, found.edge);
    pos = found.resumeAt;
  }
}

/** The end of the cluster read that starts an area: clusters keep to a fixed grid. */
function gridStop(area: Area, cluster: number): number {
  return Math.min(end(area), alignDown(area.pos, cluster) + cluster);
}

/** Leave a predicted run unread, as non-trimmed: the trim phase reads its edges. */
function skipPredicted(io: RescueIO, model: BandModel, band: Run): void {
  for (const a of [...areasIn(io, band.start, band.end)]) if (a.status === '?') io.mark(a.pos, a.size, '*');
  model.add(band);
}

/**
 * A cluster [start, stop) failed. When good data comes right before it, read it sector by sector
 * up to the first bad sector and return where that is; when it continues earlier damage, the run
 * started before. Undefined when every sector read (a marginal sector that read on a second try).
 */
async function leadingEdge(io: RescueIO, start: number, stop: number): Promise<number | undefined> {
  if (start === 0 || io.map.areaAt(start - 1).status !== '+') return start;
  for (let p = start; p < stop; p += io.sectorLen(p)) {
    if ((await io.read(p, io.sectorLen(p), '*')) === 'error') return p;
  }
  return undefined;
}

/**
 * Skip on from a failed landing at `at`, doubling the skip, until a cluster reads; then read back towards the
 * failure (non-tried clusters, then sectors) up to the last bad sector. Returns the byte after
 * that sector, and where the pass goes on; undefined when the damage runs to the domain's end.
 */
async function trailingEdge(
  io: RescueIO,
  from: number,
  at: number,
  cluster: number,
  bounds: { initial: number; max: number },
): Promise<{ edge: number; resumeAt: number } | undefined> {
  for (let skip = Math.min(bounds.initial * 2, bounds.max); ; skip = Math.min(skip * 2, bounds.max)) {
    const landing = await land(io, at, skip, cluster);
    if (!landing) return undefined;
    if (landing.ok) return { edge: await readBack(io, landing.pos, from, cluster), resumeAt: landing.stop };
    at = landing.stop;
  }
}

/** Read the cluster a skip from `at` lands on; undefined when nothing non-tried is left there. */
async function land(io: RescueIO, at: number, skip: number, cluster: number): Promise<{ ok: boolean; pos: number; stop: number } | undefined> {
  const { domain, map, sectorSize } = io;
  const landing = domain.next(map, Math.min(domain.end, alignDown(at + skip, sectorSize)), '?');
  if (!landing) return undefined;
  const stop = gridStop(landing, cluster);
  return { ok: (await io.read(landing.pos, stop - landing.pos, '*')) !== 'error', pos: landing.pos, stop };
}

/** Read backwards from pos (good data starts there) until a sector fails; returns the byte after it. */
async function readBack(io: RescueIO, pos: number, floor: number, cluster: number): Promise<number> {
  const { map } = io;
  let p = pos;
  while (p > floor) {
    const before = map.areaAt(p - 1);
    if (before.status === '?') {
      const start = Math.max(before.pos, floor, alignDown(p - 1, cluster));
      if ((await io.read(start, p - start, '*')) !== 'error') {
        p = start;
        continue;
      }
    } else if (before.status !== '*') {
      return p;
    }
    // A failed cluster: its last bad sector is the edge.
    const bottom = Math.max(floor, map.areaAt(p - 1).pos);
    while (p > bottom) {
      const s = io.sectorBefore(p);
      if ((await io.read(s, p - s, '*')) === 'error') return p;
      p = s;
    }
  }
  return p;
}

/**
 * The run [start, edge) is bracketed: its first and last sectors failed, with good data outside.
 * When nothing between them is left non-tried, the failed clusters there have had their edges
 * read from both sides, as the trim phase would: they become non-scraped.
 */
function bracket(io: RescueIO, start: number, edge: number): void {
  // The edge sectors stay non-trimmed: a drive that stopped answering for a moment fails good
  // sectors too, and the trim phase reads them again.
  const inside = [...areasIn(io, start + io.sectorLen(start), io.sectorBefore(edge))];
  if (inside.some((a) => a.status === '?' || a.status === '+')) return;
  for (const a of inside) if (a.status === '*') io.mark(a.pos, a.size, '/');
}

function* areasIn(io: RescueIO, from: number, to: number): Generator<Area> {
  for (const a of io.map.areas(from)) {
    if (a.pos >= to) return;
    const pos = Math.max(a.pos, from);
    yield { pos, size: Math.min(end(a), to) - pos, status: a.status };
  }
}

/**
 * An unpredicted failure: the predicted runs skipped since two periods before it may have been
 * wrong. Probe each once in its middle; one that reads was not there and is handed back as non-tried.
 */
async function checkPredictions(io: RescueIO, model: BandModel, failureAt: number): Promise<void> {
  const spacing = model.spacing();
  if (spacing === undefined) return;
  for (const run of model.predictedIn(failureAt - 2 * spacing, failureAt)) {
    const mid = run.start + alignDown(Math.floor((run.end - run.start) / 2), io.sectorSize);
    if ((await io.read(mid, io.sectorLen(mid), '*')) === 'error') continue;
    for (const a of [...areasIn(io, run.start, run.end)]) if (a.status === '*') io.mark(a.pos, a.size, '?');
    model.refute(run.start);
  }
}
