// hdparm --dco-identify and -I outputs of real drives (test/fixtures/ata/README.md says whose).

import { describe, expect, it } from 'vitest';
import { dcoDisabledFeatures, hasHpaFeature } from '../../../drivers/ata/dco-features.ts';
import { parseDcoIdentify, parseIdentify } from '../../../drivers/ata/parse-identify.ts';
import type { AtaIdentity, DcoIdentify } from '../../../drivers/ata/types.ts';
import { fixture, loopRecording, ran } from './helpers.ts';

function dco(name: string): DcoIdentify {
  const r = parseDcoIdentify(ran(fixture(name)), '/dev/sdx');
  if (!r.ok) throw new Error(r.note);
  return r.value;
}

function identity(name: string): AtaIdentity {
  const r = parseIdentify(ran(fixture(name)), '/dev/sdx');
  if (!r.ok) throw new Error(r.note);
  return r.value;
}

describe('parseDcoIdentify', () => {
  it('reads the WD5003AZEX whose DCO hides 50,000,000 sectors (tabs turned to spaces)', () => {
    expect(dco('nikkel-wd5003azex-dco-identify.txt')).toEqual({
      revision: 2,
      checksum: 'not-checked',
      realMaxSectors: 976773168,
      transferModes: ['udma0', 'udma1', 'udma2', 'udma3', 'udma4', 'udma5', 'udma6'],
      ataFeatures: ['security', 'HPA'],
      sataFeatures: ['NCQ', 'interface_power_management', 'SSP'],
    });
  });

  it('reads a Seagate ST3000VX000 with a verified checksum and three lines of ATA features', () => {
    const d = dco('st3000vx000-dco-identify.txt');
    expect(d.checksum).toBe('verified');
    expect(d.realMaxSectors).toBe(5860533168);
    expect(d.transferModes).toEqual(['mdma0', 'mdma1', 'mdma2', 'udma0', 'udma1', 'udma2', 'udma3', 'udma4', 'udma5', 'udma6']);
    expect(d.ataFeatures).toEqual(['SMART', 'self_test', 'error_log', 'security', 'HPA', 'streaming', 'selective_test', 'conveyance_test', 'WRITE_UNC_EXT']);
    expect(d.sataFeatures).toEqual(['interface_power_management', 'SSP']);
  });

  it('says why a loop device gave no DCO (hdparm 9.65 exited 0 anyway)', () => {
    const { device, runs } = loopRecording();
    const run = runs['--dco-identify'];
    expect(run.code).toBe(0);
    const r = parseDcoIdentify(ran(run.stdout, run), device);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.note).toContain('HDIO_DRIVE_CMD(dco_identify) failed: Invalid argument');
  });
});

describe('parseIdentify', () => {
  it('reads a WD40EFRX with hdparm 9.65: identity, sizes, features and a frozen security state', () => {
    const id = identity('wd40efrx-I-hdparm-9.65.txt');
    expect(id).toMatchObject({
      model: 'WDC WD40EFRX-68N32N0',
      serial: 'WD-WCC7K4NLX884',
      firmware: '82.00A82',
      lbaSectors: 268435455,
      lba48Sectors: 7814037168,
      logicalSectorSize: 512,
      physicalSectorSize: 4096,
      security: { supported: true, enabled: false, locked: false, frozen: true },
    });
    expect(id.transport).toMatch(/^Serial, SATA 1\.0a/);
    expect(id.features).toContainEqual({ name: 'Host Protected Area feature set', enabled: true });
    expect(id.features).toContainEqual({ name: 'Security Mode feature set', enabled: false });
    expect(id.features).toHaveLength(47);
    expect(hasHpaFeature(id)).toBe(true);
  });

  it('reads the book’s elided WD5003AZEX excerpt: the 926773168 sectors its DCO leaves visible', () => {
    const id = identity('nikkel-wd5003azex-I-dco-excerpt.txt');
    expect(id).toMatchObject({ model: 'WDC WD5003AZEX-00MK2A0', lba48Sectors: 926773168, logicalSectorSize: 512, physicalSectorSize: 4096 });
    expect(id.serial).toBeUndefined();
  });
});

describe('features a DCO disabled', () => {
  it('finds none on the WD5000BMVV: every feature its DCO can disable is still in IDENTIFY', () => {
    const d = dco('wd5000bmvv-dco-identify.txt');
    const id = identity('wd5000bmvv-I.txt');
    expect(d.realMaxSectors).toBe(id.lba48Sectors);
    expect(dcoDisabledFeatures(d, id)).toEqual([]);
  });

  it('finds the ones IDENTIFY lost, in IDENTIFY’s words', () => {
    const d = dco('wd5000bmvv-dco-identify.txt');
    const id = identity('wd5000bmvv-I.txt');
    const without = { ...id, features: id.features.filter((f) => !/Host Protected Area|Security Mode/.test(f.name)) };
    expect(dcoDisabledFeatures(d, without)).toEqual(['Security Mode feature set', 'Host Protected Area feature set']);
    expect(hasHpaFeature(without)).toBe(false);
  });
});
