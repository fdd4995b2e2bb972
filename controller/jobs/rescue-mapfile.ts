// A job's mapfile: loaded when it exists (a resume), started fresh when it does not, and saved
// only after the destination is durable, so the map never claims bytes that a power cut could lose.
import { access } from 'node:fs/promises';
import type { BlockSink } from '../../drivers/block/types.ts';
import { end } from '../rescue/block.ts';
import type { MapfileHeader, MapState } from '../rescue/mapfile.ts';
import { MapfileError } from '../rescue/mapfile.ts';
import { loadMapfile, saveMapfile } from '../rescue/mapfile-save.ts';
import { SectorMap } from '../rescue/sector-map.ts';

export interface JobMap {
  readonly map: SectorMap;
  readonly state: MapState;
  readonly existed: boolean;
}

export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function openJobMap(path: string, sourceSize: number, sectorSize: number): Promise<JobMap> {
  if (!(await exists(path))) {
    return { map: new SectorMap(sourceSize), state: { currentPos: 0, currentStatus: '?', currentPass: 1 }, existed: false };
  }
  const { map, state } = await loadMapfile(path, sourceSize);
  for (const a of map.areas(0)) {
    // The last block may end at an odd file size; every boundary inside must sit on a sector.
    if (a.pos % sectorSize !== 0 || (end(a) !== sourceSize && end(a) % sectorSize !== 0)) {
      throw new MapfileError(
        `${path}: block at 0x${a.pos.toString(16)} is not aligned to the source's ${sectorSize}-byte sectors`,
      );
    }
  }
  return { map, state, existed: true };
}

/** Saves a copy of the map taken before the call (runRescue's), once the destination is synced. */
export function mapSaver(sink: BlockSink, path: string, header: MapfileHeader) {
  return async (state: MapState, map: SectorMap): Promise<void> => {
    await sink.sync();
    await saveMapfile(path, map, state, header);
  };
}
