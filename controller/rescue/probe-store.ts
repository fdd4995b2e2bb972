// What the smart scrape's probes found, kept beside the mapfile (MAPFILE.probes) so a resumed run
// knows it too. The mapfile says which sectors read; it cannot say which non-scraped pieces the
// probes already judged, nor how often they read in each area, which the finish phase weighs
// (finish-phase.ts). Without this a resumed run probed those pieces again, and could leave data
// that an unbroken run would have read. Written durably just before each mapfile save, so it is
// never older than the mapfile by more than the few reads made while the two are written.

import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { isCode, writeFileDurably } from '../durable-file.ts';
import type { Area } from './block.ts';
import type { ProbedAreas } from './scrape-phase.ts';

export interface ProbeStore {
  /** The areas an earlier run probed; none when there was none, or its file does not fit this map. */
  load(mapSize: number, log: Logger): Promise<ProbedAreas>;
  save(probed: ProbedAreas): Promise<void>;
}

/** [pos, size, ok, failed, [pos, size] of each piece left, flattened] per probed area. */
type Stored = { version: 1; areas: [number, number, number, number, number[]][] };

export function probeStore(mapfilePath: string): ProbeStore {
  const path = `${mapfilePath}.probes`;
  return {
    async load(mapSize, log) {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (e) {
        if (isCode(e, 'ENOENT')) return [];
        throw e;
      }
      const probed = parseProbes(text, mapSize);
      if (!probed) log.warn({ path }, 'probe record does not fit this mapfile: ignored, its areas will be probed again');
      return probed ?? [];
    },
    async save(probed) {
      const stored: Stored = {
        version: 1,
        areas: probed.map(({ area, tally }) => [area.pos, area.size, tally.ok, tally.failed, tally.pieces.flatMap((p) => [p.pos, p.size])]),
      };
      await writeFileDurably(path, JSON.stringify(stored), { replace: true });
    },
  };
}

/** The probed areas in `text`, or undefined when it is not a probe record of a map of this size. */
export function parseProbes(text: string, mapSize: number): ProbedAreas | undefined {
  let stored: Stored;
  try {
    stored = JSON.parse(text) as Stored;
  } catch {
    return undefined;
  }
  if (stored?.version !== 1 || !Array.isArray(stored.areas)) return undefined;
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
