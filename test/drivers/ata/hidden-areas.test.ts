// Combining -N, -I and --dco-identify into what a drive hides, and the one-line summary.

import { describe, expect, it } from 'vitest';
import { combineHiddenAreas, detectHiddenAreas, isNvme } from '../../../drivers/ata/hidden-areas.ts';
import { emulatedAtaBinding, EmulatedAtaDrive } from '../../../drivers/ata/emulated.ts';
import { parseMaxSectors } from '../../../drivers/ata/parse-hdparm.ts';
import { parseDcoIdentify, parseIdentify } from '../../../drivers/ata/parse-identify.ts';
import { formatBinary, summarizeHiddenAreas } from '../../../drivers/ata/summary.ts';
import { fixture, ran } from './helpers.ts';

const none = { ok: false as const, note: 'not read' };

describe('combineHiddenAreas', () => {
  it('WD5003AZEX with an HPA: 97,677,316 sectors hidden, in sectors and bytes', () => {
    const h = combineHiddenAreas({ device: '/dev/sdl', max: parseMaxSectors(ran(fixture('nikkel-wd5003azex-N-hpa.txt')), '/dev/sdl'), dco: none, identity: none });
    expect(h).toMatchObject({
      kind: 'ata',
      sectorSize: 512,
      visibleSectors: 879095852,
      nativeSectors: 976773168,
      visibleBytes: 879095852 * 512,
      nativeBytes: 500107862016,
      hpa: { enabled: true, hiddenSectors: 97677316, hiddenBytes: 97677316 * 512 },
      dco: { state: 'unavailable', note: 'not read' },
    });
    expect(summarizeHiddenAreas(h)).toBe('HPA: 97,677,316 sectors (46.6 GiB) hidden; DCO: unknown');
  });

  it('WD5000BMVV: DCO read and compared with IDENTIFY, nothing hidden', () => {
    const max = { ok: true as const, value: { visible: 976773168, native: 976773168, accessibleMaxAddress: false } };
    const h = combineHiddenAreas({
      device: '/dev/sdb',
      max,
      dco: parseDcoIdentify(ran(fixture('wd5000bmvv-dco-identify.txt')), '/dev/sdb'),
      identity: parseIdentify(ran(fixture('wd5000bmvv-I.txt')), '/dev/sdb'),
    });
    expect(h).toMatchObject({ kind: 'ata', dco: { state: 'read', realMaxSectors: 976773168, hiddenSectors: 0, disabledFeatures: [], featuresCompared: true } });
    expect(summarizeHiddenAreas(h)).toBe('HPA: none; DCO: none');
  });

  it('WD5003AZEX whose DCO shows 926773168 of 976773168 sectors: 50,000,000 hidden by the DCO', () => {
    // The book gives -I and --dco-identify for this drive, not -N: with no HPA, native = visible.
    const identity = parseIdentify(ran(fixture('nikkel-wd5003azex-I-dco-excerpt.txt')), '/dev/sdl');
    const h = combineHiddenAreas({
      device: '/dev/sdl',
      max: { ok: true, value: { visible: 926773168, native: 926773168, accessibleMaxAddress: false } },
      dco: parseDcoIdentify(ran(fixture('nikkel-wd5003azex-dco-identify.txt')), '/dev/sdl'),
      identity,
    });
    expect(h).toMatchObject({ dco: { state: 'read', realMaxSectors: 976773168, hiddenSectors: 50_000_000, hiddenBytes: 25_600_000_000 } });
    expect(summarizeHiddenAreas(h)).toMatch(/^HPA: none; DCO: 50,000,000 sectors \(23\.8 GiB\) hidden/);
  });

  it('counts bytes in the drive’s logical sectors (4Kn)', () => {
    const identity = { ok: true as const, value: { features: [], logicalSectorSize: 4096 } };
    const h = combineHiddenAreas({ device: '/dev/sdq', max: { ok: true, value: { visible: 1000, native: 1256, accessibleMaxAddress: false } }, dco: none, identity });
    expect(h).toMatchObject({ sectorSize: 4096, hpa: { hiddenSectors: 256, hiddenBytes: 1_048_576 } });
    expect(summarizeHiddenAreas(h)).toBe('HPA: 256 sectors (1.0 MiB) hidden; DCO: unknown');
  });

  it('is unavailable when -N gave nothing and IDENTIFY still lists the HPA feature set', () => {
    const h = combineHiddenAreas({
      device: '/dev/sda',
      max: { ok: false, note: '/dev/sda rejected the command (READ_NATIVE_MAX_ADDRESS_EXT failed: Input/output error)' },
      dco: none,
      identity: parseIdentify(ran(fixture('wd40efrx-I-hdparm-9.65.txt')), '/dev/sda'),
    });
    expect(h).toEqual({ kind: 'unavailable', device: '/dev/sda', note: '/dev/sda rejected the command (READ_NATIVE_MAX_ADDRESS_EXT failed: Input/output error)' });
  });
});

