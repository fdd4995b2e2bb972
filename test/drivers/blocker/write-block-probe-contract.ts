// The WriteBlockProbe contract, run by write-block-probe.contract.test.ts against the host binding (a real loop
// device, and a fake sysfs tree for bridges) and the emulated one.

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../../controller/logger.ts';
import type { WriteBlockProbe, WriteBlockChange } from '../../../drivers/blocker/probe.ts';
import { combineWriteBlock, type WriteBlockState } from '../../../drivers/blocker/types.ts';

export interface AuditCapture {
  readonly log: Logger;
  readonly lines: Record<string, unknown>[];
}

/** An audit logger whose lines land in memory, for the cases to check. */
export function captureAudit(): AuditCapture {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, lines };
}

export interface BridgedCase {
  readonly dev: string;
  readonly state: WriteBlockState;
  /** A pattern the usb-bridge reading's detail must match (the bridge's name, the reason). */
  readonly detail: RegExp;
}

export interface ProbeFixture {
  readonly probe: WriteBlockProbe;
  readonly audit: AuditCapture;
  /** A whole disk, kernel flag clear, not behind a bridge. */
  readonly disk: string;
  /** A partition of `disk`, flag clear. */
  readonly partition: string;
  /** No such device. */
  readonly missing: string;
  /** Sets the kernel flag behind the probe's back (another shell running blockdev). */
  flipExternally(dev: string, ro: boolean): Promise<void>;
  readonly bridged: readonly BridgedCase[];
  teardown(): Promise<void>;
}

export interface ProbeCaps {
  /** Whether setReadOnly/clearReadOnly can act (a fake sysfs tree has no device for blockdev). */
  readonly canSet: string | true;
  readonly bridges: string | true;
}

const WITHIN_MS = 1000;

/** Watches dev until `until` has been seen or the time runs out; returns the changes and when the first came. */
async function watchFor(probe: WriteBlockProbe, dev: string, act: () => Promise<unknown>, until: (c: WriteBlockChange) => boolean) {
  const ac = new AbortController();
  const changes: WriteBlockChange[] = [];
  let t0 = 0;
  let firstMs = Infinity;
  const baseline = await probe.read(dev);
  const done = probe.watch(dev, { intervalMs: 200, signal: ac.signal, baseline }, (c) => {
    changes.push(c);
    if (until(c)) {
      firstMs = performance.now() - t0;
      ac.abort();
    }
  });
  t0 = performance.now();
  await act();
  const timer = setTimeout(() => ac.abort(), WITHIN_MS * 3);
  await done;
  clearTimeout(timer);
  return { changes, firstMs };
}

