// Seekable zstd throughput on mixed data (random, zeros, text-like, interleaved in 64 KiB pieces as
// a used disk is), against the zstd CLI on the same input.
//   node bench/formats.ts [sizeMiB=512] [bestMiB=32]

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openZstdSeekableReader } from '../controller/formats/zstd-seekable-reader.ts';
import { createZstdSeekableWriter } from '../controller/formats/zstd-seekable.ts';
import type { ZstdCompression } from '../controller/formats/zstd-seekable.ts';

const MiB = 1 << 20;
const sizeMiB = Number(process.argv[2] ?? 512);
const bestMiB = Number(process.argv[3] ?? 32);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagebox-bench-formats-'));

function mixedInput(file: string, bytes: number): void {
  const piece = 64 * 1024;
  const words = ['the', 'sector', 'drive', 'image', 'forensic', 'data', 'of', 'and', 'a', 'file', 'system', 'read', 'error', 'head'];
  let seed = 12345;
  const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const text = (): Buffer => {
    let s = '';
    while (s.length < piece) s += words[rand() % words.length] + (rand() % 11 === 0 ? '.\n' : ' ');
    return Buffer.from(s.slice(0, piece));
  };
  const fd = fs.openSync(file, 'w');
  const block = Buffer.alloc(MiB);
  for (let done = 0, k = 0; done < bytes; done += MiB) {
    for (let at = 0; at < MiB; at += piece, k++) {
      const kind = k % 3;
      if (kind === 0) block.set(crypto.getRandomValues(new Uint8Array(piece)), at);
      else if (kind === 1) block.fill(0, at, at + piece);
      else block.set(text(), at);
    }
    fs.writeSync(fd, block, 0, Math.min(MiB, bytes - done));
  }
  fs.closeSync(fd);
}

function rate(bytes: number, ms: number): string {
  return `${((bytes / 1e6) / (ms / 1000)).toFixed(0)} MB/s`;
}

async function ours(input: string, bytes: number, compression: ZstdCompression, threads: number): Promise<void> {
  const out = path.join(dir, `ours-${compression}-${threads}.zst`);
  const fd = fs.openSync(input, 'r');
  const buf = Buffer.alloc(MiB);
  const t0 = performance.now();
  const w = await createZstdSeekableWriter(out, { compression, threads });
  for (let done = 0; done < bytes; ) {
    const n = fs.readSync(fd, buf, 0, Math.min(MiB, bytes - done), done);
    await w.write(buf.subarray(0, n));
    done += n;
  }
  await w.close();
  const ms = performance.now() - t0;
  fs.closeSync(fd);
  const ratio = bytes / fs.statSync(out).size;
  console.log(`imagebox seekable ${compression.padEnd(4)} threads=${threads}: ${rate(bytes, ms).padStart(9)}  ratio ${ratio.toFixed(2)}`);
  if (compression === 'fast' && threads === 2) await readBack(out, bytes);
  fs.rmSync(out);
}

async function readBack(file: string, bytes: number): Promise<void> {
  const r = await openZstdSeekableReader(file);
  let t0 = performance.now();
  let bad = 0;
  for await (const c of r.checks()) if (!c.ok) bad++;
  console.log(`  reader checks() (decompress + XXH64 every frame): ${rate(bytes, performance.now() - t0)}, ${bad} bad`);
  t0 = performance.now();
  for (let at = 0; at < r.size; at += 4 * MiB) await r.read(at, Math.min(4 * MiB, r.size - at));
  console.log(`  reader read() sequential 4 MiB: ${rate(bytes, performance.now() - t0)}`);
  t0 = performance.now();
  const reads = 2000;
  for (let k = 0; k < reads; k++) await r.read(Math.floor(Math.random() * (r.size - 4096)), 4096);
  console.log(`  reader read() random 4 KiB: ${(reads / ((performance.now() - t0) / 1000)).toFixed(0)} reads/s`);
  await r.close();
}

function cli(input: string, bytes: number, args: string[]): void {
  const out = path.join(dir, 'cli.zst');
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', `zstd ${args.join(' ')} -q -c "${input}" > "${out}"`]);
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`zstd failed: ${r.stderr}`);
  const ratio = bytes / fs.statSync(out).size;
  console.log(`zstd ${args.join(' ').padEnd(26)}: ${rate(bytes, ms).padStart(9)}  ratio ${ratio.toFixed(2)}`);
  fs.rmSync(out);
}

try {
  const bytes = sizeMiB * MiB;
  const input = path.join(dir, 'mixed.bin');
  mixedInput(input, bytes);
  execFileSync('cat', [input], { stdio: ['ignore', 'ignore', 'inherit'] }); // into the page cache
  console.log(`${sizeMiB} MiB mixed input (1/3 random, 1/3 zeros, 1/3 text), ${os.availableParallelism()} CPUs, 1 MiB frames`);
  await ours(input, bytes, 'fast', 1);
  await ours(input, bytes, 'fast', 2);
  cli(input, bytes, ['-T1', '-1']);
  cli(input, bytes, ['-T2', '-1']);
  cli(input, bytes, ['-T2', '-1', '--check']);
  if (bestMiB > 0) {
    const small = path.join(dir, 'mixed-small.bin');
    mixedInput(small, bestMiB * MiB);
    console.log(`level 19 ('best') on ${bestMiB} MiB of the same mix:`);
    await ours(small, bestMiB * MiB, 'best', 2);
    cli(small, bestMiB * MiB, ['-T2', '-19']);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
