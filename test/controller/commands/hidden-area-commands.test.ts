// hidden, hpa-unlock and dco-restore run in-process against emulated ATA drives that keep a real
// drive's rules, with typed answers on an input stream and the audit log read back from its file.

import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { wholeDisk } from '../../../controller/commands/ata-command-deps.ts';
import type { AtaCommandDeps } from '../../../controller/commands/ata-command-deps.ts';
import { dcoRestoreCommand } from '../../../controller/commands/dco-restore-command.ts';
import { hiddenCommand } from '../../../controller/commands/hidden-command.ts';
import { hpaUnlockCommand } from '../../../controller/commands/hpa-unlock-command.ts';
import { emulatedAtaBinding, EmulatedAtaDrive } from '../../../drivers/ata/emulated.ts';
import type { EmulatedAtaDriveSpec } from '../../../drivers/ata/emulated.ts';
import type { HiddenAreas } from '../../../drivers/ata/types.ts';
import { auditCapture } from '../../drivers/ata/helpers.ts';

const DEV = '/dev/sdz';
const SERIAL = 'WD-WCC7K4NLX884';
const HPA_DRIVE = { model: 'WDC WD5000AAKX-00ERMA0', realMaxSectors: 976773168, visibleSectors: 976771055 };
const DCO_DRIVE = { realMaxSectors: 976773168, dcoMaxSectors: 926773168, visibleSectors: undefined, dcoDisabled: ['security'] };

function sink(): { stream: Writable; text(): string } {
  let text = '';
  const stream = new Writable({ write: (chunk: Buffer, _enc, done) => ((text += chunk.toString()), done()) });
  return { stream, text: () => text };
}

/** An emulated drive at DEV, the operator's typed lines, and everything the command printed and logged. */
function setup(spec: Partial<EmulatedAtaDriveSpec>, typed: string[] = []) {
  const drive = new EmulatedAtaDrive({ serial: SERIAL, realMaxSectors: 976773168, ...spec });
  const ata = emulatedAtaBinding({ [DEV]: drive });
  const audit = auditCapture();
  const out = sink();
  const err = sink();
  const deps: AtaCommandDeps = {
    ata,
    input: Readable.from(typed),
    audit: audit.log,
    operator: 'alice',
    // The emulated drive has no /dev node; the real resolver is tested below on a regular file.
    resolveDevice: async (_command, device) => device,
  };
  return {
    drive,
    ata,
    audit,
    deps,
    io: { stdout: out.stream, stderr: err.stream },
    stdout: out.text,
    stderr: err.text,
    sent: () => ata.commands.filter((c) => c.startsWith('--yes-i-know-what-i-am-doing')),
  };
}

