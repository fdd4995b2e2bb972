// `imagebox inspect DEVICE [--json]`: everything the box can learn about a drive without reading
// its data (identity, write-blocking, SMART, HPA/DCO, whether it may be a destination). It only
// reads: no SMART test is started, no HPA is unlocked, no flag is set.

import { realpath } from 'node:fs/promises';
import { describePath } from '../../drivers/block/device-info.ts';
import { EXIT, UserError } from '../exit-codes.ts';
import { createLogger } from '../logger.ts';
import { gatherDriveFacts } from '../preflight/drive-facts.ts';
import { realBindings } from '../preflight/real-bindings.ts';
import { formatInspect } from './inspect-text.ts';
import type { CommandIO } from './rescue-command.ts';

export const INSPECT_USAGE = `usage: imagebox inspect DEVICE [--json]

Says what is known about a drive before imaging it: model, serial, firmware, capacity, sector
sizes, rotation and bus; whether it is write-blocked and how that was established (kernel
read-only flag, USB forensic bridge); the SMART verdict with its reasons, advice and key
figures; any HPA or DCO hiding sectors; and whether it may receive an image. It only reads.
A missing smartctl or hdparm, or a drive that does not answer them, becomes a note.

options:
  --json   print the facts as JSON for scripts

environment:
  IMAGEBOX_TOOL_PATH   where to look for smartctl and hdparm (PATH syntax; default $PATH and sbin)`;

function parseArgs(argv: string[]): { device: string; json: boolean } {
  let json = false;
  const positional: string[] = [];
  for (const arg of argv) {
    if (arg === '--json') json = true;
    else if (arg.startsWith('-') && arg !== '-') throw new UserError(`inspect: unknown option '${arg}' (see 'imagebox help inspect')`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new UserError(`inspect: expected one DEVICE, got ${positional.length} (see 'imagebox help inspect')`);
  return { device: positional[0], json };
}

async function blockDevice(device: string): Promise<string> {
  const info = await describePath(device);
  if (info.kind === 'missing') throw new UserError(`inspect: ${device} does not exist`);
  if (info.kind !== 'block') throw new UserError(`inspect: ${device} is not a block device (it is a ${info.kind === 'file' ? 'regular file' : info.what})`);
  // /dev/disk/by-id/... names the same drive as /dev/sdb; the tools and the listing know the latter.
  return realpath(device);
}

export async function inspectCommand(argv: string[], io: CommandIO): Promise<number> {
  const { device, json } = parseArgs(argv);
  const path = await blockDevice(device);
  // Warnings are already the facts' notes; the log's stderr lines would only repeat them.
  const log = createLogger({ level: 'error' });
  const facts = await gatherDriveFacts(path, realBindings({ toolPath: process.env.IMAGEBOX_TOOL_PATH, log }), { log });
  io.stdout.write(json ? `${JSON.stringify(facts, null, 2)}\n` : formatInspect(facts));
  return EXIT.ok;
}
