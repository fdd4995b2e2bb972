// The emulated appliance as the actors will see it: each port's facts through the preflight, a
// pulled drive failing its reads with ENXIO and coming back the same, a read-only flag flipped
// from outside reaching the write-block watcher, and a power cycle going through the relay board.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../controller/logger.ts';
import { gatherDriveFacts } from '../../../controller/preflight/drive-facts.ts';
import type { WriteBlockChange } from '../../../drivers/blocker/probe.ts';
import { cycle, type PowerClock } from '../../../drivers/power/cycle.ts';
import { relayIsOn } from '../../../drivers/power/usb-relay-reports.ts';
import { DriveModel } from '../../../hil/drive-model.ts';
import { parseEmuUrl } from '../../../hil/emu-url.ts';
import { emulatedAppliance, type EmulatedAppliance } from '../../../hil/scenarios/appliance.ts';

const MiB = 1024 * 1024;

let dir: string;
let box: EmulatedAppliance;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imagebox-appliance-'));
  box = emulatedAppliance({ imagesDir: dir, speed: 0, powerTimings: { offMs: 50, settleMs: 50 } });
});

afterEach(async () => {
  await box.close();
  await rm(dir, { recursive: true, force: true });
});

const serials = async (): Promise<Record<string, string | null>> =>
  Object.fromEntries((await box.env.bindings.discovery.list()).drives.map((d) => [d.name, d.serial]));

