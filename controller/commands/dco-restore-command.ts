// `imagebox dco-restore DEVICE`: DEVICE CONFIGURATION RESTORE, which changes the drive for good.
// Never silent and never scripted: the operator types RESTORE after the warning, then the drive's
// serial number, which the driver checks against the drive again before sending the command.

import { refuse } from '../../drivers/ata/acts.ts';
import { DcoRestoreDesk } from '../../drivers/ata/dco-restore.ts';
import { UserError, EXIT } from '../exit-codes.ts';
import { count, parseDeviceArgs, refused } from './ata-command-deps.ts';
import type { AtaCommandDeps } from './ata-command-deps.ts';
import { linePrompt } from './prompt.ts';
import type { CommandIO } from './rescue-command.ts';

export const DCO_RESTORE_USAGE = `usage: imagebox dco-restore DEVICE

Resets the drive's Device Configuration Overlay to the factory configuration: the sectors and
features the DCO hides come back. This is PERMANENT (it survives power cycles) and cannot be
undone by imagebox. It asks twice: type RESTORE after the warning, then the drive's serial
number. There is no --yes. Refused while an HPA is set (the drive would abort: run
'imagebox hpa-unlock' first), when the DCO hides nothing, on NVMe, and when the drive does not
answer. Every step, refusals included, goes to the audit log.

exit codes: 0 restored, 1 refused or failed (the reason on one line), 2 usage or not a whole disk

environment:
  IMAGEBOX_TOOL_PATH   where to look for hdparm (PATH syntax; default $PATH and sbin)`;

const WORD = 'RESTORE';

/** Enough of the serial to tell which drive is meant, without handing over the whole answer. */
function serialHint(serial: string): string {
  return serial.length > 4 ? ` (${serial.slice(0, 4)}…)` : '';
}

export async function dcoRestoreCommand(argv: string[], io: CommandIO, deps: AtaCommandDeps): Promise<number> {
  if (argv.includes('--yes')) throw new UserError(`dco-restore: there is no --yes: a permanent change to a drive is confirmed by typing (see 'imagebox help dco-restore')`);
  const { device: arg } = parseDeviceArgs('dco-restore', argv, []);
  const device = await deps.resolveDevice('dco-restore', arg);
  const { audit, operator } = deps;
  const opts = { job: { started: false }, audit };
  const desk = new DcoRestoreDesk();
  const asked = await desk.request(deps.ata, device, operator, opts);
  if (!asked.ok) return refused(io, 'dco-restore', asked.note);
  const { challenge } = asked;

  io.stdout.write(`${challenge.warning}\nThe native max goes from ${count(challenge.nativeSectors)} to ${count(challenge.realMaxSectors)} sectors, and stays so after power cycles.\n`);
  const prompt = linePrompt(deps.input, io.stdout);
  try {
    const word = await prompt.ask(`Type ${WORD} to continue:`);
    if (word?.trim() !== WORD) {
      const note = word === undefined ? 'DCO restore not confirmed: no answer' : `DCO restore not confirmed: expected ${WORD}`;
      return refused(io, 'dco-restore', refuse(audit, { act: 'dco-restore', drive: device, operator }, note, { challenge: challenge.id }).note);
    }
    const serial = await prompt.ask(`Type the drive's serial number${serialHint(challenge.serial)} to confirm:`);
    const done = await desk.confirm(deps.ata, challenge.id, serial ?? '', operator, opts);
    if (!done.ok) return refused(io, 'dco-restore', done.note);
    io.stdout.write(`before   native max ${count(done.before.native)} sectors\nafter    native max ${count(done.after.native)} sectors (${count(done.after.visible)} visible)\nDCO restored on ${device}: permanent; the kernel sees the new size only after the device is rescanned\n`);
    return EXIT.ok;
  } finally {
    prompt.close();
  }
}