describe('imagebox hidden', () => {
  it('says what an HPA hides, and how to see it', async () => {
    const t = setup(HPA_DRIVE);
    expect(await hiddenCommand([DEV], t.io, t.deps)).toBe(0);
    expect(t.stdout()).toBe(
      [
        `device    ${DEV}`,
        `drive     WDC WD5000AAKX-00ERMA0, serial ${SERIAL}, firmware 1.0`,
        'sectors   976,771,055 visible, 976,773,168 native (512 bytes each)',
        `HPA       2,113 sectors (1.0 MiB) hidden: 'imagebox hpa-unlock ${DEV}' shows them until the next power cycle`,
        'DCO       no sectors hidden (factory max 976,773,168 sectors)',
        '',
      ].join('\n'),
    );
    expect(t.ata.commands).toEqual([`-N ${DEV}`, `-I ${DEV}`, `--dco-identify ${DEV}`]);
  });

  it('says what a DCO hides and which features it switched off; --json gives the findings', async () => {
    const t = setup(DCO_DRIVE);
    expect(await hiddenCommand([DEV], t.io, t.deps)).toBe(0);
    expect(t.stdout().split('\n')).toContain(
      `DCO       50,000,000 sectors (23.8 GiB) hidden; disables Security Mode feature set (factory max 976,773,168 sectors): 'imagebox dco-restore ${DEV}' restores it, permanently`,
    );
    const j = setup(DCO_DRIVE);
    expect(await hiddenCommand(['--json', DEV], j.io, j.deps)).toBe(0);
    const h = JSON.parse(j.stdout()) as HiddenAreas;
    expect(h).toMatchObject({ kind: 'ata', hpa: { enabled: false }, dco: { state: 'read', hiddenSectors: 50000000, disabledFeatures: ['Security Mode feature set'] } });
  });

  it('NVMe: not applicable, without running hdparm; a silent device: unavailable with its note; both exit 0', async () => {
    const t = setup(HPA_DRIVE);
    expect(await hiddenCommand(['/dev/nvme0n1'], t.io, t.deps)).toBe(0);
    expect(t.stdout()).toBe('/dev/nvme0n1: HPA/DCO not applicable (NVMe)\n');
    expect(t.ata.commands).toEqual([]);
    const s = setup({ answers: false });
    expect(await hiddenCommand([DEV], s.io, s.deps)).toBe(0);
    expect(s.stdout()).toMatch(/^\/dev\/sdz: HPA\/DCO unavailable: \/dev\/sdz did not answer ATA IDENTIFY .*\n$/);
  });

  it('not a block device, or not one DEVICE: a usage error (exit 2), one line', async () => {
    const t = setup(HPA_DRIVE);
    const real = { ...t.deps, resolveDevice: wholeDisk };
    await expect(hiddenCommand([import.meta.filename], t.io, real)).rejects.toMatchObject({
      exitCode: 2,
      message: `hidden: ${import.meta.filename} is not a block device (it is a regular file)`,
    });
    await expect(hiddenCommand([DEV, '/dev/sdy'], t.io, t.deps)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/^hidden: expected one DEVICE, got 2/) });
    await expect(hiddenCommand(['--all', DEV], t.io, t.deps)).rejects.toMatchObject({ exitCode: 2 });
    expect(t.ata.commands).toEqual([]);
  });
});

