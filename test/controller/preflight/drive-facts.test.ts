// gatherDriveFacts over emulated bindings: recorded smartctl outputs of real drives, emulated ATA
// drives printing what hdparm prints, emulated kernel flags and USB bridges.

import { describe, expect, it } from 'vitest';
import { emulatedAtaBinding } from '../../../drivers/ata/emulated.ts';
import { hdparmBinding } from '../../../drivers/ata/hdparm-binding.ts';
import type { WriteBlockProbe } from '../../../drivers/blocker/probe.ts';
import { gatherDriveFacts } from '../../../controller/preflight/drive-facts.ts';
import { fixtureText } from '../../drivers/smart/fixtures.ts';
import { emulatedBindings } from './emulated-bindings.ts';

const T8_R2 = { usb: { vendorId: 0x13d7, productId: 0x000c, sysPath: '/sys/devices/usb2/2-1', port: '2-1', serial: '000ECC0800778899' } };
const JMICRON = { usb: { vendorId: 0x152d, productId: 0x0578, sysPath: '/sys/devices/usb2/2-2', port: '2-2' } };

describe('gatherDriveFacts', () => {
  it('healthy SATA drive behind the kernel flag: identity from smartctl, no notes', async () => {
    const facts = await gatherDriveFacts('/dev/sda', emulatedBindings({
      device: '/dev/sda',
      drive: { transport: 'sata', vendor: 'ATA', model: 'WDC WD140EDFZ-11', size: 14000519643136, physicalSectorSize: 4096, readOnly: true },
      smart: { output: fixtureText('ataHealthy') },
      ata: { realMaxSectors: 27344764928, model: 'WDC WD140EDFZ-11A0VA0', logicalSectorSize: 512, physicalSectorSize: 4096 },
      blocker: { ro: true },
    }));
    expect(facts.notes).toEqual([]);
    expect(facts.identity).toEqual({
      model: 'WDC WD140EDFZ-11A0VA0', serial: '9RK1XXXX', firmware: '81.00A81', capacityBytes: 14000519643136,
      logicalSectorSize: 512, physicalSectorSize: 4096, rotationRpm: 5400, transport: 'SATA 3.2 (6.0 Gb/s)',
      from: { model: 'smart', serial: 'smart', firmware: 'smart', capacityBytes: 'smart', logicalSectorSize: 'smart', physicalSectorSize: 'smart', rotationRpm: 'smart', transport: 'smart' },
    });
    expect(facts.writeBlock.verdict).toBe('engaged');
    expect(facts.smart).toMatchObject({ available: true, verdict: { level: 'healthy' } });
    expect(facts.hidden).toMatchObject({ kind: 'ata', hpa: { enabled: false }, dco: { state: 'read', hiddenSectors: 0 } });
    expect(facts.destination).toEqual({ ok: false, reason: 'read-only' });
    expect(facts.drive?.path).toBe('/dev/sda');
  });

  it('failing drive: the verdict, its reasons and advice, and a write-block that is not engaged', async () => {
    const facts = await gatherDriveFacts('/dev/sdc', emulatedBindings({
      device: '/dev/sdc',
      drive: { transport: 'usb' },
      smart: { output: fixtureText('usbFailed') },
      ata: { realMaxSectors: 976773168 },
      blocker: { ro: false, bridge: JMICRON },
    }));
    if (!facts.smart.available) throw new Error(facts.smart.note);
    expect(facts.smart.verdict.level).toBe('failing');
    expect(facts.smart.verdict.reasons.map((r) => r.short)).toContain('8 pending sectors');
    expect(facts.smart.verdict.advice[0]).toMatch(/^Image in recovery mode first/);
    expect(facts.identity).toMatchObject({ model: 'Hitachi HDS721050DLE630', transport: expect.stringMatching(/via USB JMicron$/) });
    expect(facts.writeBlock.readings.map((r) => [r.method, r.state])).toEqual([['kernel-ro', 'not-engaged'], ['usb-bridge', 'unknown']]);
    expect(facts.writeBlock.verdict).toBe('not-engaged');
    expect(facts.notes).toEqual([expect.stringMatching(/^write-block \(usb-bridge\) unknown: \/dev\/sdc: USB bridge 152d:0578 at USB port 2-2 is not a known write-blocker$/)]);
    expect(facts.destination).toEqual({ ok: true });
  });

  it('NVMe: no hdparm command is sent, HPA/DCO is not applicable, and that is no gap', async () => {
    const b = emulatedBindings({
      device: '/dev/nvme0n1',
      drive: { transport: 'nvme', physicalSectorSize: 512 },
      smart: { output: fixtureText('nvmeHealthy') },
      ataBinding: emulatedAtaBinding({}),
      blocker: { ro: true },
    });
    const facts = await gatherDriveFacts('/dev/nvme0n1', b);
    expect((b.ata as ReturnType<typeof emulatedAtaBinding>).commands).toEqual([]);
    expect(facts.hidden).toMatchObject({ kind: 'not-applicable', reason: 'nvme' });
    expect(facts.identity).toMatchObject({ model: 'INTEL SSDPEKNW010T8', capacityBytes: 1024209543168, transport: 'NVMe', from: { physicalSectorSize: 'discovery' } });
    expect(facts.notes).toEqual([]);
  });

  it('USB bridge: a forensic bridge is the write-block, and SMART is asked again with -d sat', async () => {
    const facts = await gatherDriveFacts('/dev/sdd', emulatedBindings({
      device: '/dev/sdd',
      drive: { transport: 'usb' },
      smart: { output: fixtureText('satSsd'), requiresDeviceType: 'sat', usbId: '0x13d7:0x000c (0x0100)' },
      ata: { realMaxSectors: 7814037168 },
      blocker: { ro: false, bridge: T8_R2 },
    }));
    expect(facts.writeBlock.verdict).toBe('engaged');
    expect(facts.writeBlock.readings.find((r) => r.method === 'usb-bridge')?.detail).toMatch(/Tableau T8-R2 .*write-blocking by design/);
    expect(facts.smart).toMatchObject({ available: true, identity: { deviceType: 'sat', rotationRpm: 0 } });
    expect(facts.notes).toEqual([expect.stringMatching(/^SMART read with -d sat: smartctl did not know the USB bridge \(\/dev\/sdd: Unknown USB bridge \[0x13d7:0x000c/)]);
  });

  it('a USB bridge that does not pass SAT either: the first answer stays, with both notes', async () => {
    const facts = await gatherDriveFacts('/dev/sde', emulatedBindings({
      device: '/dev/sde',
      drive: { transport: 'usb' },
      smart: { output: fixtureText('satSsd'), requiresDeviceType: 'usbcypress' },
      blocker: { ro: true },
    }));
    expect(facts.smart).toMatchObject({ available: false, reason: 'unsupported-device', note: expect.stringMatching(/Unknown USB bridge/) });
    expect(facts.notes.slice(0, 2)).toEqual([
      expect.stringMatching(/^SMART through the USB bridge failed with -d sat too: .*Unknown USB bridge/),
      expect.stringMatching(/^SMART unavailable \(unsupported-device\): .*Unknown USB bridge/),
    ]);
  });

  it('HPA drive with no SMART: identity from hdparm -I, the HPA counted', async () => {
    const facts = await gatherDriveFacts('/dev/sdf', emulatedBindings({
      device: '/dev/sdf',
      drive: { transport: 'sata', size: 976771055 * 512 },
      smart: { state: 'unsupported' },
      ata: { realMaxSectors: 976773168, visibleSectors: 976771055, model: 'WDC WD5003AZEX-00MK2A0', serial: 'WD-WCC3F1234567', firmware: '01.01A01' },
      blocker: { ro: true },
    }));
    expect(facts.hidden).toMatchObject({ kind: 'ata', visibleSectors: 976771055, nativeSectors: 976773168, hpa: { enabled: true, hiddenSectors: 2113 } });
    expect(facts.identity).toMatchObject({
      model: 'WDC WD5003AZEX-00MK2A0', serial: 'WD-WCC3F1234567', firmware: '01.01A01', capacityBytes: 976771055 * 512, transport: 'Serial, SATA Rev 3.0',
      from: { model: 'hdparm', capacityBytes: 'hdparm', transport: 'hdparm' },
    });
    expect(facts.identity.rotationRpm).toBeUndefined();
    expect(facts.notes).toEqual([expect.stringMatching(/^SMART unavailable \(unsupported-device\): \/dev\/sdf/)]);
  });

  it('tools missing and a device nobody knows: every part a note, nothing thrown', async () => {
    const facts = await gatherDriveFacts('/dev/sdg', emulatedBindings({
      device: '/dev/sdg',
      smartctlInstalled: false,
      // The real binding with nowhere to look: hdparm is missing for real.
      ataBinding: hdparmBinding({ searchPath: '' }),
    }));
    expect(facts.drive).toBeUndefined();
    expect(facts.identity).toEqual({ from: {} });
    expect(facts.smart).toMatchObject({ available: false, reason: 'smartctl-missing' });
    expect(facts.hidden).toMatchObject({ kind: 'unavailable', note: expect.stringMatching(/hdparm is not installed/) });
    expect(facts.writeBlock.verdict).toBe('unknown');
    expect(facts.destination.ok).toBe(false);
    expect(facts.notes).toEqual([
      '/dev/sdg is not in the drive listing: its mounts, system role and bus are unknown',
      expect.stringMatching(/^SMART unavailable \(smartctl-missing\): smartctl is not installed/),
      expect.stringMatching(/^HPA\/DCO unavailable: hdparm is not installed/),
      expect.stringMatching(/^write-block \(kernel-ro\) unknown: \/dev\/sdg: kernel read-only flag unreadable/),
    ]);
  });

  it('a partition is named as one', async () => {
    const bindings = emulatedBindings({ device: '/dev/sdh1', blocker: { ro: true } });
    const listing = emulatedBindings({ device: '/dev/sdh', drive: { partitions: ['sdh1'] } }).discovery;
    const facts = await gatherDriveFacts('/dev/sdh1', { ...bindings, discovery: listing });
    expect(facts.notes[0]).toBe('/dev/sdh1 is a partition of /dev/sdh: the drive listing holds whole disks, so its size, mounts and bus are not shown');
    expect(facts.writeBlock.verdict).toBe('engaged');
  });
});

describe('gatherDriveFacts when parts hang or throw', () => {
  const hangingProbe: WriteBlockProbe = {
    binding: 'hanging',
    read: () => new Promise(() => {}),
    setReadOnly: () => Promise.reject(new Error('not here')),
    clearReadOnly: () => Promise.reject(new Error('not here')),
    watch: () => Promise.resolve(),
  };

  it('moves on at each timeout, with a note naming the part', async () => {
    const started = performance.now();
    const facts = await gatherDriveFacts(
      '/dev/sdi',
      emulatedBindings({ device: '/dev/sdi', drive: { transport: 'sata' }, smart: { state: 'hang' }, ata: { realMaxSectors: 1000 }, probe: hangingProbe }),
      { timeouts: { smart: 80, writeBlock: 60 } },
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(facts.smart).toEqual({ available: false, device: '/dev/sdi', reason: 'failed', note: 'smartctl gave no answer within 80 ms' });
    expect(facts.writeBlock).toEqual({ readings: [], verdict: 'unknown' });
    expect(facts.hidden.kind).toBe('ata');
    expect(facts.notes).toEqual(['SMART unavailable: smartctl gave no answer within 80 ms', 'the write-block readings gave no answer within 60 ms']);
  });

  it('a binding that throws costs its part only', async () => {
    const b = emulatedBindings({ device: '/dev/sdj', drive: { transport: 'sata' }, blocker: { ro: true } });
    const facts = await gatherDriveFacts('/dev/sdj', {
      ...b,
      discovery: { list: () => Promise.reject(new Error('lsblk exploded\nsecond line')), watch: b.discovery.watch },
      ata: { ...emulatedAtaBinding({}), readMax: () => Promise.reject(new Error('EPIPE')) },
    });
    expect(facts.drive).toBeUndefined();
    expect(facts.notes).toEqual([
      'the drive listing failed: lsblk exploded',
      expect.stringMatching(/^SMART unavailable \(device-gone\): \/dev\/sdj does not exist/),
      'HPA/DCO unavailable: hdparm failed: EPIPE',
    ]);
    expect(facts.writeBlock.verdict).toBe('engaged');
  });

  it('an abort rejects with its reason, without waiting for the hung parts', async () => {
    const stop = new AbortController();
    const pending = gatherDriveFacts('/dev/sdk', emulatedBindings({ device: '/dev/sdk', drive: {}, smart: { state: 'hang' }, probe: hangingProbe }), { signal: stop.signal });
    setTimeout(() => stop.abort(new Error('operator pulled the drive')), 30);
    await expect(pending).rejects.toThrow('operator pulled the drive');
  });
});