describe('emulated appliance', () => {
  it('shows each port its own case through the preflight', async () => {
    expect(box.ports).toEqual(['1', '2', '3', '4']);
    const facts = await Promise.all(box.ports.map((p) => gatherDriveFacts(`/dev/emu${p}`, box.env.bindings, { log: silentLogger() })));
    const [p1, p2, p3, p4] = facts;
    for (const [i, f] of facts.entries()) {
      expect(box.env.portOf(f.drive!)).toBe(box.ports[i]);
      // One identity: smartctl's recording, hdparm and the listing agree on serial and size.
      expect(f.smart.available && f.smart.identity.capacityBytes).toBe(f.drive?.size);
      expect(f.hidden.kind === 'ata' && f.hidden.visibleBytes).toBe(f.drive?.size);
      expect(f.hidden.kind === 'ata' && f.hidden.identity?.serial).toBe(f.drive?.serial);
    }
    expect(facts.map((f) => f.smart.available && f.smart.verdict.level)).toEqual(['healthy', 'failing', 'healthy', 'watch']);
    expect(p2.identity).toMatchObject({ model: 'Hitachi HDS721050DLE630', serial: 'MSK423Y20S3HBC', capacityBytes: 32 * MiB });

    expect(p1.writeBlock.verdict).toBe('not-engaged');
    expect(p1.writeBlock.readings.map((r) => r.method)).toEqual(['kernel-ro']);
    expect(p3.writeBlock.verdict).toBe('engaged');
    const bridge = p3.writeBlock.readings.find((r) => r.method === 'usb-bridge');
    expect(bridge?.state).toBe('engaged');
    expect(bridge?.detail).toMatch(/Tableau T8-R2.*13d7:000c/);
    expect(p4.writeBlock).toMatchObject({ verdict: 'engaged', readings: [{ method: 'kernel-ro', state: 'engaged' }] });

    expect(p4.hidden.kind === 'ata' && p4.hidden.hpa).toMatchObject({ enabled: true, hiddenSectors: 2048 });
    expect(p4.hidden.kind === 'ata' && p4.hidden.nativeBytes).toBe(64 * MiB);
    for (const f of [p1, p2, p3]) expect(f.hidden.kind === 'ata' && f.hidden.hpa.enabled).toBe(false);
    expect(box.env.powerSwitch('2')).toBeDefined();
    expect(box.env.powerSwitch('1')).toBeUndefined();
  });

  it('fails reads with ENXIO once a drive is pulled, and gives the same drive back when plugged', async () => {
    const opened = await box.env.openSource('/dev/emu1');
    const { source } = opened;
    expect(source.size).toBe(64 * MiB);
    const before = await source.read(8 * MiB, 64 * 1024);
    expect(before.ok).toBe(true);

    box.unplug('1');
    expect(await source.read(8 * MiB, 64 * 1024)).toMatchObject({ ok: false, code: 'ENXIO' });
    await expect(box.env.openSource('/dev/emu1')).rejects.toMatchObject({ code: 'ENXIO' });
    await expect(source.reopen()).rejects.toMatchObject({ code: 'ENXIO' });
    expect(await serials()).not.toHaveProperty('emu1');
    expect((await box.env.bindings.smart.read('/dev/emu1')).available).toBe(false);
    expect((await box.env.bindings.blocker.read('/dev/emu1'))[0].state).toBe('unknown');

    box.plug('1');
    expect((await serials()).emu1).toBe('9RK1XXXX');
    // The old descriptor stays dead, as on a real replug, until it is reopened.
    expect(await source.read(8 * MiB, 64 * 1024)).toMatchObject({ ok: false, code: 'ENXIO' });
    await source.reopen();
    const reread = await source.read(8 * MiB, 64 * 1024);
    const fresh = await (await box.env.openSource('/dev/emu1')).source.read(8 * MiB, 64 * 1024);
    if (!before.ok || !reread.ok || !fresh.ok) throw new Error('reads after the replug failed');
    expect(reread.data.equals(before.data)).toBe(true);
    expect(fresh.data.equals(before.data)).toBe(true);
    expect(opened.clock.now()).toBeGreaterThan(0);
  });

  it('loses a read in flight when the drive is pulled during it (paced, as in the demo)', async () => {
    const paced = emulatedAppliance({ imagesDir: dir, speed: 1 });
    try {
      const { source } = await paced.env.openSource('/dev/emu3');
      const t0 = performance.now();
      const read = source.read(0, 4 * MiB);
      paced.unplug('3');
      expect(await read).toMatchObject({ ok: false, kind: 'error', code: 'ENXIO' });
      // The read was under way (paced drive-time), not refused up front.
      expect(performance.now() - t0).toBeGreaterThan(4);
    } finally {
      await paced.close();
    }
  });

  it('reports a read-only flag flipped from outside to the write-block watcher', async () => {
    const stop = new AbortController();
    const changes: WriteBlockChange[] = [];
    const seen = new Promise<void>((resolve) => {
      void box.env.bindings.blocker.watch('/dev/emu4', { intervalMs: 20, signal: stop.signal }, (c) => {
        changes.push(c);
        resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 30));
    box.setKernelRo('4', false);
    await Promise.race([seen, new Promise((_, reject) => setTimeout(() => reject(new Error('no change seen in 2 s')), 2_000))]);
    stop.abort();
    expect(changes.map((c) => [c.method, c.from, c.to])).toEqual([['kernel-ro', 'engaged', 'not-engaged']]);
    const listed = (await box.env.bindings.discovery.list()).drives.find((d) => d.name === 'emu4');
    expect(listed?.readOnly).toBe(false);
  });

  it('power-cycles port 2 through its relay: off and on reports, the drive off the bus meanwhile', async () => {
    const board = box.relay('2');
    const sw = box.env.powerSwitch('2');
    if (!board || !sw) throw new Error('port 2 has no relay');
    expect(box.relay('1')).toBeUndefined();
    const opened = await box.env.openSource('/dev/emu2');
    const duringOff: string[] = [];
    const clock: PowerClock = {
      now: () => Date.now(),
      async sleep(ms) {
        if (board.mask === 0) duringOff.push(...Object.keys(await serials()));
        await box.env.powerClock.sleep(ms);
      },
    };
    const t0 = performance.now();
    await cycle(sw, box.env.powerTimings, undefined, clock, silentLogger());
    expect(performance.now() - t0).toBeGreaterThanOrEqual(95);
    // Each switch is a SET_REPORT: 0xFD n is off, 0xFF n is on.
    expect(board.sent.map((r) => [r[0], r[1]])).toEqual([[0xfd, 1], [0xff, 1]]);
    expect(relayIsOn(board.mask, 1)).toBe(true);
    expect(duringOff).not.toContain('emu2');
    expect(duringOff).toContain('emu1');
    expect(await serials()).toHaveProperty('emu2', 'MSK423Y20S3HBC');
    expect(await opened.source.read(0, 4096)).toMatchObject({ ok: false, code: 'ENXIO' });
    await opened.source.reopen();
    expect((await opened.source.read(0, 4096)).ok).toBe(true);
  });

  it('is one drive per port: a drive that stopped answering does so for every open, until its power is cycled', async () => {
    const url = 'emu:vanish?seed=3&size=8M&afterFailures=1&recoverAfterMs=1000000000';
    const vanishing = emulatedAppliance({ imagesDir: dir, speed: 0, ports: [{ port: '2', url }], powerTimings: { offMs: 50, settleMs: 50 } });
    try {
      const bad = new DriveModel(parseEmuUrl(url)).damage.bad[0];
      const first = await vanishing.env.openSource('/dev/emu2');
      expect(await first.source.read(bad.pos, 512)).toMatchObject({ ok: false, code: 'EIO' });
      const probe = await vanishing.env.openSource('/dev/emu2');
      expect((await probe.source.read(0, 512)).ok).toBe(false);
      const sw = vanishing.env.powerSwitch('2');
      if (!sw) throw new Error('port 2 lost its relay');
      await cycle(sw, vanishing.env.powerTimings, undefined, vanishing.env.powerClock, silentLogger());
      const after = await vanishing.env.openSource('/dev/emu2');
      expect((await after.source.read(0, 512)).ok).toBe(true);
    } finally {
      await vanishing.close();
    }
  });

  it('lets a test put its own drive on a port and gives free space of the nearest existing folder', async () => {
    const custom = emulatedAppliance({ imagesDir: dir, speed: 0, ports: [{ port: '5', url: 'emu:hang?seed=2&size=8M', recording: 'netdata-sat-wdc-ssd.json', relay: true }] });
    try {
      expect(custom.ports).toEqual(['1', '2', '3', '4', '5']);
      expect(custom.env.powerSwitch('5')).toBeDefined();
      expect((await custom.env.openSource('/dev/emu5')).source.size).toBe(8 * MiB);
      expect(custom.summary()[4]).toMatch(/^port 5: \/dev\/emu5 WDC {2}WDS400T1R0A.*8M, emu:hang.*power relay/);
    } finally {
      await custom.close();
    }
    const free = await box.env.freeBytes(join(dir, 'not', 'yet', 'made'));
    expect(free).toBeGreaterThan(0);
    // The same filesystem as the folder that exists (others may write to it meanwhile).
    expect(Math.abs(free - (await box.env.freeBytes(dir)))).toBeLessThan(free / 100);
  });
});
