// The rescue options do what ddrescue's do, seen in the engine's own read records.
import { describe, expect, it } from 'vitest';
import { openEmulatedSource } from '../../../drivers/block/emulated.ts';
import { openSink } from '../../../drivers/block/linux.ts';
import { mapSaver, openJobMap } from '../../../controller/jobs/rescue-mapfile.ts';
import { silentLogger } from '../../../controller/logger.ts';
import type { Block } from '../../../controller/rescue/block.ts';
import { Domain } from '../../../controller/rescue/domain.ts';
import { runRescue } from '../../../controller/rescue/engine.ts';
import type { RescueOptions } from '../../../controller/rescue/options.ts';
import { DEFAULT_OPTIONS, skipBounds, strategyOptions } from '../../../controller/rescue/options.ts';
import type { ReadRecord } from '../../../controller/rescue/rescue-io.ts';
import { DriveModel } from '../../../hil/drive-model.ts';
import { parseEmuUrl } from '../../../hil/emu-url.ts';
import { tempDir } from '../../helpers/rescue-run.ts';
import { join } from 'node:path';

async function run(url: string, opts: Partial<RescueOptions>, domain?: Block[]) {
  const model = new DriveModel(parseEmuUrl(url));
  const source = openEmulatedSource(model);
  const dir = await tempDir();
  const { map, state } = await openJobMap(join(dir, 'm.map'), source.size, source.sectorSize);
  const sink = await openSink(join(dir, 'i.img'), { create: true, capacityCheck: source.size });
  const reads: ReadRecord[] = [];
  const outcome = await runRescue({
    source, sink, map, state, clock: model.clock, resuming: false,
    signal: new AbortController().signal,
    domain: domain ? new Domain(domain) : Domain.whole(source.size),
    // ddrescue's reads, which these tests count; smart's own are tested in strategy.test.ts.
    options: { ...DEFAULT_OPTIONS, ...strategyOptions('ddrescue'), saveIntervalMs: 0, ...opts },
    log: silentLogger(),
    save: mapSaver(sink, join(dir, 'm.map'), {}),
    onRead: (r) => reads.push(r),
  });
  await sink.close();
  return { model, map, reads, outcome };
}

describe('rescue options', () => {
  it('copy pass 1 skips after an error, doubling the skip on each consecutive error, and resets after a good read', async () => {
    const { reads, model } = await run('emu:dead-head?seed=2&size=16M', {});
    const { initial, max } = skipBounds(DEFAULT_OPTIONS, model.size, 512);
    // Forward reads of pass 1: the gap after a failed read is the skip in force.
    let expected = initial;
    let checked = 0;
    for (let i = 0; i + 1 < reads.length && reads[i + 1].pos > reads[i].pos; i++) {
      const gap = reads[i + 1].pos - (reads[i].pos + reads[i].len);
      if (!reads[i].ok) {
        expect(gap).toBe(expected);
        expected = Math.min(expected * 2, max);
        checked++;
      } else {
        expect(gap).toBe(0);
        expected = initial;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('--reverse starts at the end and --cluster-size sets the read size', async () => {
    const { reads, model } = await run('emu:healthy?seed=1&size=4M', { reverse: true, clusterSectors: 16 });
    expect(reads[0].pos + reads[0].len).toBe(model.size);
    expect(reads[0].len).toBe(16 * 512);
    expect(reads.every((r, i) => i === 0 || r.pos < reads[i - 1].pos)).toBe(true);
  });

  it('a domain limits every read to it and leaves the rest non-tried', async () => {
    const domain = [{ pos: 1 << 20, size: 1 << 20 }, { pos: 3 << 20, size: 512 * 100 }];
    const { reads, map } = await run('emu:scattered?seed=3&size=4M', {}, domain);
    for (const r of reads) expect(domain.some((d) => r.pos >= d.pos && r.pos + r.len <= d.pos + d.size)).toBe(true);
    expect(map.areaAt(0).status).toBe('?');
    expect(map.areaAt(0).size).toBe(1 << 20);
    expect(map.bytes('?')).toBe(4 * 2 ** 20 - (1 << 20) - 512 * 100);
  });

  it('--max-errors stops after that many failed reads, resumably', async () => {
    const { outcome, reads } = await run('emu:scattered?seed=4&size=8M', { maxErrors: 5 });
    expect(outcome.kind).toBe('stopped');
    expect(outcome.kind === 'stopped' && outcome.reason).toBe('max-errors');
    expect(reads.filter((r) => !r.ok)).toHaveLength(6);
  });

  it('--max-run-time stops on the job clock', async () => {
    const { outcome } = await run('emu:dead-head?seed=4&size=8M', { maxRunTimeMs: 60_000 });
    expect(outcome.kind === 'stopped' && outcome.reason).toBe('max-run-time');
    expect(outcome.progress.runTimeMs).toBeGreaterThanOrEqual(60_000);
    expect(outcome.progress.runTimeMs).toBeLessThan(60_000 + 3_100);
  });

  it('--min-read-rate leaves slow zones for later: most of the data comes sooner', async () => {
    const url = 'emu:slow?seed=5&size=32M&pct=2&count=3';
    const plain = await run(url, {});
    const limited = await run(url, { minReadRate: 20e6 });
    expect(limited.map.bytes('+')).toBe(32 * 2 ** 20);
    const a = plain.model.stats();
    const b = limited.model.stats();
    expect(b.driveMsAt90!).toBeLessThan(a.driveMsAt90! * 0.9);
  });

  it('--phases copy leaves failed areas non-trimmed, never finished', async () => {
    const { map, outcome } = await run('emu:zone?seed=6&size=8M', { phases: ['copy'] });
    expect(outcome.kind).toBe('finished');
    expect(map.bytes('*')).toBeGreaterThan(0);
    expect(map.bytes('-') + map.bytes('/') + map.bytes('?')).toBe(0);
  });
});
