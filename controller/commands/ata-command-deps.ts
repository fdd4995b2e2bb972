// What the HPA/DCO commands share: the hdparm binding, where typed confirmations come from, the
// audit log, who is confirming, and how a DEVICE argument becomes a whole disk's path.

import { realpath } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Readable } from 'node:stream';
import { hdparmBinding } from '../../drivers/ata/hdparm-binding.ts';
import type { AtaBinding } from '../../drivers/ata/types.ts';
import { describePath } from '../../drivers/block/device-info.ts';
import { auditLog } from '../audit-log.ts';
import { UserError } from '../exit-codes.ts';
import type { Logger } from '../logger.ts';
import type { CommandIO } from './rescue-command.ts';

/** Exit code of a refused or failed act: the reason is one line on stderr and the audit log. */
export const EXIT_REFUSED = 1;

export interface AtaCommandDeps {
  readonly ata: AtaBinding;
  /** Where the operator's typed confirmations come from. */
  readonly input: Readable;
  /** The machine-wide audit log. */
  readonly audit: Logger;
  /** Who confirms, for the audit log. */
  readonly operator: string;
  /** DEVICE argument -> the path the tools should get; throws a UserError (exit 2) for anything but a whole disk. */
  readonly resolveDevice: (command: string, device: string) => Promise<string>;
}

/** The person behind sudo when there is one: "root" alone says nothing in an audit. */
export function operatorName(): string {
  if (process.env.SUDO_USER) return process.env.SUDO_USER;
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}

/** HPA and DCO belong to the whole disk; a partition or a file is an input error. */
export async function wholeDisk(command: string, device: string): Promise<string> {
  const info = await describePath(device);
  if (info.kind === 'missing') throw new UserError(`${command}: ${device} does not exist`);
  if (info.kind !== 'block') throw new UserError(`${command}: ${device} is not a block device (it is a ${info.kind === 'file' ? 'regular file' : info.what})`);
  if (info.isPartition) throw new UserError(`${command}: ${device} is a partition; HPA and DCO belong to the whole disk: name /dev/${info.disk.name}`);
  // hdparm and the audit log should name the kernel's device, not a /dev/disk/by-id alias.
  return realpath(device);
}

export function realAtaDeps(): AtaCommandDeps {
  const toolPath = process.env.IMAGEBOX_TOOL_PATH;
  return {
    ata: hdparmBinding(toolPath !== undefined ? { searchPath: toolPath } : {}),
    input: process.stdin,
    audit: auditLog(),
    operator: operatorName(),
    resolveDevice: wholeDisk,
  };
}

/** One DEVICE and the given flags; anything else is a usage error naming the command's help. */
export function parseDeviceArgs(command: string, argv: readonly string[], flags: readonly string[]): { device: string; flags: Set<string> } {
  const seen = new Set<string>();
  const positional: string[] = [];
  for (const arg of argv) {
    if (flags.includes(arg)) seen.add(arg);
    else if (arg.startsWith('-')) throw new UserError(`${command}: unknown option '${arg}' (see 'imagebox help ${command}')`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new UserError(`${command}: expected one DEVICE, got ${positional.length} (see 'imagebox help ${command}')`);
  return { device: positional[0], flags: seen };
}

export function refused(io: CommandIO, command: string, note: string): number {
  io.stderr.write(`imagebox: ${command}: ${note}\n`);
  return EXIT_REFUSED;
}

export const count = (n: number): string => n.toLocaleString('en-US');
