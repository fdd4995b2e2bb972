// The full HPA unlock and DCO restore flows on emulated drives that keep a real drive's rules.

import { describe, expect, it } from 'vitest';
import { DcoRestoreDesk } from '../../../drivers/ata/dco-restore.ts';
import { emulatedAtaBinding, EmulatedAtaDrive } from '../../../drivers/ata/emulated.ts';
import type { EmulatedAtaDriveSpec } from '../../../drivers/ata/emulated.ts';
import { detectHiddenAreas } from '../../../drivers/ata/hidden-areas.ts';
import { describeHpaUnlock, unlockHpaVolatile } from '../../../drivers/ata/hpa-unlock.ts';
import { auditCapture } from './helpers.ts';

const DEV = '/dev/sdz';
const idle = { started: false, jobId: 'job-1' };

function setup(spec: Partial<EmulatedAtaDriveSpec> = {}) {
  const drive = new EmulatedAtaDrive({ serial: 'WD-WCC7K4NLX884', realMaxSectors: 976773168, visibleSectors: 976771055, ...spec });
  const binding = emulatedAtaBinding({ [DEV]: drive });
  const audit = auditCapture();
  const sets = () => binding.commands.filter((c) => c.startsWith('--yes-i-know-what-i-am-doing'));
  return { drive, binding, audit, sets, opts: { job: idle, audit: audit.log } };
}

const confirmed = (visibleSectors = 976771055, nativeSectors = 976773168) => ({ device: DEV, visibleSectors, nativeSectors, operator: 'alice' });

describe('volatile HPA unlock', () => {
  it('unlocks with the operator’s confirmation, checks it took, and audits before and after', async () => {
    const { drive, binding, audit, opts } = setup();
    const r = await unlockHpaVolatile(binding, DEV, confirmed(), opts);
    expect(r).toMatchObject({ ok: true, before: { visible: 976771055, native: 976773168 }, after: { visible: 976773168, native: 976773168 } });
    expect(drive.visibleSectors).toBe(976773168);
    expect(binding.commands).toEqual([`-N ${DEV}`, `--yes-i-know-what-i-am-doing -N 976773168 ${DEV}`, `-N ${DEV}`]);
    const lines = audit.lines();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ act: 'hpa-unlock-volatile', drive: DEV, job: 'job-1', operator: 'alice', sectors: 976773168, before: { visible: 976771055 } });
    expect(lines[1]).toMatchObject({ before: { visible: 976771055 }, after: { visible: 976773168, native: 976773168 }, msg: `HPA unlocked (volatile) on ${DEV}` });
  });

  it('is volatile: the HPA is back after a power cycle, and can be unlocked again', async () => {
    const { drive, binding, opts } = setup();
    expect((await unlockHpaVolatile(binding, DEV, confirmed(), opts)).ok).toBe(true);
    drive.powerCycle();
    expect(await detectHiddenAreas(binding, DEV)).toMatchObject({ hpa: { enabled: true, hiddenSectors: 2113 } });
    expect((await unlockHpaVolatile(binding, DEV, confirmed(), opts)).ok).toBe(true);
  });

  it('refuses without a confirmation, and sends nothing', async () => {
    const { binding, audit, sets, opts } = setup();
    const r = await unlockHpaVolatile(binding, DEV, undefined, opts);
    expect(r).toEqual({ ok: false, outcome: 'refused', note: `HPA unlock of ${DEV} needs the operator's confirmation of this drive and its sector counts` });
    expect(binding.commands).toEqual([]);
    expect(sets()).toEqual([]);
    expect(audit.lines()).toMatchObject([{ refused: true, act: 'hpa-unlock-volatile' }]);
  });

  it('refuses a confirmation for another drive or for numbers the drive no longer shows', async () => {
    const { binding, sets, opts } = setup();
    expect(await unlockHpaVolatile(binding, DEV, { ...confirmed(), device: '/dev/sdy' }, opts)).toMatchObject({ ok: false, outcome: 'refused' });
    const stale = await unlockHpaVolatile(binding, DEV, confirmed(976000000), opts);
    expect(stale).toEqual({
      ok: false,
      outcome: 'refused',
      note: `${DEV} now shows 976771055/976773168 sectors, not the 976000000/976773168 the operator confirmed: confirm again`,
    });
    expect(sets()).toEqual([]);
  });

  it('refuses on a job that has started, with a clear message, logged', async () => {
    const { binding, audit, opts } = setup();
    const r = await unlockHpaVolatile(binding, DEV, confirmed(), { ...opts, job: { started: true, jobId: 'job-9' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.note).toBe('HPA unlock refused: job job-9 has started reading this drive; changing its size under a running acquisition would make the image inconsistent (do it before the job starts)');
    expect(binding.commands).toEqual([]);
    expect(audit.lines()).toMatchObject([{ refused: true, job: 'job-9', reason: r.ok ? '' : r.note }]);
  });

  it('fails, logged, when SET MAX was already used this power cycle (the drive aborts a second one)', async () => {
    const { drive, binding, audit, opts } = setup();
    // Another tool (or the BIOS) already set the max in this power cycle.
    await binding.setMaxVolatile(DEV, 976771055);
    const r = await unlockHpaVolatile(binding, DEV, confirmed(), opts);
    expect(r).toEqual({
      ok: false,
      outcome: 'failed',
      note: `the drive refused the unlock: ${DEV} rejected the command (SET_MAX_ADDRESS(_EXT) failed: Input/output error)`,
    });
    expect(drive.visibleSectors).toBe(976771055);
    expect(audit.lines().at(-1)).toMatchObject({ failed: true, after: { visible: 976771055 } });
    drive.powerCycle();
    expect((await unlockHpaVolatile(binding, DEV, confirmed(), opts)).ok).toBe(true);
  });

  it('refuses an ACCESSIBLE MAX ADDRESS drive, whose every set would be permanent', async () => {
    const { drive, binding, sets, opts } = setup({ accessibleMaxAddress: true });
    const r = await unlockHpaVolatile(binding, DEV, confirmed(), opts);
    expect(r).toMatchObject({ ok: false, outcome: 'refused' });
    if (!r.ok) expect(r.note).toContain('every set is permanent');
    expect(sets()).toEqual([]);
    // What the refusal prevents: on such a drive a "temporary" set survives the power cycle.
    await binding.setMaxVolatile(DEV, 976773168);
    drive.powerCycle();
    expect(drive.visibleSectors).toBe(976773168);
  });

  it('refuses when there is no HPA, and words the confirmation from a reading', async () => {
    const { binding, opts } = setup({ visibleSectors: undefined });
    expect(await unlockHpaVolatile(binding, DEV, confirmed(976773168), opts)).toMatchObject({ ok: false, note: `${DEV} has no HPA (max sectors 976773168/976773168)` });
    expect(describeHpaUnlock(DEV, { visible: 976771055, native: 976773168, accessibleMaxAddress: false })).toContain('2113 hidden sectors');
  });
});