export function writeBlockProbeContract(name: string, caps: ProbeCaps, factory: () => Promise<ProbeFixture>): void {
  describe(`WriteBlockProbe contract: ${name}`, () => {
    let f: ProbeFixture;
    const why = (cap: string | true) => (cap === true ? '' : ` (skipped: ${cap})`);

    beforeAll(async () => {
      f = await factory();
    });
    afterAll(() => f?.teardown());

    it('reads a writable disk as not engaged by the kernel flag, with no bridge reading', async () => {
      const readings = await f.probe.read(f.disk);
      expect(readings).toHaveLength(1);
      expect(readings[0]).toMatchObject({ method: 'kernel-ro', state: 'not-engaged' });
      expect(readings[0].detail).toContain(f.disk);
      expect(Date.parse(readings[0].at)).not.toBeNaN();
    });

    it("reads a missing device as 'unknown', never engaged", async () => {
      const readings = await f.probe.read(f.missing);
      expect(readings.map((r) => r.state)).toEqual(['unknown']);
      expect(combineWriteBlock(readings)).toBe('unknown');
    });

    it.skipIf(caps.canSet !== true)(`refuses to set a missing device, and audits the failure${why(caps.canSet)}`, async () => {
      await expect(f.probe.setReadOnly(f.missing)).rejects.toThrow(f.missing);
      expect(f.audit.lines.at(-1)).toMatchObject({ act: 'setro', device: f.missing, ok: false });
    });

    it.skipIf(caps.canSet !== true)(`sets the flag, audited, and the watcher reports it within 1 s${why(caps.canSet)}`, async () => {
      const { changes, firstMs } = await watchFor(f.probe, f.disk, () => f.probe.setReadOnly(f.disk), (c) => c.to === 'engaged');
      expect(changes.map((c) => [c.method, c.from, c.to])).toEqual([['kernel-ro', 'not-engaged', 'engaged']]);
      expect(firstMs).toBeLessThan(WITHIN_MS);
      expect(f.audit.lines.at(-1)).toMatchObject({ act: 'setro', device: f.disk, ok: true });
      expect((await f.probe.read(f.disk))[0].state).toBe('engaged');
      expect((await f.probe.read(f.partition))[0]).toMatchObject({ state: 'engaged', detail: expect.stringMatching(/whole disk \S+ = 1|ro = 1/) });
    });

    it.skipIf(caps.canSet !== true)(`never clears the flag on a source, nor without a reason; audits both refusals${why(caps.canSet)}`, async () => {
      await f.probe.setReadOnly(f.disk);
      await expect(f.probe.clearReadOnly(f.disk, { role: 'source', reason: 'operator asked' })).rejects.toThrow(/a source drive is never made writable/);
      expect(f.audit.lines.at(-1)).toMatchObject({ act: 'setrw', device: f.disk, role: 'source', refused: true });
      await expect(f.probe.clearReadOnly(f.disk, { role: 'destination', reason: '  ' })).rejects.toThrow(/needs a stated reason/);
      expect(f.audit.lines.at(-1)).toMatchObject({ act: 'setrw', refused: true });
      expect((await f.probe.read(f.disk))[0].state).toBe('engaged');
    });

    it.skipIf(caps.canSet !== true)(`clears the flag on a non-source with a reason, audited${why(caps.canSet)}`, async () => {
      await f.probe.setReadOnly(f.disk);
      const r = await f.probe.clearReadOnly(f.disk, { role: 'destination', reason: 'wipe the destination before imaging' });
      expect(r).toMatchObject({ method: 'kernel-ro', state: 'not-engaged' });
      expect(r.detail).toMatch(/^cleared by .*\(destination: wipe the destination before imaging\)/);
      expect(f.audit.lines.at(-1)).toMatchObject({ act: 'setrw', device: f.disk, role: 'destination', reason: 'wipe the destination before imaging', ok: true });
    });

    it('reports a change made behind its back within 1 s, both ways', async () => {
      const on = await watchFor(f.probe, f.disk, () => f.flipExternally(f.disk, true), (c) => c.to === 'engaged');
      expect(on.firstMs).toBeLessThan(WITHIN_MS);
      const off = await watchFor(f.probe, f.partition, () => f.flipExternally(f.disk, false), (c) => c.to === 'not-engaged');
      expect(off.changes.map((c) => [c.method, c.from, c.to])).toEqual([['kernel-ro', 'engaged', 'not-engaged']]);
      expect(off.firstMs).toBeLessThan(WITHIN_MS);
    });

    it('stops watching at once when aborted', async () => {
      const ac = new AbortController();
      const seen: WriteBlockChange[] = [];
      const done = f.probe.watch(f.disk, { intervalMs: 10_000, signal: ac.signal }, (c) => seen.push(c));
      await new Promise((r) => setTimeout(r, 50));
      const t0 = performance.now();
      ac.abort();
      await done;
      expect(performance.now() - t0).toBeLessThan(200);
      expect(seen).toEqual([]);
    });

    it.skipIf(caps.bridges !== true)(`reads the bridge in front of a USB disk${why(caps.bridges)}`, async () => {
      for (const b of f.bridged) {
        const readings = await f.probe.read(b.dev);
        const bridge = readings.find((r) => r.method === 'usb-bridge');
        expect(bridge, b.dev).toMatchObject({ state: b.state, detail: expect.stringMatching(b.detail) });
      }
    });
  });
}
