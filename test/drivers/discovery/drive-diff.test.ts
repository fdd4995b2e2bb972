import { describe, expect, it } from 'vitest';
import { diffDrives } from '../../../drivers/discovery/drive-diff.ts';
import { emulatedDrive } from '../../../drivers/discovery/emulated.ts';

const MiB = 1024 * 1024;
const summary = (events: ReturnType<typeof diffDrives>) => events.map((e) => `${e.type} ${e.drive.name}${e.type === 'change' ? ` ${e.changed.join(',')}` : ''}`);

describe('diffDrives', () => {
  const sda = emulatedDrive({ name: 'sda', dev: '8:0', serial: 'A1' });
  const sdb = emulatedDrive({ name: 'sdb', dev: '8:16', serial: 'B1' });

  it('reports nothing for the same listing', () => {
    expect(diffDrives([sda, sdb], [{ ...sda }, { ...sdb, partitions: [...sdb.partitions] }])).toEqual([]);
  });

  it('reports detaches, then attaches, then changes with the fields that changed', () => {
    const sdc = emulatedDrive({ name: 'sdc' });
    const events = diffDrives([sda, sdb], [{ ...sda, size: 128 * MiB, readOnly: true, mountPoints: ['/mnt'] }, sdc]);
    expect(summary(events)).toEqual(['detach sdb', 'attach sdc', 'change sda size,readOnly,mountPoints']);
    expect(events[2]).toMatchObject({ previous: { size: 64 * MiB }, drive: { size: 128 * MiB } });
  });

  it('reports another drive under the same name as a detach and an attach', () => {
    expect(summary(diffDrives([sda], [{ ...sda, serial: 'A2' }]))).toEqual(['detach sda', 'attach sda']);
    const loop = emulatedDrive({ name: 'loop2', backingFile: '/srv/a.img' });
    expect(summary(diffDrives([loop], [{ ...loop, backingFile: '/srv/b.img' }]))).toEqual(['detach loop2', 'attach loop2']);
  });

  it('reports a serial read for the first time as a change, not a new drive', () => {
    expect(summary(diffDrives([{ ...sda, serial: null }], [sda]))).toEqual(['change sda serial']);
  });
});
