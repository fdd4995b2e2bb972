// `imagebox demo [PATTERN]`: a rescue of an emulated failing drive into a fresh folder, paced so
// that a newcomer can watch the phases go by (about 20 seconds), with no hardware attached.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PATTERNS } from '../../hil/patterns.ts';
import { UserError } from '../exit-codes.ts';
import type { CommandIO } from './rescue-command.ts';
import { rescueCommand } from './rescue-command.ts';

/** Drive-time per wall second, per pattern, for a run of about 20 s on a 32 MiB drive. */
const SPEED: Record<string, number> = { 'dead-head': 3500, zone: 4000, scattered: 100, vanish: 50, hang: 60, unstable: 25, slow: 1, healthy: 1 };

export async function demoCommand(argv: string[], io: CommandIO): Promise<number> {
  const pattern = argv[0] ?? 'dead-head';
  if (!(PATTERNS as readonly string[]).includes(pattern)) throw new UserError(`unknown pattern '${pattern}' (valid: ${PATTERNS.join(', ')})`);
  const dir = await mkdtemp(join(tmpdir(), 'imagebox-demo-'));
  const source = `emu:${pattern}?seed=7&size=32M`;
  const img = join(dir, 'drive.img');
  const map = join(dir, 'drive.map');
  io.stdout.write(`Rescuing the emulated drive ${source}\ninto ${img} (mapfile ${map})\n\n`);
  const code = await rescueCommand([source, img, map, '--emu-speed', String(SPEED[pattern] ?? 100), ...argv.slice(1)], io);
  io.stdout.write(`\nThe image, the mapfile (GNU ddrescue's format) and the job log are in ${dir}\n`);
  return code;
}
