import { describe, expect, it } from 'vitest';
import { canBeDestination } from '../../../drivers/discovery/destination.ts';
import { emulatedDrive } from '../../../drivers/discovery/emulated.ts';

describe('canBeDestination', () => {
  it('accepts an idle, writable, unmounted disk with a medium', () => {
    expect(canBeDestination(emulatedDrive({ name: 'sdc' }))).toEqual({ ok: true });
  });

  it('refuses the system disk, naming what it holds, and its other mounts apart', () => {
    const vda = emulatedDrive({ name: 'vda', systemDisk: true, mountPoints: ['/', '[swap]', '/home'] });
    expect(canBeDestination(vda)).toEqual({ ok: false, reason: 'system disk (holds /, [swap]); mounted at /home' });
  });

  it('refuses a mounted, read-only, empty or not fully known drive, with every reason', () => {
    expect(canBeDestination(emulatedDrive({ name: 'sdd', mountPoints: ['/media/usb'] }))).toEqual({ ok: false, reason: 'mounted at /media/usb' });
    expect(canBeDestination(emulatedDrive({ name: 'sde', readOnly: true, size: 0 }))).toEqual({ ok: false, reason: 'read-only; no medium' });
    expect(canBeDestination(emulatedDrive({ name: 'sdf', problem: 'no /dev/sdf node' }))).toEqual({ ok: false, reason: 'not fully known (no /dev/sdf node)' });
  });

  it('treats "/" as the system disk\'s only when the disk is marked system', () => {
    // A disk holding "/" of another root (a chroot's, mounted from elsewhere) is still mounted.
    expect(canBeDestination(emulatedDrive({ name: 'sdg', mountPoints: ['/'] }))).toEqual({ ok: false, reason: 'mounted at /' });
  });
});
