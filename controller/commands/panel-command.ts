// `imagebox` on a terminal: the front panel on this host's drives; `imagebox --demo`: the panel on
// an emulated four-port appliance (a healthy drive, a failing one, one behind a forensic bridge, one
// with an HPA), writing into a folder of its own. The CLI imports this file only for these two, so
// the other commands never load Ink or the machines.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditLog, stateDir } from '../audit-log.ts';
import { imagesDirOf, loadConfig } from '../config.ts';
import { EXIT, UserError } from '../exit-codes.ts';
import { createLogger, type Logger } from '../logger.ts';
import type { CommandIO } from './rescue-command.ts';

export const DEMO_USAGE = `usage: imagebox --demo

The front panel on an emulated appliance with four ports: 1 a healthy drive, 2 a failing drive
(a recovery takes about half a minute), 3 a drive behind a Tableau write-blocking bridge, 4 a
drive with an HPA. Images go to <state dir>/demo-images (a temporary folder when that cannot be
written). Keys are in the bottom line; q quits.`;

function needsTerminal(what: string): void {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UserError(`${what} draws the front panel and needs a terminal (stdin and stdout a TTY)`);
  }
}

/** The panel's log: a file in the state dir, since stderr is the screen; a temporary one when that is not writable. */
function panelLogger(): { log: Logger; file: string } {
  for (const dir of [stateDir(), join(tmpdir(), `imagebox-${process.getuid?.() ?? 'user'}`)]) {
    const file = join(dir, 'panel.log');
    try {
      return { log: createLogger({ file }), file };
    } catch {
      // Read-only or missing home: try the next place.
    }
  }
  return { log: createLogger({ level: 'silent' }), file: '' };
}

function demoImagesDir(): string {
  const dir = join(stateDir(), 'demo-images');
  try {
    mkdirSync(dir, { recursive: true });
    return dir;
  } catch {
    return mkdtempSync(join(tmpdir(), 'imagebox-demo-'));
  }
}

export async function demoPanel(argv: string[], io: CommandIO): Promise<number> {
  if (argv.length > 0) throw new UserError(`--demo takes no arguments\n${DEMO_USAGE}`);
  needsTerminal('imagebox --demo');
  const { log, file } = panelLogger();
  auditLog().info({ argv: ['--demo'], cwd: process.cwd() }, 'command');
  const imagesDir = demoImagesDir();
  const { emulatedAppliance } = await import('../../hil/scenarios/appliance.ts');
  const { runPanel } = await import('../../ui-tty/panel-main.ts');
  const box = emulatedAppliance({ imagesDir, log });
  log.info({ imagesDir, ports: box.summary(), log: file }, 'demo appliance');
  try {
    await runPanel({ env: box.env, log, title: 'imagebox demo', banner: `Demo on emulated drives: images go to ${imagesDir}` });
  } finally {
    await box.close();
  }
  io.stdout.write(`Demo images, mapfiles and reports: ${imagesDir}\n${file ? `The panel's log: ${file}\n` : ''}`);
  return EXIT.ok;
}

export async function hostPanel(io: CommandIO): Promise<number> {
  needsTerminal('imagebox');
  const { log, file } = panelLogger();
  auditLog().info({ argv: [], cwd: process.cwd() }, 'command');
  const imagesDir = imagesDirOf(loadConfig());
  const { hostEnv } = await import('../../machines/actors/host-env.ts');
  const { runPanel } = await import('../../ui-tty/panel-main.ts');
  await runPanel({ env: hostEnv({ imagesDir, log }), log, title: 'imagebox' });
  io.stdout.write(`Images: ${imagesDir}\n${file ? `The panel's log: ${file}\n` : ''}`);
  return EXIT.ok;
}