describe('imagebox hpa-unlock', () => {
  it('shows the counts, asks, and unlocks when UNLOCK is typed; before, after and the audit trail', async () => {
    const t = setup(HPA_DRIVE, ['UNLOCK\n']);
    expect(await hpaUnlockCommand([DEV], t.io, t.deps)).toBe(0);
    expect(t.drive.visibleSectors).toBe(976773168);
    expect(t.sent()).toEqual([`--yes-i-know-what-i-am-doing -N 976773168 ${DEV}`]);
    const out = t.stdout();
    expect(out).toContain('  visible  976,771,055 sectors\n  native   976,773,168 sectors\n  hidden   2,113 sectors (1.0 MiB) by the HPA\n');
    expect(out).toContain('The unlock is lost at the next power cycle');
    expect(out).toContain('Type UNLOCK to remove the HPA until the next power cycle: ');
    expect(out).toContain('before   976,771,055 visible / 976,773,168 native sectors\nafter    976,773,168 visible / 976,773,168 native sectors\n');
    expect(t.stderr()).toBe('');
    expect(t.audit.lines()).toMatchObject([
      { act: 'hpa-unlock-volatile', drive: DEV, operator: 'alice', confirmedBy: 'typed', msg: `operator confirmed HPA unlock of ${DEV} (typed UNLOCK)` },
      { act: 'hpa-unlock-volatile', operator: 'alice', sectors: 976773168, msg: `issuing volatile SET MAX ADDRESS on ${DEV}` },
      { before: { visible: 976771055 }, after: { visible: 976773168 }, msg: `HPA unlocked (volatile) on ${DEV}` },
    ]);
    // Volatile, as promised: the power cycle brings the HPA back.
    t.drive.powerCycle();
    expect(t.drive.visibleSectors).toBe(976771055);
  });

  it('refuses any other answer, or none: exit 1, one line, nothing sent, the refusal audited', async () => {
    for (const typed of [['unlock\n'], ['yes\n'], []]) {
      const t = setup(HPA_DRIVE, typed);
      expect(await hpaUnlockCommand([DEV], t.io, t.deps)).toBe(1);
      const note = typed.length ? 'HPA unlock not confirmed: expected UNLOCK' : 'HPA unlock not confirmed: no answer (type UNLOCK, or pass --yes)';
      expect(t.stderr()).toBe(`imagebox: hpa-unlock: ${note}\n`);
      expect(t.sent()).toEqual([]);
      expect(t.drive.visibleSectors).toBe(976771055);
      expect(t.audit.lines()).toMatchObject([{ act: 'hpa-unlock-volatile', operator: 'alice', refused: true, reason: note }]);
    }
  });

  it('--yes confirms without asking, and the audit log says it was the flag', async () => {
    const t = setup(HPA_DRIVE);
    expect(await hpaUnlockCommand([DEV, '--yes'], t.io, t.deps)).toBe(0);
    expect(t.stdout()).not.toContain('Type UNLOCK');
    expect(t.drive.visibleSectors).toBe(976773168);
    expect(t.audit.lines()[0]).toMatchObject({ confirmedBy: 'flag', msg: `operator confirmed HPA unlock of ${DEV} (--yes)` });
  });

  it('refuses a drive without an HPA, an ACCESSIBLE MAX ADDRESS drive and a silent one, before asking', async () => {
    const cases: [Partial<EmulatedAtaDriveSpec>, RegExp][] = [
      [{ visibleSectors: undefined }, /^\/dev\/sdz has no HPA \(max sectors 976773168\/976773168\)$/],
      [{ ...HPA_DRIVE, accessibleMaxAddress: true }, /ACCESSIBLE MAX ADDRESS \(ACS-3\): every set is permanent/],
      [{ answers: false }, /^HPA unlock unavailable: \/dev\/sdz did not answer ATA IDENTIFY/],
    ];
    for (const [spec, note] of cases) {
      const t = setup(spec, ['UNLOCK\n']);
      expect(await hpaUnlockCommand([DEV, '--yes'], t.io, t.deps)).toBe(1);
      expect(t.stdout()).toBe('');
      expect(t.stderr()).toMatch(/^imagebox: hpa-unlock: .*\n$/);
      expect(t.stderr().slice('imagebox: hpa-unlock: '.length, -1)).toMatch(note);
      expect(t.sent()).toEqual([]);
      expect(t.audit.lines()).toMatchObject([{ refused: true, act: 'hpa-unlock-volatile' }]);
    }
  });

  it('passes on the driver’s failure when the drive aborts the set (SET MAX already used this power cycle)', async () => {
    const t = setup(HPA_DRIVE, ['UNLOCK\n']);
    await t.ata.setMaxVolatile(DEV, 976771055);
    expect(await hpaUnlockCommand([DEV], t.io, t.deps)).toBe(1);
    expect(t.stderr()).toBe(`imagebox: hpa-unlock: the drive refused the unlock: ${DEV} rejected the command (SET_MAX_ADDRESS(_EXT) failed: Input/output error)\n`);
    expect(t.audit.lines().at(-1)).toMatchObject({ failed: true });
  });
});

