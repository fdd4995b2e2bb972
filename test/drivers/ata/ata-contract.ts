// The AtaBinding contract, run by contract.test.ts against the real hdparm binding (on a loop
// device, which takes no ATA commands) and the emulated one (a drive that does not answer).
// Both must print what hdparm 9.65 prints there, and every act on top must end in a typed
// 'unavailable' or a logged refusal, never a throw and never a command that changes the drive.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DcoRestoreDesk } from '../../../drivers/ata/dco-restore.ts';
import { detectHiddenAreas } from '../../../drivers/ata/hidden-areas.ts';
import { unlockHpaVolatile } from '../../../drivers/ata/hpa-unlock.ts';
import type { AtaBinding } from '../../../drivers/ata/types.ts';
import { auditCapture, loopRecording } from './helpers.ts';

export interface AtaContractFixture {
  readonly binding: AtaBinding;
  /** A device that takes no ATA commands (a loop device, or an emulated one that does not answer). */
  readonly silentDevice: string;
  /** A path with nothing behind it. */
  readonly missingDevice: string;
  /** Checks the silent device was left as it was, then removes what the fixture made. */
  teardown(): Promise<void>;
}

const idle = { started: false, jobId: 'job-contract' };

export function ataBindingContract(name: string, factory: () => Promise<AtaContractFixture>): void {
  describe(`AtaBinding contract: ${name}`, () => {
    let f: AtaContractFixture;
    beforeAll(async () => {
      f = await factory();
    });
    afterAll(async () => {
      await f?.teardown();
    });

    it('prints for a silent device exactly what hdparm 9.65 printed for a loop device', async () => {
      const { device, runs } = loopRecording();
      const same = (text: string): string => text.replaceAll(device, f.silentDevice);
      for (const [key, result] of [
        ['-N', await f.binding.readMax(f.silentDevice)],
        ['-I', await f.binding.identify(f.silentDevice)],
        ['--dco-identify', await f.binding.dcoIdentify(f.silentDevice)],
      ] as const) {
        expect(result, key).toMatchObject({ kind: 'ran', code: runs[key].code, stdout: same(runs[key].stdout), stderr: same(runs[key].stderr) });
      }
    });

    it('reports a silent device as unavailable, in one line naming it', async () => {
      const h = await detectHiddenAreas(f.binding, f.silentDevice);
      expect(h.kind).toBe('unavailable');
      if (h.kind === 'unavailable') {
        expect(h.note).toContain(f.silentDevice);
        expect(h.note).toContain('did not answer ATA IDENTIFY');
        expect(h.note).not.toContain('\n');
      }
    });

    it('reports a missing device as unavailable: it does not exist', async () => {
      expect(await detectHiddenAreas(f.binding, f.missingDevice)).toEqual({
        kind: 'unavailable',
        device: f.missingDevice,
        note: `${f.missingDevice} does not exist`,
      });
    });

    it('refuses a confirmed HPA unlock on a silent device, and logs the refusal', async () => {
      const audit = auditCapture();
      const confirmation = { device: f.silentDevice, visibleSectors: 8000, nativeSectors: 8192, operator: 'contract' };
      const r = await unlockHpaVolatile(f.binding, f.silentDevice, confirmation, { job: idle, audit: audit.log });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.outcome).toBe('refused');
        expect(r.note).toMatch(/^HPA unlock unavailable: .*did not answer ATA IDENTIFY/);
      }
      expect(audit.lines()).toMatchObject([{ act: 'hpa-unlock-volatile', drive: f.silentDevice, refused: true, operator: 'contract', job: 'job-contract' }]);
    });

    it('refuses an HPA unlock on a started job before asking the drive anything', async () => {
      const audit = auditCapture();
      const confirmation = { device: f.missingDevice, visibleSectors: 1, nativeSectors: 2, operator: 'contract' };
      const r = await unlockHpaVolatile(f.binding, f.missingDevice, confirmation, { job: { started: true, jobId: 'job-7' }, audit: audit.log });
      expect(r).toMatchObject({ ok: false, outcome: 'refused' });
      if (!r.ok) expect(r.note).toMatch(/^HPA unlock refused: job job-7 has started/);
      expect(audit.lines()[0]).toMatchObject({ refused: true, job: 'job-7' });
    });

    it('refuses a DCO restore request on a silent device, and an unknown confirmation', async () => {
      const audit = auditCapture();
      const desk = new DcoRestoreDesk();
      const asked = await desk.request(f.binding, f.silentDevice, 'contract', { job: idle, audit: audit.log });
      expect(asked).toMatchObject({ ok: false, outcome: 'refused' });
      if (!asked.ok) expect(asked.note).toMatch(/^DCO restore unavailable: /);
      const confirmed = await desk.confirm(f.binding, 'no-such-challenge', 'WD-123', 'contract', { job: idle, audit: audit.log });
      expect(confirmed).toMatchObject({ ok: false, outcome: 'refused' });
      expect(audit.lines().map((l) => l.act)).toEqual(['dco-restore-request', 'dco-restore']);
    });

    it('throws on a sector count hdparm could read as permanent or as a flag', async () => {
      expect(() => f.binding.setMaxVolatile(f.silentDevice, 0)).toThrow(RangeError);
      expect(() => f.binding.setMaxVolatile(f.silentDevice, 1.5)).toThrow(RangeError);
    });
  });
}
