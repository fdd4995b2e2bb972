// hdparm -N, set and restore outputs of real drives (test/fixtures/ata/README.md says whose).

import { describe, expect, it } from 'vitest';
import { explainFailure, parseDcoRestore, parseMaxSectors, parseSetMax } from '../../../drivers/ata/parse-hdparm.ts';
import { fixture, loopRecording, ran } from './helpers.ts';

describe('parseMaxSectors on real drives', () => {
  it('reads an HPA: WD5003AZEX shows 879095852 of 976773168 sectors', () => {
    const r = parseMaxSectors(ran(fixture('nikkel-wd5003azex-N-hpa.txt')), '/dev/sdl');
    expect(r).toEqual({ ok: true, value: { visible: 879095852, native: 976773168, accessibleMaxAddress: false } });
  });

  it('reads a drive without HPA, from a post whose code block lost hdparm’s leading space', () => {
    const r = parseMaxSectors(ran(fixture('jarvis-N-hpa-disabled.txt')), '/dev/sdc');
    expect(r).toEqual({ ok: true, value: { visible: 312581808, native: 312581808, accessibleMaxAddress: false } });
  });

  it('reads an ACCESSIBLE MAX ADDRESS drive and says so', () => {
    const r = parseMaxSectors(ran(fixture('circl-N-amax.txt')), '/dev/sdb');
    expect(r).toEqual({ ok: true, value: { visible: 3000000000, native: 3907029168, accessibleMaxAddress: true } });
  });

  it('rejects the 0/1 a USB bridge leaves after SG_IO errors, naming the cause', () => {
    const r = parseMaxSectors(ran(fixture('verbatim-usb-N-sgio.txt')), '/dev/sdf');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.note).toContain('0/1');
      expect(r.note).toContain('SG_IO: bad/missing sense data');
      expect(r.note).not.toContain('\n');
    }
  });

  it('rejects "HPA setting seems invalid" (visible above native)', () => {
    const r = parseMaxSectors(ran(' max sectors   = 976773168/976771055, HPA setting seems invalid\n'), '/dev/sdx');
    expect(r).toEqual({ ok: false, note: '/dev/sdx: inconsistent max sectors 976773168/976771055 (hdparm: HPA setting seems invalid)' });
  });

  it('says a loop device did not answer: hdparm 9.65 printed only its name and exited 0', () => {
    const { device, runs } = loopRecording();
    const r = parseMaxSectors(ran(runs['-N'].stdout, runs['-N']), device);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.note).toBe(`${device} did not answer ATA IDENTIFY (hdparm printed nothing for it): not an ATA drive, or a bridge that does not pass ATA commands`);
  });

  it('says a missing device does not exist', () => {
    const { runs } = loopRecording();
    const run = runs['missing -N'];
    expect(parseMaxSectors(ran(run.stdout, run), '/dev/imagebox-no-such-disk')).toEqual({ ok: false, note: '/dev/imagebox-no-such-disk does not exist' });
  });
});

describe('parseSetMax', () => {
  it('accepts the volatile unlock WD5003AZEX printed, with the max it re-read', () => {
    const r = parseSetMax(ran(fixture('nikkel-wd5003azex-N-unlock-volatile.txt')), '/dev/sdl');
    expect(r).toEqual({ accepted: true, after: { visible: 976773168, native: 976773168, accessibleMaxAddress: false } });
  });

  it('reads a permanent set the same way (the binding never sends one)', () => {
    const r = parseSetMax(ran(fixture('jarvis-N-set-permanent.txt')), '/dev/sdc');
    expect(r.after).toEqual({ visible: 310484656, native: 312581808, accessibleMaxAddress: false });
  });

  it('does not believe a loop device that "set" the max and exited 0 without re-reading it', () => {
    const { device, runs } = loopRecording();
    const run = runs['set-volatile'];
    expect(run.code).toBe(0);
    const r = parseSetMax(ran(run.stdout, run), device);
    expect(r.accepted).toBe(false);
    expect(r.note).toContain('did not answer ATA IDENTIFY');
  });

  it('reports the drive refusing a second SET MAX in words hdparm used', () => {
    const out = '\n/dev/sdz:\n setting max visible sectors to 976773168 (temporary)\n max sectors   = 976771055/976773168, HPA is enabled\n';
    const r = parseSetMax(ran(out, { stderr: ' SET_MAX_ADDRESS(_EXT) failed: Input/output error\n', code: 5 }), '/dev/sdz');
    expect(r).toEqual({
      accepted: false,
      note: '/dev/sdz rejected the command (SET_MAX_ADDRESS(_EXT) failed: Input/output error)',
      after: { visible: 976771055, native: 976773168, accessibleMaxAddress: false },
    });
  });
});

describe('parseDcoRestore and failures', () => {
  it('accepts the restore WD5003AZEX printed', () => {
    expect(parseDcoRestore(ran(fixture('nikkel-wd5003azex-dco-restore.txt')), '/dev/sdl')).toEqual({ accepted: true });
  });

  it('reports a loop device refusing the ioctl (exit 22)', () => {
    const { device, runs } = loopRecording();
    const run = runs['--dco-restore'];
    const r = parseDcoRestore(ran(run.stdout, run), device);
    expect(r).toEqual({
      accepted: false,
      note: `${device} does not take ATA commands (HDIO_DRIVE_CMD(dco_restore) failed: Invalid argument): not an ATA drive, or a bridge without ATA passthrough`,
    });
  });

  it('explains permission denied, and SG_IO alone, in one line each', () => {
    const { device, runs } = loopRecording();
    const denied = runs['-N as user nobody'];
    expect(explainFailure(ran(denied.stdout, denied), device)).toBe(`permission denied on ${device} (hdparm needs root)`);
    expect(explainFailure(ran('\n/dev/sdb:\nSG_IO: bad/missing sense data, sb[]:  70 00 05 00\n'), '/dev/sdb')).toBe(
      '/dev/sdb or its USB bridge did not pass the ATA command through (SG_IO: bad/missing sense data)',
    );
    expect(explainFailure(ran('\n/dev/sdb:\n', { stderr: ' HDIO_DRIVE_CMD(dco_identify) failed: Input/output error\n', code: 5 }), '/dev/sdb')).toBe(
      '/dev/sdb rejected the command (HDIO_DRIVE_CMD(dco_identify) failed: Input/output error)',
    );
  });
});