describe('imagebox dco-restore', () => {
  it('refuses while an HPA is set, before asking anything', async () => {
    const t = setup({ ...DCO_DRIVE, visibleSectors: 926000000 }, ['RESTORE\n', `${SERIAL}\n`]);
    expect(await dcoRestoreCommand([DEV], t.io, t.deps)).toBe(1);
    expect(t.stdout()).toBe('');
    expect(t.stderr()).toBe(`imagebox: dco-restore: ${DEV} has an HPA set (926000000/926773168): the drive aborts a DCO restore while an HPA is set; unlock the HPA first\n`);
    expect(t.sent()).toEqual([]);
    expect(t.drive.nativeSectors).toBe(926773168);
    expect(t.audit.lines()).toMatchObject([{ act: 'dco-restore-request', refused: true }]);
  });

  it('restores after RESTORE and the serial number are typed (answers piped at once are kept in order)', async () => {
    const t = setup(DCO_DRIVE, [`RESTORE\n${SERIAL}\n`]);
    expect(await dcoRestoreCommand([DEV], t.io, t.deps)).toBe(0);
    expect(t.drive.nativeSectors).toBe(976773168);
    expect(t.drive.dcoDisabled).toEqual([]);
    expect(t.sent()).toEqual([`--yes-i-know-what-i-am-doing --dco-restore ${DEV}`]);
    const out = t.stdout();
    expect(out).toMatch(/^PERMANENT: reset \/dev\/sdz \(EMU ATA DRIVE, serial WD-WCC7K4NLX884\) to its factory configuration: 926773168 -> 976773168 sectors, re-enabling Security Mode feature set/);
    expect(out).toContain('Type RESTORE to continue: Type the drive\'s serial number (WD-W…) to confirm: ');
    expect(out).toContain('before   native max 926,773,168 sectors\nafter    native max 976,773,168 sectors (976,773,168 visible)\n');
    expect(t.audit.lines().map((l) => l.msg)).toEqual([
      `DCO restore requested on ${DEV}, awaiting the serial number`,
      `issuing DEVICE CONFIGURATION RESTORE on ${DEV}`,
      `DCO restored on ${DEV}`,
    ]);
  });

  it('refuses a wrong serial number, and a wrong word without asking for the serial; nothing sent', async () => {
    const wrong = setup(DCO_DRIVE, ['RESTORE\n', 'WD-WCC7K4NLX885\n']);
    expect(await dcoRestoreCommand([DEV], wrong.io, wrong.deps)).toBe(1);
    expect(wrong.stderr()).toBe(`imagebox: dco-restore: DCO restore refused: the serial number typed does not match ${DEV}'s (${SERIAL})\n`);
    expect(wrong.audit.lines().at(-1)).toMatchObject({ act: 'dco-restore', refused: true, operator: 'alice' });

    const word = setup(DCO_DRIVE, ['restore\n', `${SERIAL}\n`]);
    expect(await dcoRestoreCommand([DEV], word.io, word.deps)).toBe(1);
    expect(word.stdout()).not.toContain('serial number (');
    expect(word.stderr()).toBe('imagebox: dco-restore: DCO restore not confirmed: expected RESTORE\n');
    expect(word.audit.lines().at(-1)).toMatchObject({ act: 'dco-restore', refused: true, reason: 'DCO restore not confirmed: expected RESTORE' });
    for (const t of [wrong, word]) {
      expect(t.sent()).toEqual([]);
      expect(t.drive.nativeSectors).toBe(926773168);
    }
  });

  it('has no --yes: a usage error, and the drive is not even read', async () => {
    const t = setup(DCO_DRIVE, ['RESTORE\n', `${SERIAL}\n`]);
    await expect(dcoRestoreCommand([DEV, '--yes'], t.io, t.deps)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/^dco-restore: there is no --yes/) });
    expect(t.ata.commands).toEqual([]);
  });

  it('the lab’s order: hpa-unlock, then dco-restore in the same power cycle', async () => {
    const spec = { ...DCO_DRIVE, visibleSectors: 926000000 };
    const t = setup(spec, ['UNLOCK\n']);
    expect(await hpaUnlockCommand([DEV], t.io, t.deps)).toBe(0);
    const second = { ...t.deps, input: Readable.from([`RESTORE\n${SERIAL}\n`]) };
    expect(await dcoRestoreCommand([DEV], t.io, second)).toBe(0);
    expect(t.drive.nativeSectors).toBe(976773168);
  });
});
