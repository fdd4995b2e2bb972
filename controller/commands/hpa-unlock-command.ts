// `imagebox hpa-unlock DEVICE [--yes]`: removes the HPA until the next power cycle, after the
// operator has seen the numbers and typed UNLOCK (or passed --yes from a script). The driver
// re-reads the drive and refuses if it no longer shows what the operator confirmed.

import { refuse } from '../../drivers/ata/acts.ts';
import type { ActFields } from '../../drivers/ata/acts.ts';
import { detectHiddenAreas } from '../../drivers/ata/hidden-areas.ts';
import { describeHpaUnlock, unlockHpaVolatile } from '../../drivers/ata/hpa-unlock.ts';
import { formatBinary } from '../../drivers/ata/summary.ts';
import type { HiddenAreas, MaxSectors } from '../../drivers/ata/types.ts';
import { EXIT } from '../exit-codes.ts';
import { count, parseDeviceArgs, refused } from './ata-command-deps.ts';
import type { AtaCommandDeps } from './ata-command-deps.ts';
import { linePrompt } from './prompt.ts';
import type { CommandIO } from './rescue-command.ts';

export const HPA_UNLOCK_USAGE = `usage: imagebox hpa-unlock DEVICE [--yes]

Removes the drive's Host Protected Area until its next power cycle (a volatile SET MAX ADDRESS
to the native max), so an image can include the sectors it hides. The drive's own settings are
not changed: after a power cycle it hides them again. Shows the visible and native sector counts,
then asks you to type UNLOCK. Refused while there is no HPA, on NVMe, on drives using ACCESSIBLE
MAX ADDRESS (whose every change is permanent), and when the drive does not answer. Every step,
refusals included, goes to the audit log.

options:
  --yes    confirm without asking (for scripts; the audit log records it as confirmed by flag)

exit codes: 0 unlocked, 1 refused or failed (the reason on one line), 2 usage or not a whole disk

environment:
  IMAGEBOX_TOOL_PATH   where to look for hdparm (PATH syntax; default $PATH and sbin)`;

const WORD = 'UNLOCK';

const maxLine = (m: MaxSectors): string => `${count(m.visible)} visible / ${count(m.native)} native sectors`;

/** Why this drive cannot be unlocked, before anyone is asked. */
function cannotUnlock(h: HiddenAreas): string | undefined {
  if (h.kind === 'not-applicable') return `${h.device} is NVMe: it has no HPA`;
  if (h.kind === 'unavailable') return `HPA unlock unavailable: ${h.note}`;
  if (h.accessibleMaxAddress) return `${h.device} uses ACCESSIBLE MAX ADDRESS (ACS-3): every set is permanent, so imagebox does not unlock it`;
  if (!h.hpa.enabled) return `${h.device} has no HPA (max sectors ${h.visibleSectors}/${h.nativeSectors})`;
  return undefined;
}

export async function hpaUnlockCommand(argv: string[], io: CommandIO, deps: AtaCommandDeps): Promise<number> {
  const { device: arg, flags } = parseDeviceArgs('hpa-unlock', argv, ['--yes']);
  const device = await deps.resolveDevice('hpa-unlock', arg);
  const { audit, operator } = deps;
  const fields: ActFields = { act: 'hpa-unlock-volatile', drive: device, operator };
  const h = await detectHiddenAreas(deps.ata, device);
  const why = cannotUnlock(h);
  if (why || h.kind !== 'ata') return refused(io, 'hpa-unlock', refuse(audit, fields, why ?? 'not an ATA drive').note);

  const drive = h.identity ? `${h.identity.model ?? 'model unknown'}, serial ${h.identity.serial ?? 'unknown'}` : 'identity unknown';
  io.stdout.write(
    [
      `${device} (${drive})`,
      `  visible  ${count(h.visibleSectors)} sectors`,
      `  native   ${count(h.nativeSectors)} sectors`,
      `  hidden   ${count(h.hpa.hiddenSectors)} sectors (${formatBinary(h.hpa.hiddenBytes)}) by the HPA`,
      describeHpaUnlock(device, { visible: h.visibleSectors, native: h.nativeSectors, accessibleMaxAddress: false }),
      'The unlock is lost at the next power cycle: the drive then hides these sectors again.',
      '',
    ].join('\n'),
  );

  let confirmedBy: 'flag' | 'typed';
  if (flags.has('--yes')) confirmedBy = 'flag';
  else {
    const prompt = linePrompt(deps.input, io.stdout);
    const answer = await prompt.ask(`Type ${WORD} to remove the HPA until the next power cycle:`).finally(() => prompt.close());
    if (answer?.trim() !== WORD) {
      const note = answer === undefined ? `HPA unlock not confirmed: no answer (type ${WORD}, or pass --yes)` : `HPA unlock not confirmed: expected ${WORD}`;
      return refused(io, 'hpa-unlock', refuse(audit, fields, note).note);
    }
    confirmedBy = 'typed';
  }
  audit.info({ ...fields, confirmedBy, visibleSectors: h.visibleSectors, nativeSectors: h.nativeSectors }, `operator confirmed HPA unlock of ${device} (${confirmedBy === 'flag' ? '--yes' : `typed ${WORD}`})`);

  const confirmation = { device, visibleSectors: h.visibleSectors, nativeSectors: h.nativeSectors, operator };
  const r = await unlockHpaVolatile(deps.ata, device, confirmation, { job: { started: false }, audit });
  if (!r.ok) return refused(io, 'hpa-unlock', r.note);
  io.stdout.write(`before   ${maxLine(r.before)}\nafter    ${maxLine(r.after)}\n${r.note}\n`);
  return EXIT.ok;
}
