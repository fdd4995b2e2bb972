// `imagebox drives [--json]`: the attached drives, for an operator choosing a source and a
// destination, or for a script. A failing lsblk or sysfs costs detail, never the listing:
// what went wrong is a note on stderr (and in the JSON).

import { canBeDestination } from '../../drivers/discovery/destination.ts';
import { linuxDiscovery } from '../../drivers/discovery/linux.ts';
import { UserError, EXIT } from '../exit-codes.ts';
import { formatDrivesTable } from './drives-table.ts';
import type { CommandIO } from './rescue-command.ts';

export const DRIVES_USAGE = `usage: imagebox drives [--json]

Lists the attached drives (whole disks, and loop devices with a backing file): device, size,
model, serial, bus, logical/physical sector size, read-only flag, mount points, and SYSTEM on the
disk holding /, /boot or an active swap. A drive that cannot receive an image says why.

options:
  --json   print {"drives": [...], "notes": [...]} for scripts; sizes in bytes`;

export async function drivesCommand(argv: string[], io: CommandIO): Promise<number> {
  let json = false;
  for (const arg of argv) {
    if (arg === '--json') json = true;
    else throw new UserError(`drives: unknown argument '${arg}'\n${DRIVES_USAGE}`);
  }
  const { drives, notes } = await linuxDiscovery().list();
  for (const note of notes) io.stderr.write(`imagebox: note: ${note}\n`);
  if (json) {
    const out = drives.map((d) => ({ ...d, destination: canBeDestination(d) }));
    io.stdout.write(`${JSON.stringify({ drives: out, notes }, null, 2)}\n`);
  } else {
    io.stdout.write(formatDrivesTable(drives));
  }
  return EXIT.ok;
}
