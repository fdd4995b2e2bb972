// `imagebox inspect` for people, on facts gathered from emulated drives.

import { describe, expect, it } from 'vitest';
import { formatInspect } from '../../../controller/commands/inspect-text.ts';
import { gatherDriveFacts } from '../../../controller/preflight/drive-facts.ts';
import { fixtureText } from '../../drivers/smart/fixtures.ts';
import { emulatedBindings, type EmulatedSetup } from '../preflight/emulated-bindings.ts';

async function text(setup: EmulatedSetup): Promise<string[]> {
  return formatInspect(await gatherDriveFacts(setup.device, emulatedBindings(setup))).split('\n');
}

const T8_R2 = { usb: { vendorId: 0x13d7, productId: 0x000c, sysPath: '/sys/devices/usb2/2-1', port: '2-1' } };

describe('formatInspect', () => {
  it('a failing drive: verdict, every reason, advice, key figures, thresholds and the error log', async () => {
    const lines = await text({ device: '/dev/sdc', drive: { transport: 'usb', readOnly: true }, smart: { output: fixtureText('usbFailed') }, ata: { realMaxSectors: 976773168 }, blocker: { ro: true } });
    expect(lines.slice(0, 9)).toEqual([
      'device         /dev/sdc',
      'model          Hitachi HDS721050DLE630  (smartctl)',
      'serial         MSK423Y20S3HBC  (smartctl)',
      'firmware       MS1OA650  (smartctl)',
      'capacity       500 GB (500,107,862,016 bytes)  (smartctl)',
      'sectors        512 logical, 4096 physical  (smartctl)',
      'rotation       7200 rpm',
      expect.stringMatching(/^transport      .* via USB JMicron {2}\(smartctl\)$/),
      '',
    ]);
    expect(lines).toContain('write-block    ENGAGED by the kernel read-only flag only (software: it does not stop SG_IO pass-through)');
    expect(lines).toContain('  kernel-ro    engaged: /dev/sdc: emulated sysfs sdc/ro = 1');
    expect(lines.find((l) => l.startsWith('SMART '))).toMatch(/^SMART {10}FAILING: overall SMART FAILED, /);
    expect(lines).toContain('  why          failing: 8 sectors cannot be read now; expect read errors there.');
    expect(lines.filter((l) => l.startsWith('  advice '))[0]).toMatch(/Image in recovery mode first/);
    expect(lines.find((l) => l.startsWith('  figures '))).toMatch(/reallocated 1,975, pending 8, .*power-on [\d,]+ h/);
    expect(lines).toContain('  threshold    5 Reallocated_Sector_Ct at or below threshold now');
    expect(lines).toContain('  error log    56 logged');
    expect(lines).toContain('HPA/DCO        HPA: none; DCO: none');
    expect(lines).toContain('destination    no: read-only');
    expect(lines).not.toContain('notes');
  });

  it('a forensic bridge, an HPA, and the notes', async () => {
    const lines = await text({
      device: '/dev/sdd', drive: { transport: 'usb' }, smart: { state: 'unsupported' },
      ata: { realMaxSectors: 976773168, visibleSectors: 976771055, model: 'WDC WD5003AZEX-00MK2A0' }, blocker: { ro: false, bridge: T8_R2 },
    });
    expect(lines).toContain('write-block    ENGAGED by a hardware write-blocker');
    expect(lines).toContain('  kernel-ro    not-engaged: /dev/sdd: emulated sysfs sdd/ro = 0');
    expect(lines.find((l) => l.startsWith('  usb-bridge '))).toMatch(/^ {2}usb-bridge {3}engaged: \/dev\/sdd: Tableau T8-R2 .*write-blocking by design/);
    expect(lines).toContain('model          WDC WD5003AZEX-00MK2A0  (hdparm -I)');
    expect(lines).toContain('HPA/DCO        HPA: 2,113 sectors (1.0 MiB) hidden; DCO: none');
    expect(lines).toContain('  max sectors  976,771,055 visible, 976,773,168 native');
    expect(lines).toContain('destination    may receive an image');
    expect(lines.slice(lines.indexOf('notes'))).toEqual(['notes', expect.stringMatching(/^ {2}- SMART unavailable \(unsupported-device\): \/dev\/sdd/), '']);
  });

  it('nothing known: unknown write-block, unavailable SMART and HPA/DCO, dashes for identity', async () => {
    const lines = await text({ device: '/dev/sdx', smartctlInstalled: false });
    expect(lines).toContain('model          -');
    expect(lines).toContain('write-block    UNKNOWN: treat it as not write-blocked');
    expect(lines).toContain('SMART          unavailable (smartctl-missing): smartctl is not installed (spawn smartctl ENOENT): install smartmontools 7 or later');
    expect(lines.find((l) => l.startsWith('HPA/DCO '))).toMatch(/^HPA\/DCO {8}unavailable \(/);
    expect(lines).toContain('destination    no: not in the drive listing, so its mounts and system role are unknown');
  });

  it('NVMe: HPA/DCO not applicable, and the health log figures', async () => {
    const lines = await text({ device: '/dev/nvme0n1', drive: { transport: 'nvme' }, smart: { output: fixtureText('nvmeMediaErrors') }, blocker: { ro: true } });
    expect(lines).toContain('HPA/DCO        not applicable (NVMe)');
    expect(lines.find((l) => l.startsWith('  figures '))).toMatch(/media errors 7, critical warning 0x00, spare 99% \(threshold 10%\), life used \d+%/);
  });
});
