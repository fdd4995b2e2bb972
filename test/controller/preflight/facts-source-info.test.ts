// The acquisition record's source from gathered facts: the write-block state in the record's
// terms, and a source that validateRecord accepts.

import { describe, expect, it } from 'vitest';
import { validateRecord } from '../../../controller/evidence/record-schema.ts';
import { gatherDriveFacts } from '../../../controller/preflight/drive-facts.ts';
import { factsToSourceInfo, recordWriteBlock } from '../../../controller/preflight/facts-source-info.ts';
import type { WriteBlockMethod, WriteBlockReading, WriteBlockState } from '../../../drivers/blocker/types.ts';
import { combineWriteBlock } from '../../../drivers/blocker/types.ts';
import { makeRecord } from '../evidence/fixture-record.ts';
import { fixtureText } from '../../drivers/smart/fixtures.ts';
import { emulatedBindings } from './emulated-bindings.ts';

const reading = (method: WriteBlockMethod, state: WriteBlockState): WriteBlockReading => ({ method, state, detail: `/dev/sdb: ${method} says ${state}`, at: '2025-01-01T00:00:00.000Z' });
const wb = (...readings: WriteBlockReading[]) => ({ readings, verdict: combineWriteBlock(readings) });

describe('recordWriteBlock', () => {
  it.each([
    ['kernel flag alone', [reading('kernel-ro', 'engaged')], 'software', true],
    ['a forensic bridge, kernel flag clear', [reading('kernel-ro', 'not-engaged'), reading('usb-bridge', 'engaged')], 'hardware', true],
    ['the port controller and the kernel flag', [reading('kernel-ro', 'engaged'), reading('port-controller', 'engaged')], 'hardware', true],
    ['kernel flag, bridge of unknown mode', [reading('kernel-ro', 'engaged'), reading('usb-bridge', 'unknown')], 'software', false],
    ['kernel flag, bridge switched to read-write', [reading('kernel-ro', 'engaged'), reading('usb-bridge', 'not-engaged')], 'software', true],
    ['nothing engaged', [reading('kernel-ro', 'not-engaged'), reading('usb-bridge', 'unknown')], 'none', false],
    ['no reading', [], 'unknown', false],
    ['kernel flag unreadable', [reading('kernel-ro', 'unknown')], 'unknown', false],
  ] as const)('%s -> %s', (_, readings, state, verified) => {
    const got = recordWriteBlock(wb(...readings));
    expect(got).toEqual({ state, verified, method: readings.length ? readings.map((r) => `${r.method}: ${r.detail}`).join('; ') : 'no write-block reading could be taken' });
  });
});

describe('factsToSourceInfo', () => {
  it('an HPA drive behind the kernel flag, with a failing SMART: every field, and a record that validates', async () => {
    const facts = await gatherDriveFacts('/dev/sdb', emulatedBindings({
      device: '/dev/sdb',
      drive: { transport: 'usb' },
      smart: { output: fixtureText('usbFailed') },
      ata: { realMaxSectors: 976773168, visibleSectors: 976771055 },
      blocker: { ro: true },
    }));
    const source = factsToSourceInfo(facts);
    expect(source).toEqual({
      path: '/dev/sdb',
      identity: {
        model: 'Hitachi HDS721050DLE630', serial: 'MSK423Y20S3HBC', firmware: 'MS1OA650', capacityBytes: 500107862016,
        logicalSectorSize: 512, physicalSectorSize: 4096, transport: expect.stringMatching(/via USB JMicron$/),
      },
      smart: expect.objectContaining({ healthPassed: false, pendingSectors: 8, verdict: 'failing', note: expect.stringMatching(/^FAILING: /) }),
      hpaDco: expect.objectContaining({ hpaPresent: true, visibleSectors: 976771055, nativeSectors: 976773168, imaged: 'visible' }),
      writeBlock: { state: 'software', method: 'kernel-ro: /dev/sdb: emulated sysfs sdb/ro = 1', verified: true },
    });
    const record = makeRecord({ fill: 'zeros', byteCount: 0, sectorCount: 0, ranges: [] }, { md5: 'd41d8cd98f00b204e9800998ecf8427e' }, { source });
    expect(validateRecord(JSON.parse(JSON.stringify(record))).source).toEqual(JSON.parse(JSON.stringify(source)));
  });

  it('a loop-like device: identity from the kernel only, SMART and HPA/DCO recorded as unavailable', async () => {
    const facts = await gatherDriveFacts('/dev/loop3', emulatedBindings({
      device: '/dev/loop3',
      drive: { transport: 'loop', size: 8 * 1024 * 1024 },
      smart: { state: 'unsupported' },
      ata: { realMaxSectors: 16384, answers: false },
      blocker: { ro: true },
    }));
    const source = factsToSourceInfo(facts);
    expect(source.identity).toEqual({ capacityBytes: 8 * 1024 * 1024, logicalSectorSize: 512, physicalSectorSize: 512, transport: 'loop' });
    expect(source.smart).toMatchObject({ verdict: 'unavailable', reasons: ['unsupported-device'] });
    expect(source.hpaDco).toEqual({ imaged: 'visible', note: expect.stringMatching(/^HPA\/DCO: unavailable \(\/dev\/loop3 did not answer ATA IDENTIFY/) });
  });
});
