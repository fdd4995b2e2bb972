import { describe, expect, it } from 'vitest';
import { decodeExitStatus } from '../../../drivers/smart/exit-status.ts';
import { fixtureExit } from './fixtures.ts';

describe('smartctl exit status bits', () => {
  it('0 is all clear', () => {
    const s = decodeExitStatus(0);
    expect(s.meanings).toEqual([]);
    expect(Object.entries(s).filter(([, v]) => v === true)).toEqual([]);
  });

  it('each bit maps to its own flag, in man smartctl order', () => {
    const flags = [
      'commandLine',
      'deviceOpenFailed',
      'commandFailed',
      'diskFailing',
      'prefailBelowThreshold',
      'pastBelowThreshold',
      'errorLogHasErrors',
      'selfTestLogHasErrors',
    ] as const;
    flags.forEach((flag, bit) => {
      const s = decodeExitStatus(1 << bit);
      expect(flags.filter((f) => s[f])).toEqual([flag]);
      expect(s.meanings).toHaveLength(1);
    });
  });

  it('the failing USB drive exited 216: disk failing, prefail below threshold, error log and self-test log errors', () => {
    const s = decodeExitStatus(fixtureExit('usbFailed'));
    expect(s.raw).toBe(216);
    expect([s.diskFailing, s.prefailBelowThreshold, s.errorLogHasErrors, s.selfTestLogHasErrors]).toEqual([true, true, true, true]);
    expect([s.commandLine, s.deviceOpenFailed, s.commandFailed, s.pastBelowThreshold]).toEqual([false, false, false, false]);
    expect(s.meanings).toEqual([
      'SMART status check returned DISK FAILING',
      'prefail attributes at or below threshold',
      'device error log has errors',
      'self-test log has errors',
    ]);
  });

  it('a device smartctl cannot open exited 2 (bit 1); one it cannot type exited 1 (bit 0)', () => {
    expect(decodeExitStatus(fixtureExit('sdzGone')).deviceOpenFailed).toBe(true);
    expect(decodeExitStatus(fixtureExit('loopAuto')).commandLine).toBe(true);
  });
});
