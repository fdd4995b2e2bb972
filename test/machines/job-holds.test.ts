// Holds: a job resumes only when every reason it was paused for is gone, and shows the most urgent.
import { describe, expect, it } from 'vitest';
import { addHold, clearHold, holdsForDrive, isHeld, pauseOf } from '../../machines/job-holds.ts';

const base = { port: '3', source: { serial: 'WD-9', path: '/dev/sdc' }, holds: {} };

describe('job holds', () => {
  it('shows the most urgent hold and falls back to the next as each clears', () => {
    let c = { ...base, ...addHold(base, 'operator', true) };
    c = { ...c, ...addHold(c, 'destination-full', { bytesNeeded: 2e9, freeBytes: 5e8 }) };
    c = { ...c, ...addHold(c, 'drive-removed', { serial: 'WD-9' }) };
    expect(c.pause).toEqual({ reason: 'drive-removed', message: expect.stringMatching(/\(WD-9\) was removed from port 3/) });
    c = { ...c, ...clearHold(c, 'drive-removed') };
    expect(c.pause?.message).toBe('Destination is full: needs 2000 MB free (now 500 MB); resumes when there is room.');
    c = { ...c, ...clearHold(c, 'destination-full') };
    expect(c.pause?.reason).toBe('operator');
    c = { ...c, ...clearHold(c, 'operator') };
    expect(isHeld(c)).toBe(false);
    expect(c.pause).toBeUndefined();
  });

  it('a missing drive in a forensic job also holds for the write block; a recovery job only for the drive', () => {
    const gone = { ...base, drivePresent: false, writeBlock: 'unknown' as const };
    expect(Object.keys(holdsForDrive({ ...gone, mode: 'forensic' }).holds).sort()).toEqual(['drive-removed', 'write-block-lost']);
    expect(Object.keys(holdsForDrive({ ...gone, mode: 'recovery' }).holds)).toEqual(['drive-removed']);
    const present = { ...base, drivePresent: true, writeBlock: 'engaged' as const, mode: 'forensic' as const };
    expect(holdsForDrive(present)).toEqual({ holds: {}, pause: undefined });
  });

  it('names the write-block state that halted a forensic job', () => {
    expect(pauseOf({ ...base, holds: { 'write-block-lost': { state: 'not-engaged' } } })?.message).toMatch(
      /^Write block on port 3 is not-engaged during a forensic acquisition: reading stopped/,
    );
  });
});
