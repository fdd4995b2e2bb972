// npm run bench:acquire: imagebox image against the forensic peers, in the same run, on the same
// source: a generated file (default 2 GiB) mixing random, zero and text-like data, read from the
// page cache. Prints throughput, peak RSS, output size and the ratios the evidence issue sets:
//   raw + MD5 + SHA-256   vs  dc3dd hash=md5 hash=sha256           goal >= 2.3x
//   E01 fast + MD5 + SHA-1 vs ewfacquire -c fast -d sha1           goal >= 4x, output <= 1.02x
//   zst + MD5 + SHA-256   vs  tee | md5sum, sha256sum, zstd -T2 -1  goal >= 3x
//   peak RSS of imagebox < 300 MiB in all three.
// Usage: node bench/acquire.ts [--size 2GiB] [--dir /tmp] [--only raw,e01,zst]

import { spawnSync } from 'node:child_process';
import { open, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { parseSize } from '../controller/units.ts';
import { mixedSource } from './mixed-source.ts';

// The launcher users run, so its start-up settings (the compile cache) count as they do for them.
const CLI = fileURLToPath(new URL('../bin/imagebox.js', import.meta.url));
const MiB = 2 ** 20;

interface Run {
  readonly seconds: number;
  readonly rssKiB: number;
  readonly outBytes: number;
}

/** Runs a shell command under GNU time; returns wall seconds and the peak RSS it reports. */
function timed(cmd: string, cwd: string): { seconds: number; rssKiB: number } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', 'bash', '-c', cmd], { cwd, encoding: 'utf8', env: { ...process.env, IMAGEBOX_STATE_DIR: cwd } });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd}: exit ${r.status}\n${r.stderr.slice(-2000)}`);
  const last = r.stderr.trim().split('\n').pop()!.split(' ');
  return { seconds: Number(last[0]), rssKiB: Number(last[1]) };
}

async function bytesOf(dir: string, re: RegExp): Promise<number> {
  let n = 0;
  for (const f of await readdir(dir)) if (re.test(f)) n += (await stat(join(dir, f))).size;
  return n;
}

function warm(path: string): void {
  spawnSync('bash', ['-c', `cat '${path}' > /dev/null`]);
}

async function race(dir: string, src: string, name: string, peer: string, peerOut: RegExp, ours: string, oursOut: RegExp): Promise<[Run, Run]> {
  const runOne = async (cmd: string, out: RegExp): Promise<Run> => {
    warm(src);
    const t = timed(cmd, dir);
    const outBytes = await bytesOf(dir, out);
    for (const f of await readdir(dir)) if (f !== 'source.bin') await rm(join(dir, f), { recursive: true, force: true });
    return { ...t, outBytes };
  };
  process.stderr.write(`${name}: peer...\n`);
  const p = await runOne(peer, peerOut);
  process.stderr.write(`${name}: imagebox...\n`);
  const o = await runOne(ours, oursOut);
  return [p, o];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: 'string' }, dir: { type: 'string' }, only: { type: 'string' } } });
  const size = parseSize(values.size ?? '2GiB');
  const only = new Set((values.only ?? 'raw,e01,zst').split(','));
  for (const tool of ['dc3dd', 'ewfacquire', 'zstd', 'md5sum']) {
    if (spawnSync('which', [tool]).status !== 0) throw new Error(`${tool} is not installed (apt-get install dc3dd ewf-tools zstd)`);
  }
  const dir = await mkdtemp(join(values.dir ?? '/tmp', 'imagebox-bench-acquire-'));
  const src = join(dir, 'source.bin');
  process.stderr.write(`generating ${size} bytes of mixed data in ${src}...\n`);
  const fh = await open(src, 'w');
  for await (const { pos, data } of mixedSource(size)) await fh.write(data, 0, data.length, pos);
  await fh.close();
  const node = process.execPath;
  const ib = (out: string, args: string) => `'${node}' '${CLI}' image source.bin ${out} -q ${args}`;
  const rows: string[][] = [];
  const goals: string[] = [];
  const mbps = (r: Run) => size / MiB / r.seconds;
  const add = (what: string, peerName: string, [p, o]: [Run, Run], goal: number, sizeGoal?: number) => {
    const ratio = mbps(o) / mbps(p);
    rows.push([what, peerName, mbps(p).toFixed(0), mbps(o).toFixed(0), `${ratio.toFixed(2)}x`, (p.rssKiB / 1024).toFixed(0), (o.rssKiB / 1024).toFixed(0), (p.outBytes / MiB).toFixed(0), (o.outBytes / MiB).toFixed(0)]);
    goals.push(`${what}: speed ${ratio.toFixed(2)}x (goal >= ${goal}x) ${ratio >= goal ? 'PASS' : 'MISS'}; imagebox RSS ${(o.rssKiB / 1024).toFixed(0)} MiB (goal < 300) ${o.rssKiB < 300 * 1024 ? 'PASS' : 'MISS'}` +
      (sizeGoal ? `; output ${(o.outBytes / p.outBytes).toFixed(4)}x ewfacquire's (goal <= ${sizeGoal}) ${o.outBytes <= p.outBytes * sizeGoal ? 'PASS' : 'MISS'}` : ''));
  };
  try {
    if (only.has('raw')) {
      add('raw + MD5 + SHA-256', 'dc3dd', await race(dir, src, 'raw', 'dc3dd if=source.bin of=peer.raw hash=md5 hash=sha256 log=peer.log 2>/dev/null', /^peer\.raw$/, ib('ours.raw', '--hash md5,sha256'), /^ours\.raw$/), 2.3);
    }
    if (only.has('e01')) {
      add('E01 fast + MD5 + SHA-1', 'ewfacquire', await race(dir, src, 'e01',
        'ewfacquire -u -q -c fast -d sha1 -S 2GiB -C case -D desc -E ev -e examiner -N notes -t peer source.bin >/dev/null',
        /^peer\.E\d\d$/, ib('ours.E01', '--hash md5,sha1 --compression fast'), /^ours\.E\d\d$/), 4, 1.02);
    }
    if (only.has('zst')) {
      add('zst + MD5 + SHA-256', 'tee|md5sum,sha256sum,zstd -T2 -1', await race(dir, src, 'zst',
        "cat source.bin | tee >(md5sum > peer.md5) >(sha256sum > peer.sha256) | zstd -q -T2 -1 -o peer.zst",
        /^peer\.zst$/, ib('ours.zst', '--hash md5,sha256 --compression fast'), /^ours\.zst$/), 3);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const head = ['acquisition', 'peer', 'peer MB/s', 'imagebox MB/s', 'ratio', 'peer RSS MiB', 'imagebox RSS MiB', 'peer out MiB', 'imagebox out MiB'];
  console.log(`source: ${(size / MiB).toFixed(0)} MiB mixed (random, zeros, text), page-cached; ${spawnSync('nproc').stdout.toString().trim()} cores\n`);
  console.log(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\n${goals.join('\n')}`);
}

await main();
