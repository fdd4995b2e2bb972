#!/usr/bin/env node
// `imagebox`: one command per job an operator does. Errors are one line and an exit code.
import { readFileSync } from 'node:fs';
import { auditLog } from './audit-log.ts';
import { realAtaDeps } from './commands/ata-command-deps.ts';
import { dcoRestoreCommand, DCO_RESTORE_USAGE } from './commands/dco-restore-command.ts';
import { demoCommand } from './commands/demo-command.ts';
import { DRIVES_USAGE, drivesCommand } from './commands/drives-command.ts';
import { hiddenCommand, HIDDEN_USAGE } from './commands/hidden-command.ts';
import { hpaUnlockCommand, HPA_UNLOCK_USAGE } from './commands/hpa-unlock-command.ts';
import { imageCommand } from './commands/image-command.ts';
import { inspectCommand, INSPECT_USAGE } from './commands/inspect-command.ts';
import { IMAGE_USAGE } from './commands/image-args.ts';
import { rescueCommand } from './commands/rescue-command.ts';
import { verifyCommand, VERIFY_USAGE } from './commands/verify-command.ts';
import { outboxCommand, OUTBOX_USAGE } from './labserver/outbox-command.ts';
import { RESCUE_USAGE } from './commands/rescue-args.ts';
import { EXIT, UserError } from './exit-codes.ts';

const USAGE = `usage: imagebox COMMAND [options]
       imagebox            (on a terminal) the front panel on this host's drives
       imagebox --demo     the front panel on an emulated four-port appliance

commands:
  rescue SOURCE DEST MAPFILE   image a (failing) drive, ddrescue-style, resumable
  image SOURCE OUTPUT          forensic image (raw, split, E01, zst), hashed, with its record
  verify IMAGE                 check an image's chunks and hashes (and the source, --source)
  outbox status|deliver|run|retry   records waiting for the lab server (docs/lab-server.md)
  drives [--json]              list attached drives: size, model, serial, sectors, mounts, SYSTEM
  inspect DEVICE [--json]      one drive: identity, write-block, SMART, HPA/DCO, destination
  hidden DEVICE [--json]       what the drive's HPA and DCO hide (reads only)
  hpa-unlock DEVICE [--yes]    remove the HPA until the next power cycle (asks first)
  dco-restore DEVICE           restore the factory DCO: PERMANENT (asks twice, no --yes)
  demo [PATTERN]               watch a rescue of an emulated failing drive (no hardware needed)
  help [COMMAND]               this text, or a command's options

exit codes: 0 finished, 1 finished with unread sectors, 2 usage or input error,
            3 interrupted (resumable), 4 failed`;

const AUDITED = new Set(['rescue', 'image', 'verify', 'drives', 'outbox', 'inspect', 'hidden', 'hpa-unlock', 'dco-restore']);

const HELP: Record<string, string> = { rescue: RESCUE_USAGE, image: IMAGE_USAGE, verify: VERIFY_USAGE, drives: DRIVES_USAGE, outbox: OUTBOX_USAGE, inspect: INSPECT_USAGE, hidden: HIDDEN_USAGE, 'hpa-unlock': HPA_UNLOCK_USAGE, 'dco-restore': DCO_RESTORE_USAGE };

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io = { stdout: process.stdout, stderr: process.stderr };
  if (AUDITED.has(command)) auditLog().info({ argv, cwd: process.cwd() }, 'command');
  switch (command) {
    case 'rescue':
      return rescueCommand(rest, io);
    case 'image':
      return imageCommand(rest, io);
    case 'verify':
      return verifyCommand(rest, io);
    case 'outbox':
      return outboxCommand(rest, io);
    case 'drives':
      return drivesCommand(rest, io);
    case 'inspect':
      return inspectCommand(rest, io);
    case 'hidden':
      return hiddenCommand(rest, io, realAtaDeps());
    case 'hpa-unlock':
      return hpaUnlockCommand(rest, io, realAtaDeps());
    case 'dco-restore':
      return dcoRestoreCommand(rest, io, realAtaDeps());
    case 'demo':
      return demoCommand(rest, io);
    case '--version':
    case '-V':
      io.stdout.write(`imagebox ${version()}\n`);
      return EXIT.ok;
    case 'help':
    case '--help':
    case '-h':
      io.stdout.write(`${HELP[rest[0]] ?? USAGE}\n`);
      return EXIT.ok;
    case '--demo':
      // Imported here so that the other commands never load Ink or the machines.
      return (await import('./commands/panel-command.ts')).demoPanel(rest, io);
    case undefined:
      if (process.stdin.isTTY && process.stdout.isTTY) return (await import('./commands/panel-command.ts')).hostPanel(io);
      io.stderr.write(`${USAGE}\n`);
      return EXIT.usage;
    default:
      throw new UserError(`unknown command '${command}'\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    auditLog().error({ argv: process.argv.slice(2), reason: err instanceof Error ? err.message.split('\n')[0] : String(err) }, 'refused');
    if (err instanceof UserError) {
      process.stderr.write(`imagebox: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`imagebox: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = EXIT.failed;
    }
  },
);