describe('summary and names', () => {
  it('prints the example from the issue', () => {
    expect(formatBinary(2113 * 512)).toBe('1.0 MiB');
    expect(formatBinary(512)).toBe('512 B');
  });

  it('knows NVMe by name or transport', () => {
    expect(isNvme('/dev/nvme0n1')).toBe(true);
    expect(isNvme('/dev/nvme1n1p3')).toBe(true);
    expect(isNvme('/dev/sdb', 'nvme')).toBe(true);
    expect(isNvme('/dev/sdb', 'sata')).toBe(false);
    expect(isNvme('/dev/nvmeish')).toBe(false);
  });
});

describe('detectHiddenAreas on an emulated drive', () => {
  it('finds the HPA of the issue’s example and writes it as one line', async () => {
    const drive = new EmulatedAtaDrive({ realMaxSectors: 976773168, visibleSectors: 976771055 });
    const h = await detectHiddenAreas(emulatedAtaBinding({ '/dev/sdz': drive }), '/dev/sdz');
    expect(h).toMatchObject({ kind: 'ata', visibleSectors: 976771055, nativeSectors: 976773168, hpa: { enabled: true, hiddenSectors: 2113 } });
    expect(summarizeHiddenAreas(h)).toBe('HPA: 2,113 sectors (1.0 MiB) hidden; DCO: none');
  });

  it('reports what a DCO hides and disables, inferring "no HPA" when the DCO switched the HPA feature set off', async () => {
    const drive = new EmulatedAtaDrive({ realMaxSectors: 976773168, dcoMaxSectors: 926773168, dcoDisabled: ['HPA', 'security'] });
    const binding = emulatedAtaBinding({ '/dev/sdz': drive });
    // The drive aborts READ NATIVE MAX ADDRESS: that command belongs to the disabled HPA feature set.
    expect(await binding.readMax('/dev/sdz')).toMatchObject({ kind: 'ran', code: 5, stderr: ' READ_NATIVE_MAX_ADDRESS_EXT failed: Input/output error\n' });
    const h = await detectHiddenAreas(binding, '/dev/sdz');
    expect(h).toMatchObject({
      kind: 'ata',
      visibleSectors: 926773168,
      nativeSectors: 926773168,
      hpa: { enabled: false, hiddenSectors: 0, note: 'no HPA feature set in IDENTIFY, so no HPA (native max taken from IDENTIFY)' },
      dco: { state: 'read', hiddenSectors: 50_000_000, disabledFeatures: ['Security Mode feature set', 'Host Protected Area feature set'], featuresCompared: true },
    });
    expect(summarizeHiddenAreas(h)).toBe(
      'HPA: none; DCO: 50,000,000 sectors (23.8 GiB) hidden, disables Security Mode feature set, Host Protected Area feature set',
    );
  });

  it('answers not-applicable for NVMe without running hdparm', async () => {
    const binding = emulatedAtaBinding({});
    expect(await detectHiddenAreas(binding, '/dev/nvme0n1')).toEqual({
      kind: 'not-applicable',
      device: '/dev/nvme0n1',
      reason: 'nvme',
      note: 'NVMe drives have no HPA or DCO (ATA features)',
    });
    expect(binding.commands).toEqual([]);
  });
});
