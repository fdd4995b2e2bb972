// The SmartBinding contract: one suite, run by smart-contract.test.ts against the real binding (on
// what this machine has) and the emulated one (on recorded drives), so callers can rely on the same
// answers from both: never a throw for a missing tool or device, and the same reasons.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmartBinding, SmartReadOptions, VerdictLevel } from '../../../drivers/smart/types.ts';

export interface DriveCase {
  readonly device: string;
  readonly deviceType?: SmartReadOptions['deviceType'];
  readonly expect: { readonly model?: string; readonly serial?: string; readonly level?: VerdictLevel; readonly kind?: string };
}

/** A case the fixture can make, or why it cannot (the test then skips with that note). */
export type Maybe<T> = T | { readonly skip: string };

function has<T extends object>(m: Maybe<T>): m is T {
  return !('skip' in m);
}

export interface SmartContractFixture {
  readonly binding: SmartBinding;
  /** Paths that do not exist: smartctl-typed names (/dev/sdX) and names it cannot type. */
  readonly gone: readonly string[];
  /** A node smartctl cannot get SMART from (a loop device), auto-detected and with -d sat. */
  readonly unsupported: string;
  /** The same kind of binding, where smartctl is not installed. */
  readonly missing: SmartBinding;
  /** A binding and node this user may not open, when the fixture can make one. */
  readonly denied: Maybe<{ readonly binding: SmartBinding; readonly device: string }>;
  /** A binding whose smartctl never answers, and its timeout. */
  readonly hanging: Maybe<{ readonly binding: SmartBinding; readonly device: string; readonly timeoutMs: number }>;
  /** Drives that answer. */
  readonly drives: Maybe<{ readonly cases: readonly DriveCase[] }>;
  /** A drive behind a bridge smartctl does not know: unsupported until asked with -d sat. */
  readonly unknownBridge: Maybe<{ readonly device: string; readonly serial: string }>;
  teardown(): Promise<void>;
}

export function smartContract(name: string, factory: () => Promise<SmartContractFixture>): void {
  describe(`SmartBinding contract: ${name}`, () => {
    let f: SmartContractFixture;

    beforeAll(async () => {
      f = await factory();
    });

    afterAll(async () => {
      await f?.teardown();
    });

    it('a path that does not exist is device-gone, naming the path', async () => {
      for (const device of f.gone) {
        for (const deviceType of [undefined, 'sat'] as const) {
          const r = await f.binding.read(device, { deviceType });
          expect(r.available).toBe(false);
          if (r.available) continue;
          expect([device, deviceType, r.reason]).toEqual([device, deviceType, 'device-gone']);
          expect(r.device).toBe(device);
          expect(r.note).toContain(device);
        }
      }
    });

    it('a node smartctl cannot read is unsupported-device, quoting smartctl, with or without -d sat', async () => {
      const auto = await f.binding.read(f.unsupported);
      expect(auto).toMatchObject({ available: false, reason: 'unsupported-device', note: `${f.unsupported}: Unable to detect device type` });
      const sat = await f.binding.read(f.unsupported, { deviceType: 'sat' });
      expect(sat).toMatchObject({ available: false, reason: 'unsupported-device' });
      if (!sat.available) expect(sat.exitStatus?.deviceOpenFailed).toBe(true);
    });

    it('without smartctl installed: smartctl-missing, saying what to install', async () => {
      const r = await f.missing.read(f.gone[0]);
      expect(r).toMatchObject({ available: false, reason: 'smartctl-missing', note: expect.stringContaining('smartmontools') });
    });

    it('a node this user may not open: permission-denied', async (ctx) => {
      if (!has(f.denied)) return ctx.skip(f.denied.skip);
      const r = await f.denied.binding.read(f.denied.device, { deviceType: 'sat' });
      expect(r).toMatchObject({ available: false, reason: 'permission-denied', note: expect.stringContaining('Permission denied') });
    });

    it('a smartctl that never answers is given up on after the timeout: failed, saying so', async (ctx) => {
      if (!has(f.hanging)) return ctx.skip(f.hanging.skip);
      const h = f.hanging;
      const t0 = performance.now();
      const r = await h.binding.read(h.device);
      const ms = performance.now() - t0;
      expect(r).toMatchObject({ available: false, reason: 'failed', note: expect.stringContaining('gave no answer within') });
      expect(ms).toBeGreaterThanOrEqual(h.timeoutMs - 20);
      expect(ms).toBeLessThan(h.timeoutMs + 2000);
    });

    it('an abort rejects with its reason: at once when already aborted, promptly during a hang', async () => {
      const ac = new AbortController();
      ac.abort(new Error('operator left the screen'));
      await expect(f.binding.read(f.gone[0], { signal: ac.signal })).rejects.toThrow('operator left the screen');
      if (!has(f.hanging)) return;
      const h = f.hanging;
      const during = new AbortController();
      setTimeout(() => during.abort(new Error('port gone')), 50);
      const t0 = performance.now();
      await expect(h.binding.read(h.device, { signal: during.signal })).rejects.toThrow('port gone');
      expect(performance.now() - t0).toBeLessThan(h.timeoutMs);
    });

    it('a relative path is refused without running smartctl', async () => {
      expect(await f.binding.read('sda')).toMatchObject({ available: false, reason: 'failed', note: 'not an absolute device path: "sda"' });
      expect(await f.missing.read('-d')).toMatchObject({ reason: 'failed' });
    });

    it('a drive that answers: identity, a verdict, and the exit status', async (ctx) => {
      if (!has(f.drives)) return ctx.skip(f.drives.skip);
      for (const d of f.drives.cases) {
        const r = await f.binding.read(d.device, { deviceType: d.deviceType });
        if (!r.available) throw new Error(`${d.device}: ${r.reason}: ${r.note}`);
        expect(r.device).toBe(d.device);
        expect(r.identity.model).toBeTruthy();
        expect(['healthy', 'watch', 'failing', 'unknown']).toContain(r.verdict.level);
        expect(r.exitStatus.deviceOpenFailed).toBe(false);
        expect({ model: r.identity.model, serial: r.identity.serial, level: r.verdict.level, kind: r.kind }).toMatchObject(d.expect);
      }
    });

    it('a drive behind a bridge smartctl does not know answers only when asked with -d sat', async (ctx) => {
      if (!has(f.unknownBridge)) return ctx.skip(f.unknownBridge.skip);
      const b = f.unknownBridge;
      const auto = await f.binding.read(b.device);
      expect(auto).toMatchObject({ available: false, reason: 'unsupported-device', note: expect.stringContaining('Unknown USB bridge') });
      const sat = await f.binding.read(b.device, { deviceType: 'sat' });
      expect(sat.available && sat.identity.serial).toBe(b.serial);
    });
  });
}
