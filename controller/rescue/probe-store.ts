// What the smart scrape's probes found, kept beside the mapfile (MAPFILE.probes) so a resumed run
// knows it too. The mapfile says which sectors read; it cannot say which non-scraped pieces the
// probes already judged, nor how often they read in each area, which the finish phase weighs
// (finish-phase.ts). Without this a resumed run probed those pieces again, and could leave data
// that an unbroken run would have read.
//
// A record is only right for the map it was made with: one behind its map misses the areas
// probed since, and one ahead counts probes whose reads the map lost. So each record names its
// map by a fingerprint of its blocks, is made at the same instant as the copy of the map saved
// with it, and is written just before that map, keeping the one before as MAPFILE.probes.prev.
// Killed between the two saves, the older mapfile still has its own record beside it.

import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { readIfPresent, writeFileDurably } from '../durable-file.ts';
import type { Area } from './block.ts';
import type { ProbedAreas } from './scrape-phase.ts';
import type { SectorMap } from './sector-map.ts';

export interface ProbeStore {
  /** The areas an earlier run probed; none when there was none, or no record was made with this map. */
  load(map: SectorMap, log: Logger): Promise<ProbedAreas>;
  /** Writes a record made by formatProbes, replacing the last one durably. */
  save(record: string): Promise<void>;
}

/** The map's fingerprint, and [pos, size, ok, failed, [pos, size] of each piece left, flattened] per probed area. */
type Stored = { version: 2; map: string; areas: [number, number, number, number, number[]][] };

export function probeStore(mapfilePath: string): ProbeStore {
  const path = `${mapfilePath}.probes`;
  const previous = `${path}.prev`;
  return {
    async load(map, log) {
      const texts = (await Promise.all([path, previous].map(readIfPresent))).filter((t) => t !== undefined);
      for (const text of texts) {
        const probed = parseProbes(text, map);
        if (probed) return probed;
      }
      if (texts.length > 0) log.warn({ path }, 'no probe record was made with this mapfile: ignored, its areas will be probed again');
      return [];
    },
    async save(record) {
      await writeFileDurably(path, record, { replace: true, backup: previous });
    },
  };
}

/** Names a map by its blocks, so a record can say which map it goes with. */
export function mapFingerprint(map: SectorMap): string {
  const h = createHash('sha256');
  let batch = '';
  map.forEachArea((pos, size, status) => {
    batch += `${pos} ${size} ${status}\n`;
    if (batch.length > 65536) {
      h.update(batch);
      batch = '';
    }
  });
  return h.update(batch).digest('hex').slice(0, 32);
}

/** The record of `probed` as it stands now (the probes go on changing it), made with `map`. */
export function formatProbes(probed: ProbedAreas, map: SectorMap): string {
  const stored: Stored = {
    version: 2,
    map: mapFingerprint(map),
    areas: probed.map(({ area, tally }) => [area.pos, area.size, tally.ok, tally.failed, tally.pieces.flatMap((p) => [p.pos, p.size])]),
  };
  return JSON.stringify(stored);
}

/** The probed areas in `text`, or undefined when it is not a probe record made with `map`. */
export function parseProbes(text: string, map: SectorMap): ProbedAreas | undefined {
  const mapSize = map.size;
  let stored: Stored;
  try {
    stored = JSON.parse(text) as Stored;
  } catch {
    return undefined;
  }
  if (stored?.version !== 2 || stored.map !== mapFingerprint(map) || !Array.isArray(stored.areas)) return undefined;
  const inMap = (pos: unknown, size: unknown) =>
    Number.isSafeInteger(pos) && Number.isSafeInteger(size) && (pos as number) >= 0 && (size as number) > 0 && (pos as number) + (size as number) <= mapSize;
  const out: ProbedAreas = [];
  for (const entry of stored.areas) {
    if (!Array.isArray(entry) || entry.length !== 5) return undefined;
    const [pos, size, ok, failed, flat] = entry;
    if (!inMap(pos, size) || !Number.isSafeInteger(ok) || !Number.isSafeInteger(failed) || !Array.isArray(flat) || flat.length % 2 !== 0) return undefined;
    const pieces: Area[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      if (!inMap(flat[i], flat[i + 1])) return undefined;
      pieces.push({ pos: flat[i], size: flat[i + 1], status: '/' });
    }
    out.push({ area: { pos, size, status: '/' }, tally: { ok, failed, pieces } });
  }
  return out;
}
