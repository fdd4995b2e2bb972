import { describe, expect, it } from 'vitest';
import { openEmulatedDrive, openEmulatedSource } from '../../drivers/block/emulated.ts';
import type { DriveBackend } from '../../hil/types.ts';
import { drive, MiB } from './helpers.ts';

const SS = 512;

describe('emulated block source', () => {
  it('reads the drive content with direct-I/O rules and the drive clock', async () => {
    const model = drive('healthy', { seed: 4, sectorSize: 4096 });
    const src = openEmulatedSource(model, { path: 'emu:test' });
    expect(src).toMatchObject({ path: 'emu:test', size: 4 * MiB, sectorSize: 4096, direct: true });
    const r = await src.read(8192, 16_384);
    const want = Buffer.alloc(16_384);
    model.content(8192, want);
    expect(r.ok && r.data.equals(want)).toBe(true);
    expect(src.clock.now()).toBe(model.clock.now());
    expect(src.clock.now()).toBeGreaterThan(0);
  });

  it('rejects misaligned or out-of-range reads with RangeError, before the drive sees them', async () => {
    const model = drive('healthy');
    const src = openEmulatedSource(model);
    await expect(src.read(1, SS)).rejects.toThrow(RangeError);
    await expect(src.read(0, 100)).rejects.toThrow(RangeError);
    await expect(src.read(4 * MiB, SS)).rejects.toThrow(RangeError);
    await expect(src.read(4 * MiB - SS, 2 * SS)).rejects.toThrow(RangeError);
    expect(model.stats().reads).toBe(0);
  });

  it('answers EIO for a read touching a bad sector', async () => {
    const model = drive('scattered');
    const src = openEmulatedSource(model);
    expect(await src.read(model.damage.bad[0].pos, SS)).toMatchObject({ ok: false, kind: 'error', code: 'EIO' });
  });

  it('times a hung read out, reopens (resets) the drive, and charges only the wait', async () => {
    const model = drive('hang', { seed: 2 });
    const src = openEmulatedSource(model);
    const h = model.damage.hang[0].pos;
    const t = model.clock.now();
    expect(await src.read(h, SS, { timeoutMs: 5000 })).toMatchObject({ ok: false, kind: 'timeout', code: 'ETIMEDOUT' });
    expect(src.reopens).toBe(1);
    expect(model.stats()).toMatchObject({ resets: 1, timedOutReads: 1 });
    expect(model.clock.now() - t).toBe(5000 + model.cost.resetMs);
    // Without a timeout the caller waits the whole hang and gets the error.
    expect(await src.read(h, SS)).toMatchObject({ ok: false, kind: 'error', code: 'EIO' });
    expect(src.reopens).toBe(1);
  });

  it('brings a vanished drive back by reopening, automatically after a timeout', async () => {
    const model = drive('vanish', { seed: 3, params: { afterFailures: 1 } });
    const src = openEmulatedSource(model);
    const bad = model.damage.bad[0];
    const good = bad.pos === 0 ? bad.pos + bad.size : 0;
    await src.read(bad.pos, SS);
    expect(model.vanished).toBe(true);
    expect(await src.read(good, SS)).toMatchObject({ ok: false, kind: 'error' });
    await src.reopen();
    expect((await src.read(good, SS)).ok).toBe(true);
    await src.read(bad.pos, SS);
    expect(await src.read(good, SS, { timeoutMs: 10_000 })).toMatchObject({ ok: false, kind: 'timeout' });
    expect(model.vanished).toBe(false);
    expect((await src.read(good, SS, { timeoutMs: 10_000 })).ok).toBe(true);
  });

  it('with realTime, holds a hung answer back for min(wall hang, timeout) without freezing the caller', async () => {
    const model = drive('hang', { seed: 2, params: { wallHangMs: 400 } });
    const src = openEmulatedSource(model, { realTime: true });
    const h = model.damage.hang[0].pos;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      let t = performance.now();
      expect(await src.read(h, SS, { timeoutMs: 100 })).toMatchObject({ kind: 'timeout' });
      expect(performance.now() - t).toBeGreaterThanOrEqual(95);
      expect(performance.now() - t).toBeLessThan(350);
      expect(ticks).toBeGreaterThanOrEqual(3);
      t = performance.now();
      expect(await src.read(h, SS)).toMatchObject({ kind: 'error' });
      expect(performance.now() - t).toBeGreaterThanOrEqual(395);
      const good = model.truth().find((a) => a.status === '+')?.pos ?? -1;
      t = performance.now();
      expect((await src.read(good, SS)).ok).toBe(true);
      expect(performance.now() - t).toBeLessThan(50);
    } finally {
      clearInterval(timer);
    }
  });

  it('rejects reads and reopen after close', async () => {
    const src = openEmulatedSource(drive('healthy'));
    await src.close();
    await expect(src.read(0, SS)).rejects.toThrow(/close/);
    await expect(src.reopen()).rejects.toThrow(/close/);
  });

  it('works over any DriveBackend, judging timeouts by its hang', async () => {
    let resets = 0;
    const backend: DriveBackend = {
      size: 8192,
      sectorSize: 4096,
      read: (pos) => (pos === 0 ? { ok: true, data: Buffer.alloc(4096, 7), hangMs: 0 } : { ok: false, hangMs: 300 }),
      reset: () => resets++,
    };
    const src = openEmulatedSource(backend);
    expect(await src.read(0, 4096)).toMatchObject({ ok: true });
    expect(await src.read(4096, 4096, { timeoutMs: 1000 })).toMatchObject({ kind: 'error' });
    expect(await src.read(4096, 4096, { timeoutMs: 200 })).toMatchObject({ kind: 'timeout' });
    expect(resets).toBe(1);
  });

  it('opens an emu: URL with its model', async () => {
    const { source, model } = openEmulatedDrive('emu:dead-head?seed=5&size=2M&sector=4096');
    expect(source).toMatchObject({ path: 'emu:dead-head?seed=5&size=2M&sector=4096', size: 2 * MiB, sectorSize: 4096 });
    const bad = model.damage.bad[0];
    expect(await source.read(bad.pos, 4096)).toMatchObject({ ok: false, kind: 'error' });
  });
});
