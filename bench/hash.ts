// MultiHasher throughput against plain node:crypto on one thread, over a 1 GiB in-memory stream fed
// in 1 MiB chunks. Run: node bench/hash.ts [MiB]

import { createHash, randomFillSync } from 'node:crypto';
import type { Algo } from '../controller/evidence/algorithms.ts';
import { MultiHasher, type MultiHasherOptions } from '../controller/evidence/hasher.ts';

const mib = Number(process.argv[2] ?? 1024);
const chunk = 2 ** 20;
const data = Buffer.allocUnsafe(mib * chunk);
for (let off = 0; off < data.length; off += 2 ** 30) randomFillSync(data, off, Math.min(2 ** 30, data.length - off));

function rate(ms: number): string {
  return `${((data.length / 1e6) / (ms / 1000)).toFixed(0).padStart(5)} MB/s`;
}

// Wall-clock rates depend on what else the machine runs; CPU time (all threads) per GB does not.
let cpu0 = process.cpuUsage();
function line(label: string, ms: number): void {
  const c = process.cpuUsage(cpu0);
  const cpuPerGB = (c.user + c.system) / 1000 / (data.length / 1e9);
  console.log(`${label.padEnd(56)} ${rate(ms)}   ${cpuPerGB.toFixed(0).padStart(5)} CPU-ms/GB`);
  cpu0 = process.cpuUsage();
}

function singleThread(algos: readonly Algo[]): number {
  cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const hs = algos.map((a) => createHash(a));
  for (let off = 0; off < data.length; off += chunk) for (const h of hs) h.update(data.subarray(off, off + chunk));
  for (const h of hs) h.digest('hex');
  return performance.now() - t0;
}

async function multi<A extends Algo>(opts: MultiHasherOptions<A>): Promise<number> {
  const h = await MultiHasher.create(opts);
  cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let off = 0; off < data.length; off += chunk) await h.update(data.subarray(off, off + chunk));
  await h.digest();
  return performance.now() - t0;
}

const sets: Algo[][] = [['md5', 'sha256'], ['md5', 'sha1'], ['md5', 'sha1', 'sha256']];
for (const algos of sets) {
  const name = algos.join('+');
  console.log(`-- ${name}, ${mib} MiB`);
  line(`node:crypto, one thread`, singleThread(algos));
  line(`MultiHasher native, one worker per algorithm (default)`, await multi({ algos }));
  line(`MultiHasher native, md5 inline, rest in one worker`, await multi({ algos, inline: ['md5'] }));
  line(`MultiHasher native, md5 in one worker, rest in another`, await multi({ algos, workers: [['md5'], algos.filter((a) => a !== 'md5')] }));
  line(`MultiHasher wasm (resumable), one worker per algorithm`, await multi({ algos, engine: 'wasm' }));
  line(`MultiHasher native + 1 GiB windows, one worker/algorithm`, await multi({ algos, window: 2 ** 30 }));
}
