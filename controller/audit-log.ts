// The machine-wide audit log: every command an operator ran and every refusal, whether or not a
// job folder exists yet. $IMAGEBOX_STATE_DIR, else ~/.local/state/imagebox (on the appliance:
// /var/lib/imagebox via the systemd unit's environment).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from './logger.ts';
import type { Logger } from './logger.ts';

export function stateDir(): string {
  return process.env.IMAGEBOX_STATE_DIR || join(homedir(), '.local', 'state', 'imagebox');
}

let audit: Logger | undefined;

export function auditLog(): Logger {
  if (!audit) {
    try {
      audit = createLogger({ file: join(stateDir(), 'audit.log') }).child({ component: 'audit' });
    } catch {
      // An unwritable state dir must not stop an imaging job; the refusal still reaches stderr.
      audit = createLogger().child({ component: 'audit' });
    }
  }
  return audit;
}
