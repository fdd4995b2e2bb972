// The discovery contract, run by contract.test.ts against the real binding (with loop devices
// attached and detached for real) and the emulated one: listing, hotplug within 2 s, change, stop.

import { afterEach, describe, expect, it } from 'vitest';
import { canBeDestination } from '../../../drivers/discovery/destination.ts';
import type { DiscoveryBinding, DriveEvent } from '../../../drivers/discovery/types.ts';
import { eventRecorder } from './event-recorder.ts';

export interface AttachedDrive {
  readonly name: string;
  detach(): Promise<void>;
  resize(size: number): Promise<void>;
}

export interface DiscoveryFixture {
  readonly binding: DiscoveryBinding;
  attach(opts: { readonly size: number; readonly readOnly: boolean }): Promise<AttachedDrive>;
}

const MiB = 1024 * 1024;
const HOTPLUG_MS = 2000;

const is = (type: DriveEvent['type'], name: string) => (e: DriveEvent) => e.type === type && e.drive.name === name;

/** `skip`: why this binding cannot run here (null when it can). */
export function discoveryContract(label: string, skip: string | null, fixture: () => DiscoveryFixture): void {
  describe.skipIf(skip !== null)(`discovery contract: ${label}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
    });
    const attach = async (f: DiscoveryFixture, size: number, readOnly = false) => {
      const d = await f.attach({ size, readOnly });
      cleanups.push(() => d.detach());
      return d;
    };
    const watch = (b: DiscoveryBinding) => {
      const rec = eventRecorder();
      const ctl = new AbortController();
      const w = b.watch({ signal: ctl.signal, onEvent: rec.onEvent });
      cleanups.push(async () => {
        ctl.abort();
        await w.stopped;
      });
      return { rec, ctl, w };
    };

    it('lists whole disks once each, with sector sizes a disk can have, and no RAM disks', async () => {
      const { drives } = await fixture().binding.list();
      expect(new Set(drives.map((d) => d.name)).size).toBe(drives.length);
      for (const d of drives) {
        expect(d.name).not.toMatch(/^(zram|ram)\d+$/);
        expect(d.path).toBe(`/dev/${d.name}`);
        expect([512, 1024, 2048, 4096]).toContain(d.logicalSectorSize);
        expect(d.physicalSectorSize).toBeGreaterThanOrEqual(d.logicalSectorSize);
        if (/^loop\d+$/.test(d.name)) expect(d.backingFile).not.toBeNull();
      }
    });

    it('lists an attached drive with its size and read-only flag, and refuses it as a destination', async () => {
      const f = fixture();
      const d = await attach(f, 8 * MiB, true);
      const found = (await f.binding.list()).drives.find((x) => x.name === d.name);
      expect(found).toMatchObject({ size: 8 * MiB, readOnly: true, systemDisk: false, mountPoints: [] });
      expect(canBeDestination(found!)).toEqual({ ok: false, reason: 'read-only' });
    });

    it('reports attach and detach, each within 2 s', async () => {
      const f = fixture();
      const { rec, w } = watch(f.binding);
      await w.ready;
      let since = performance.now();
      const d = await attach(f, 4 * MiB);
      // Not checked against the first listing by name: another test file may have held and freed
      // the same loopN just before. The attach event after `since` is what counts.
      const attached = await rec.waitFor(is('attach', d.name), since, HOTPLUG_MS);
      // Not readOnly: BLKROSET (blockdev --setro) outlives a loop's detach, so a free loop may come up read-only.
      expect(attached.event.drive).toMatchObject({ size: 4 * MiB });
      since = performance.now();
      await d.detach();
      const detached = await rec.waitFor(is('detach', d.name), since, HOTPLUG_MS);
      console.info(`${label}: attach reported after ${attached.ms.toFixed(0)} ms, detach after ${detached.ms.toFixed(0)} ms`);
    });

    it('reports a resize as a change of size', async () => {
      const f = fixture();
      const d = await attach(f, 4 * MiB);
      const { rec, w } = watch(f.binding);
      await w.ready;
      const since = performance.now();
      await d.resize(6 * MiB);
      const { event } = await rec.waitFor(is('change', d.name), since, HOTPLUG_MS);
      expect(event).toMatchObject({ changed: expect.arrayContaining(['size']), drive: { size: 6 * MiB }, previous: { size: 4 * MiB } });
    });

    it('stops when its signal aborts, and reports nothing afterwards', async () => {
      const f = fixture();
      const { rec, ctl, w } = watch(f.binding);
      await w.ready;
      ctl.abort();
      await w.stopped;
      const since = performance.now();
      const d = await attach(f, 4 * MiB);
      await expect(rec.waitFor((e) => e.drive.name === d.name, since, 700)).rejects.toThrow(/no matching event/);
    });
  });
}
