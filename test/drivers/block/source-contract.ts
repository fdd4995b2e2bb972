// The BlockSource contract: one suite, run by contract.test.ts against every binding, so the
// engine can rely on the same behaviour from a real device and from an emulated one.

import { readFile, readlink, readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../../controller/rescue/block.ts';
import type { BlockSource } from '../../../drivers/block/types.ts';

export interface ContractFixture {
  readonly source: BlockSource;
  /** The bytes a perfect read returns, bad sectors or not. */
  expected(pos: number, len: number): Buffer;
  /** Sector ranges whose reads fail with EIO (empty for a healthy source). */
  readonly bad: readonly Block[];
  /** A sector range whose read hangs well past `timeoutMs`, when the fixture can make one. */
  readonly hang?: Block & { readonly timeoutMs: number };
  readonly expectDirect: boolean;
  readonly expectSectorSize: number;
  /** The device or file the source reads, when the process holds an fd on it (to check its open flags). */
  readonly fdTarget?: string;
  /** Runs after the source is closed: checks the source was not written, then removes what the fixture made. */
  teardown(): Promise<void>;
}

/** A read-only fd's flags from /proc/self/fdinfo, for every fd of this process open on target. */
async function openFlagsOf(target: string): Promise<number[]> {
  const flags: number[] = [];
  for (const fd of await readdir('/proc/self/fd')) {
    const link = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (link !== target) continue;
    const info = await readFile(`/proc/self/fdinfo/${fd}`, 'utf8').catch(() => '');
    const m = /^flags:\s+([0-7]+)$/m.exec(info);
    if (m) flags.push(parseInt(m[1], 8));
  }
  return flags;
}

const O_ACCMODE = 0o3;
const O_RDONLY = 0;
const O_DIRECT_X86 = 0o40000;

/** The first range of `len` bytes clear of every bad and hanging range. */
function goodRange(f: ContractFixture, len: number): Block {
  const avoid = [...f.bad, ...(f.hang ? [f.hang] : [])];
  const ss = f.source.sectorSize;
  for (let pos = 0; pos + len <= f.source.size; pos += ss) {
    if (avoid.every((b) => pos + len <= b.pos || pos >= b.pos + b.size)) return { pos, size: len };
  }
  throw new Error(`no good range of ${len} bytes`);
}

export function blockSourceContract(name: string, factory: () => Promise<ContractFixture>): void {
  describe(`BlockSource contract: ${name}`, () => {
    let f: ContractFixture;
    let closed = false;

    beforeAll(async () => {
      f = await factory();
    });

    afterAll(async () => {
      if (!f) return;
      if (!closed) await f.source.close();
      await f.teardown();
    });

    it('reports its size, sector size and whether reads are direct', () => {
      expect(f.source.sectorSize).toBe(f.expectSectorSize);
      expect(f.source.size % f.source.sectorSize).toBe(0);
      expect(f.source.size).toBeGreaterThan(0);
      expect(f.source.direct).toBe(f.expectDirect);
    });

    it('returns the exact bytes: one sector, many, the first and the last', async () => {
      const ss = f.source.sectorSize;
      const wide = goodRange(f, 64 * ss);
      for (const b of [goodRange(f, ss), wide, { pos: wide.pos + ss, size: 3 * ss }]) {
        const r = await f.source.read(b.pos, b.size);
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.data.equals(f.expected(b.pos, b.size))).toBe(true);
      }
      const last = f.source.size - ss;
      if (f.bad.every((b) => last < b.pos || last >= b.pos + b.size)) {
        const r = await f.source.read(last, ss);
        expect(r.ok && r.data.equals(f.expected(last, ss))).toBe(true);
      }
    });

    it('hands the caller a buffer of its own: a later read does not change it', async () => {
      const ss = f.source.sectorSize;
      const a = goodRange(f, 2 * ss);
      const first = await f.source.read(a.pos, ss);
      const copy = first.ok ? Buffer.from(first.data) : Buffer.alloc(0);
      await f.source.read(a.pos + ss, ss);
      expect(first.ok && first.data.equals(copy)).toBe(true);
    });

    it('throws RangeError for misaligned or out-of-range reads', async () => {
      const ss = f.source.sectorSize;
      const size = f.source.size;
      for (const [pos, len] of [
        [1, ss],
        [0, ss + 1],
        [ss / 2, ss],
        [-ss, ss],
        [0, 0],
        [size, ss],
        [size - ss, 2 * ss],
      ]) {
        // A rejected promise, not a synchronous throw: callers chain .catch() on it.
        await expect(f.source.read(pos, len)).rejects.toThrow(RangeError);
      }
    });

    it('fails a read touching a bad sector as a whole with EIO, and still reads its good neighbours', async (ctx) => {
      if (f.bad.length === 0) ctx.skip();
      const ss = f.source.sectorSize;
      const bad = f.bad[0];
      const alone = await f.source.read(bad.pos, ss);
      expect(alone).toMatchObject({ ok: false, kind: 'error', code: 'EIO' });
      // A wider read that only clips the bad sector fails whole: no partial data.
      const start = Math.max(0, bad.pos - 4 * ss);
      const wide = await f.source.read(start, bad.pos + ss - start);
      expect(wide).toMatchObject({ ok: false, kind: 'error', code: 'EIO' });
      for (const pos of [bad.pos - ss, bad.pos + bad.size]) {
        if (pos < 0 || pos >= f.source.size || f.bad.some((b) => pos >= b.pos && pos < b.pos + b.size)) continue;
        const r = await f.source.read(pos, ss);
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.data.equals(f.expected(pos, ss))).toBe(true);
      }
    });

    it('times out a hung read, then keeps working', async (ctx) => {
      const hang = f.hang;
      if (!hang) ctx.skip();
      if (!hang) return;
      const ss = f.source.sectorSize;
      const t0 = performance.now();
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      const r = await f.source.read(hang.pos, ss, { timeoutMs: hang.timeoutMs });
      clearInterval(ticker);
      const waited = performance.now() - t0;
      expect(r).toMatchObject({ ok: false, kind: 'timeout', code: 'ETIMEDOUT' });
      expect(waited).toBeGreaterThanOrEqual(hang.timeoutMs - 5);
      expect(waited).toBeLessThan(hang.timeoutMs + 1000);
      // The thread that waits for the device is not this one: timers kept firing meanwhile.
      expect(ticks).toBeGreaterThan(hang.timeoutMs / 10 / 3);
      const good = goodRange(f, 8 * ss);
      const after = await f.source.read(good.pos, good.size, { timeoutMs: 30_000 });
      expect(after.ok).toBe(true);
      if (after.ok) expect(after.data.equals(f.expected(good.pos, good.size))).toBe(true);
    });

    it('reopens on request and keeps reading', async () => {
      const ss = f.source.sectorSize;
      await f.source.reopen();
      const b = goodRange(f, 4 * ss);
      const r = await f.source.read(b.pos, b.size);
      expect(r.ok && r.data.equals(f.expected(b.pos, b.size))).toBe(true);
    });

    it('opens the source read-only', async (ctx) => {
      if (!f.fdTarget) ctx.skip();
      const flags = await openFlagsOf(f.fdTarget as string);
      expect(flags.length).toBeGreaterThan(0);
      for (const fl of flags) {
        expect(fl & O_ACCMODE).toBe(O_RDONLY);
        if (f.expectDirect && process.arch === 'x64') expect(fl & O_DIRECT_X86).toBe(O_DIRECT_X86);
      }
    });

    it('rejects reads after close', async () => {
      await f.source.close();
      closed = true;
      await expect(f.source.read(0, f.source.sectorSize)).rejects.toThrow();
      if (f.fdTarget) {
        // The worker's fd is released once its thread has gone.
        await expect.poll(() => openFlagsOf(f.fdTarget as string), { timeout: 5000 }).toEqual([]);
      }
    });
  });
}
