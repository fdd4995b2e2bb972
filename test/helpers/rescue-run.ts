// Runs the engine in-process against an emulated drive, into real files, and checks the result
// against the drive's own truth.
import { mkdtemp, open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmulatedSource } from '../../drivers/block/emulated.ts';
import { openSink } from '../../drivers/block/linux.ts';
import type { BlockSource } from '../../drivers/block/types.ts';
import { openJobMap, mapSaver } from '../../controller/jobs/rescue-mapfile.ts';
import { silentLogger } from '../../controller/logger.ts';
import { Domain } from '../../controller/rescue/domain.ts';
import type { RescueOutcome } from '../../controller/rescue/engine.ts';
import { runRescue } from '../../controller/rescue/engine.ts';
import { probeStore } from '../../controller/rescue/probe-store.ts';
import type { RescueOptions } from '../../controller/rescue/options.ts';
import { DEFAULT_OPTIONS, strategyOptions } from '../../controller/rescue/options.ts';
import { SectorMap } from '../../controller/rescue/sector-map.ts';
import { DriveModel, type DriveModelOptions } from '../../hil/drive-model.ts';
import { parseEmuUrl } from '../../hil/emu-url.ts';

export interface RunResult {
  readonly outcome: RescueOutcome;
  readonly map: SectorMap;
  readonly dir: string;
  readonly imagePath: string;
  readonly mapPath: string;
}

export async function tempDir(prefix = 'imagebox-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function rescueInto(
  source: BlockSource,
  clock: { now(): number },
  opts: Partial<RescueOptions> = {},
  dir?: string,
  signal: AbortSignal = new AbortController().signal,
): Promise<RunResult> {
  dir ??= await tempDir();
  const imagePath = join(dir, 'image.img');
  const mapPath = join(dir, 'image.map');
  const { map, state, existed } = await openJobMap(mapPath, source.size, source.sectorSize);
  const sink = await openSink(imagePath, { create: true, capacityCheck: source.size });
  try {
    const outcome = await runRescue({
      source, sink, map, state, clock, signal, resuming: existed,
      domain: Domain.whole(source.size),
      // GNU ddrescue's reads unless a test names another strategy: they end at the drive's truth.
      options: { ...DEFAULT_OPTIONS, ...strategyOptions('ddrescue'), saveIntervalMs: 0, ...opts },
      log: silentLogger(),
      save: mapSaver(sink, mapPath, { commandLine: 'test' }),
      probes: probeStore(mapPath),
    });
    return { outcome, map, dir, imagePath, mapPath };
  } finally {
    await sink.close();
  }
}

export async function rescueEmulated(url: string, opts: Partial<RescueOptions> = {}, drive: DriveModelOptions = {}) {
  const model = new DriveModel(parseEmuUrl(url), drive);
  const source = openEmulatedSource(model, { path: url });
  const run = await rescueInto(source, model.clock, opts);
  return { ...run, model };
}

/** Every '+' area of the map holds the drive's bytes; returns the number of bytes compared. */
export async function checkImageAgainst(model: DriveModel, imagePath: string, map: SectorMap): Promise<number> {
  const fh = await open(imagePath, 'r');
  let compared = 0;
  try {
    for (const a of map.areas(0)) {
      if (a.status !== '+') continue;
      for (let p = a.pos; p < a.pos + a.size; p += 1 << 20) {
        const n = Math.min(1 << 20, a.pos + a.size - p);
        const got = Buffer.alloc(n);
        await fh.read(got, 0, n, p);
        const want = Buffer.alloc(n);
        model.content(p, want);
        if (!got.equals(want)) throw new Error(`image differs from the drive in [${p}, ${p + n})`);
        compared += n;
      }
    }
  } finally {
    await fh.close();
  }
  return compared;
}

export function truthMap(model: DriveModel): SectorMap {
  return SectorMap.fromAreas(model.size, model.truth());
}

export async function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}
