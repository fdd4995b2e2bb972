// The acquisition record's HPA/DCO field from detection results.

import { describe, expect, it } from 'vitest';
import type { HpaDcoState } from '../../../controller/evidence/record-schema.ts';
import { validateRecord } from '../../../controller/evidence/record-schema.ts';
import { emulatedAtaBinding, EmulatedAtaDrive } from '../../../drivers/ata/emulated.ts';
import { detectHiddenAreas } from '../../../drivers/ata/hidden-areas.ts';
import { hpaDcoRecordField } from '../../../drivers/ata/record-field.ts';
import { makeRecord } from '../../controller/evidence/fixture-record.ts';

const DEV = '/dev/sdz';

async function found(spec: ConstructorParameters<typeof EmulatedAtaDrive>[0]) {
  return detectHiddenAreas(emulatedAtaBinding({ [DEV]: new EmulatedAtaDrive(spec) }), DEV);
}

describe('hpaDcoRecordField', () => {
  it('records an HPA that was unlocked before imaging', async () => {
    const field: HpaDcoState = hpaDcoRecordField(await found({ realMaxSectors: 976773168, visibleSectors: 976771055 }), 'native');
    expect(field).toEqual({
      hpaPresent: true,
      dcoPresent: false,
      dcoSectors: 976773168,
      visibleSectors: 976771055,
      nativeSectors: 976773168,
      imaged: 'native',
      note: 'HPA: 2,113 sectors (1.0 MiB) hidden; DCO: none; HPA unlocked (volatile) before imaging: imaged the native area',
    });
  });

  it('records a DCO left in place, with what it disables', async () => {
    const field = hpaDcoRecordField(await found({ realMaxSectors: 2000, dcoMaxSectors: 1000, dcoDisabled: ['SMART'] }), 'visible');
    expect(field).toMatchObject({ hpaPresent: false, dcoPresent: true, visibleSectors: 1000, nativeSectors: 1000, dcoSectors: 2000, imaged: 'visible' });
    expect(field.note).toBe('HPA: none; DCO: 1,000 sectors (500.0 KiB) hidden, disables SMART feature set; imaged the visible area');
  });

  it('says when nothing could be read, and refuses to claim a native image then', async () => {
    const silent = await found({ realMaxSectors: 1000, answers: false });
    expect(hpaDcoRecordField(silent, 'visible')).toEqual({ imaged: 'visible', note: expect.stringMatching(/^HPA\/DCO: unavailable \(\/dev\/sdz did not answer ATA IDENTIFY/) });
    expect(() => hpaDcoRecordField(silent, 'native')).toThrow(RangeError);
    expect(hpaDcoRecordField({ kind: 'not-applicable', device: '/dev/nvme0n1', reason: 'nvme', note: '' }, 'visible')).toEqual({
      imaged: 'visible',
      note: 'HPA/DCO: not applicable (NVMe)',
    });
  });

  it('fits a record that validateRecord accepts', async () => {
    const hpaDco = hpaDcoRecordField(await found({ realMaxSectors: 976773168, visibleSectors: 976771055 }), 'native');
    const unread = { fill: 'zeros' as const, byteCount: 0, sectorCount: 0, ranges: [] };
    const record = makeRecord(unread, { md5: 'd41d8cd98f00b204e9800998ecf8427e' });
    const withField = { ...record, source: { ...record.source, hpaDco } };
    expect(validateRecord(JSON.parse(JSON.stringify(withField))).source.hpaDco).toEqual(hpaDco);
  });
});
