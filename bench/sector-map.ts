// How the sector map and its mapfile behave at the scale of a badly scattered drive:
// 1,000,000 areas. Run: node bench/sector-map.ts [areas]
// (the issue asks that saving such a map take under 2 s).

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMapfile, saveMapfile } from '../controller/rescue/mapfile-save.ts';
import { parseMapfile, formatMapfile } from '../controller/rescue/mapfile.ts';
import { SectorMap } from '../controller/rescue/sector-map.ts';

const areas = Number(process.argv[2] ?? 1_000_000);
const sector = 512;

function time<T>(label: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  console.log(`${label.padEnd(44)} ${(performance.now() - t0).toFixed(1).padStart(8)} ms`);
  return out;
}

async function timeAsync<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  console.log(`${label.padEnd(44)} ${(performance.now() - t0).toFixed(1).padStart(8)} ms`);
  return out;
}

const heapBefore = process.memoryUsage();
const map = time(`build ${areas} areas (${areas / 2} set calls)`, () => {
  const m = new SectorMap(areas * sector);
  for (let i = 0; i < areas; i += 2) m.set(i * sector, sector, '-');
  return m;
});
const heapAfter = process.memoryUsage();
console.log(
  `${'memory (heap + array buffers, no gc)'.padEnd(44)} ${(
    (heapAfter.heapUsed + heapAfter.arrayBuffers - heapBefore.heapUsed - heapBefore.arrayBuffers) / 2 ** 20
  ).toFixed(1).padStart(8)} MiB`,
);

// A rescue's typical traffic on a full map: mark a sector, look for the next area to work on.
let seed = 42;
const random = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const ops = 200_000;
time(`${ops} random set() on the full map`, () => {
  for (let i = 0; i < ops; i++) {
    const s = Math.floor(random() * areas);
    map.set(s * sector, sector, random() < 0.5 ? '-' : '?');
  }
});
time(`${ops} random nextWith('?')`, () => {
  let hits = 0;
  for (let i = 0; i < ops; i++) if (map.nextWith(Math.floor(random() * map.size), '?')) hits++;
  return hits;
});
time(`${ops} random prevWith('*') (none present)`, () => {
  for (let i = 0; i < ops; i++) map.prevWith(Math.floor(random() * map.size), '*');
});
console.log(`${'areas now'.padEnd(44)} ${String(map.areaCount).padStart(8)}`);

const text = time('formatMapfile (one string)', () => formatMapfile(map, { currentPos: 0, currentStatus: '?', currentPass: 1 }));
time('parseMapfile', () => parseMapfile(text, { size: map.size }));

const dir = mkdtempSync(join(tmpdir(), 'imagebox-bench-'));
try {
  const path = join(dir, 'bench.map');
  const state = { currentPos: 0, currentStatus: '?' as const, currentPass: 1 };
  await timeAsync('saveMapfile (first, with fsync)', () => saveMapfile(path, map, state, { commandLine: 'bench' }));
  await timeAsync('saveMapfile (again, keeps .bak, with fsync)', () => saveMapfile(path, map, state, { commandLine: 'bench' }));
  console.log(`${'mapfile size'.padEnd(44)} ${(statSync(path).size / 1e6).toFixed(1).padStart(8)} MB`);
  const loaded = await timeAsync('loadMapfile', () => loadMapfile(path, map.size));
  if (!loaded.map.equals(map)) throw new Error('the loaded map differs from the saved one');
  time('clone', () => map.clone());
  time('equals', () => loaded.map.equals(map));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
