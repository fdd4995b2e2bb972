import { describe, expect, it } from 'vitest';
import { formatDrivesTable } from '../../../controller/commands/drives-table.ts';
import { emulatedDrive } from '../../../drivers/discovery/emulated.ts';

describe('formatDrivesTable', () => {
  it('aligns one row a drive, marks the system disk, and says why a drive is not a destination', () => {
    const table = formatDrivesTable([
      emulatedDrive({ name: 'sda', size: 1_000_204_886_016, model: 'WDC WD10EZEX-08W', serial: 'WD-WCC6Y0000001', transport: 'ata', physicalSectorSize: 4096, systemDisk: true, mountPoints: ['/', '/home'] }),
      emulatedDrive({ name: 'sdb', size: 500_107_862_016, model: 'Samsung SSD 860', serial: 'S3Z9NB0K000001', logicalSectorSize: 4096, physicalSectorSize: 4096 }),
      emulatedDrive({ name: 'loop2', size: 8_388_608, transport: 'loop', readOnly: true, backingFile: '/srv/hil/dead-head.img' }),
    ]);
    expect(table).toBe([
      'DEVICE      SIZE     MODEL             SERIAL           BUS   SECTORS    RO  MOUNTED',
      '/dev/sda    1000 GB  WDC WD10EZEX-08W  WD-WCC6Y0000001  ata   512/4096   rw  /,/home  SYSTEM',
      '  not a destination: system disk (holds /); mounted at /home',
      '/dev/sdb    500 GB   Samsung SSD 860   S3Z9NB0K000001   usb   4096/4096  rw  -',
      '/dev/loop2  8389 kB  -                 -                loop  512/512    ro  -',
      '  backing file: /srv/hil/dead-head.img',
      '  not a destination: read-only',
      '',
    ].join('\n'));
  });

  it('says so when there is nothing to list', () => {
    expect(formatDrivesTable([])).toBe('no drives found\n');
  });
});