describe('DCO restore', () => {
  const dcoDrive = { realMaxSectors: 976773168, dcoMaxSectors: 926773168, visibleSectors: undefined, dcoDisabled: ['security'] };

  it('needs a request and then the serial typed back; restores and checks the factory max', async () => {
    const { drive, binding, audit, opts } = setup(dcoDrive);
    const desk = new DcoRestoreDesk();
    const asked = await desk.request(binding, DEV, 'alice', opts);
    expect(asked.ok).toBe(true);
    if (!asked.ok) return;
    expect(asked.challenge).toMatchObject({ device: DEV, serial: 'WD-WCC7K4NLX884', nativeSectors: 926773168, realMaxSectors: 976773168, disabledFeatures: ['Security Mode feature set'] });
    expect(asked.challenge.warning).toMatch(/^PERMANENT: reset \/dev\/sdz .*926773168 -> 976773168 sectors, re-enabling Security Mode feature set/);
    expect(binding.commands.some((c) => c.includes('--dco-restore'))).toBe(false);

    const done = await desk.confirm(binding, asked.challenge.id, ' WD-WCC7K4NLX884 ', 'alice', opts);
    expect(done).toMatchObject({ ok: true, before: { native: 926773168 }, after: { visible: 976773168, native: 976773168 }, realMaxSectors: 976773168 });
    expect(drive.dcoDisabled).toEqual([]);
    expect(audit.lines().map((l) => l.msg)).toEqual([
      `DCO restore requested on ${DEV}, awaiting the serial number`,
      `issuing DEVICE CONFIGURATION RESTORE on ${DEV}`,
      `DCO restored on ${DEV}`,
    ]);
    // Single use: the same challenge does not work twice.
    expect(await desk.confirm(binding, asked.challenge.id, 'WD-WCC7K4NLX884', 'alice', opts)).toMatchObject({ ok: false, outcome: 'refused' });
  });

  it('refuses a wrong serial, an expired request and a started job, sending no restore', async () => {
    let now = 1_000;
    const { binding, audit, opts } = setup(dcoDrive);
    const desk = new DcoRestoreDesk({ ttlMs: 60_000, now: () => now });
    const ask = async () => {
      const r = await desk.request(binding, DEV, 'alice', opts);
      if (!r.ok) throw new Error(r.note);
      return r.challenge.id;
    };
    expect(await desk.confirm(binding, await ask(), 'WD-WRONG', 'alice', opts)).toMatchObject({ ok: false, outcome: 'refused' });
    const late = await ask();
    now += 60_001;
    expect(await desk.confirm(binding, late, 'WD-WCC7K4NLX884', 'alice', opts)).toMatchObject({ ok: false, note: 'DCO restore refused: the request expired: request again' });
    const busy = await ask();
    const started = await desk.confirm(binding, busy, 'WD-WCC7K4NLX884', 'alice', { ...opts, job: { started: true, jobId: 'job-2' } });
    expect(started).toMatchObject({ ok: false, outcome: 'refused' });
    expect(await desk.request(binding, DEV, 'alice', { ...opts, job: { started: true } })).toMatchObject({ ok: false, outcome: 'refused' });
    expect(binding.commands.some((c) => c.includes('--dco-restore'))).toBe(false);
    expect(audit.lines().filter((l) => l.refused)).toHaveLength(4);
  });

  it('refuses while an HPA is set, because the drive aborts DEVICE CONFIGURATION RESTORE then', async () => {
    const { drive, binding, opts } = setup({ ...dcoDrive, visibleSectors: 926000000 });
    const asked = await new DcoRestoreDesk().request(binding, DEV, 'alice', opts);
    expect(asked).toMatchObject({ ok: false, outcome: 'refused' });
    if (!asked.ok) expect(asked.note).toContain('the drive aborts a DCO restore while an HPA is set');
    // The drive's own rule, as hdparm reports it.
    expect(await binding.dcoRestore(DEV)).toMatchObject({ code: 5, stdout: `\n${DEV}:\n issuing DCO restore command\n`, stderr: ' HDIO_DRIVE_CMD(dco_restore) failed: Input/output error\n' });
    expect(drive.nativeSectors).toBe(926773168);
  });

  it('works after a volatile HPA unlock, the order a lab would use', async () => {
    const { binding, opts } = setup({ ...dcoDrive, visibleSectors: 926000000 });
    expect((await unlockHpaVolatile(binding, DEV, confirmed(926000000, 926773168), opts)).ok).toBe(true);
    const desk = new DcoRestoreDesk();
    const asked = await desk.request(binding, DEV, 'alice', opts);
    if (!asked.ok) throw new Error(asked.note);
    expect(await desk.confirm(binding, asked.challenge.id, 'WD-WCC7K4NLX884', 'alice', opts)).toMatchObject({ ok: true, after: { native: 976773168 } });
  });

  it('fails, logged, when the drive aborts the restore (a frozen DCO)', async () => {
    const { binding, audit, opts } = setup({ ...dcoDrive, dcoFrozen: true });
    const desk = new DcoRestoreDesk();
    const asked = await desk.request(binding, DEV, 'alice', opts);
    if (!asked.ok) throw new Error(asked.note);
    const r = await desk.confirm(binding, asked.challenge.id, 'WD-WCC7K4NLX884', 'alice', opts);
    expect(r).toEqual({ ok: false, outcome: 'failed', note: `the drive refused the DCO restore: ${DEV} rejected the command (HDIO_DRIVE_CMD(dco_restore) failed: Input/output error)` });
    expect(audit.lines().at(-1)).toMatchObject({ failed: true, act: 'dco-restore', after: { native: 926773168 } });
  });

  it('refuses when the DCO hides nothing', async () => {
    const { binding, opts } = setup({ visibleSectors: undefined });
    const r = await new DcoRestoreDesk().request(binding, DEV, 'alice', opts);
    expect(r).toMatchObject({ ok: false, note: `${DEV}: the DCO hides nothing (real max 976773168 = native max), nothing to restore` });
  });
});
