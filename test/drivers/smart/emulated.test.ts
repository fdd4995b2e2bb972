// The emulated smartctl fails the way the real one does: for each case recorded from smartctl 7.3
// on this machine, the same command line gives the same JSON (the clock and build aside).

import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../controller/logger.ts';
import { createEmulatedSmart, createEmulatedSmartctl, type EmulatedSmartDevice } from '../../../drivers/smart/emulated.ts';
import { fixtureText, type FixtureName } from './fixtures.ts';

/** smartctl's output without what differs from run to run and host to host. */
function comparable(stdout: string): unknown {
  const j = JSON.parse(stdout) as { smartctl: Record<string, unknown>; local_time?: unknown };
  delete j.local_time;
  delete j.smartctl.platform_info;
  delete j.smartctl.build_info;
  return j;
}

const never = new AbortController().signal;

const cases: readonly [string, FixtureName, Record<string, EmulatedSmartDevice>][] = [
  ['/dev/loop0', 'loopAuto', { '/dev/loop0': { state: 'unsupported' } }],
  ['-d sat /dev/loop0', 'loopSat', { '/dev/loop0': { state: 'unsupported' } }],
  ['-d sat /dev/loop0, as a user who may not open it', 'loopSatDenied', { '/dev/loop0': { state: 'denied' } }],
  ['/dev/sdz, not there', 'sdzGone', {}],
  ['-d sat /dev/sdz, not there', 'sdzSatGone', {}],
  ['/dev/imagebox-no-such-path', 'noSuchPath', {}],
];

describe('emulated smartctl against smartctl 7.3 recordings', () => {
  for (const [what, name, devices] of cases) {
    it(`${what}: same messages, same exit code`, async () => {
      const recorded = JSON.parse(fixtureText(name)) as { smartctl: { argv: string[]; exit_status: number } };
      const smartctl = createEmulatedSmartctl({ devices });
      const run = await smartctl.run(recorded.smartctl.argv.slice(1), never);
      expect(run.exitCode).toBe(recorded.smartctl.exit_status);
      expect(comparable(run.stdout)).toEqual(comparable(fixtureText(name)));
    });
  }

  it('a recorded drive is served as recorded, exiting with its recorded status', async () => {
    const smartctl = createEmulatedSmartctl({ devices: { '/dev/sdb': { output: fixtureText('usbFailed') } } });
    const run = await smartctl.run(['--json=c', '-x', '/dev/sdb'], never);
    expect(run).toEqual({ stdout: fixtureText('usbFailed'), stderr: '', exitCode: 216 });
  });
});

describe('emulated binding: drives come and go', () => {
  it('a drive unplugged between reads is device-gone; plugged back, it answers again', async () => {
    const smart = createEmulatedSmart({ log: silentLogger(), devices: { '/dev/sdb': { output: fixtureText('usbFailed') } } });
    expect((await smart.read('/dev/sdb')).available).toBe(true);
    smart.unplug('/dev/sdb');
    expect(await smart.read('/dev/sdb')).toMatchObject({ available: false, reason: 'device-gone' });
    smart.plug('/dev/sdb', { output: fixtureText('ataHealthy') });
    const back = await smart.read('/dev/sdb');
    expect(back.available && back.identity.serial).toBe('9RK1XXXX');
  });

  it('a recording that is not JSON is a failed read, not a throw', async () => {
    const smart = createEmulatedSmart({ devices: { '/dev/sdq': { output: 'Segmentation fault' } } });
    expect(await smart.read('/dev/sdq')).toMatchObject({ available: false, reason: 'failed', note: 'smartctl printed no JSON (exit 0): Segmentation fault' });
  });
});

describe('emulated binding: logs', () => {
  it('one structured line per read: the verdict when it answered, the reason when it did not', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
    const smart = createEmulatedSmart({ log, devices: { '/dev/sdb': { output: fixtureText('usbFailed') } } });
    await smart.read('/dev/sdb');
    await smart.read('/dev/sdz');
    expect(lines.map((l) => [l.component, l.drive, l.msg, l.verdict ?? l.reason])).toEqual([
      ['smart', '/dev/sdb', 'smart read', 'failing'],
      ['smart', '/dev/sdz', 'smart unavailable', 'device-gone'],
    ]);
    expect(lines[0]).toMatchObject({ exit: 216, kind: 'sat', args: ['--json=c', '-x', '/dev/sdb'] });
  });
});
