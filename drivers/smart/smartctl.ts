// The real binding: spawns smartctl (smartmontools 7.x) and hands its stdout and exit code to the
// shared parse. smartctl -x only reads: identity, attributes and logs. It never enables SMART or
// starts a test, since either would change the state of a source drive.

import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { Logger } from '../../controller/logger.ts';
import type { SmartctlRun } from './parse.ts';
import { smartBinding, type SmartctlRunner } from './reader.ts';
import type { SmartBinding } from './types.ts';

export interface SmartctlOptions {
  /** The program, or a program with leading arguments (['runuser', '-u', 'nobody', '--', 'smartctl']). Default 'smartctl' on PATH. */
  readonly command?: string | readonly string[];
  /** Environment for smartctl, PATH included (default: this process's, with the sbin directories added). LC_ALL is always C. */
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  /** Whether smartctl runs as root (default: whether this process does, when command is plain). */
  readonly privileged?: boolean;
  readonly log?: Logger;
}

/** smartctl installs in sbin, which a non-login PATH (a desktop session, cron) may lack. */
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

function defaultEnv(): NodeJS.ProcessEnv {
  const path = (process.env.PATH ?? '').split(':').filter(Boolean);
  return { ...process.env, PATH: [...path, ...SBIN.filter((d) => !path.includes(d))].join(':') };
}

/** -x on a drive with full logs prints a few hundred KiB; anything past this is not smartctl talking. */
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

function spawnRunner(opts: SmartctlOptions): SmartctlRunner {
  const [program, ...lead] = typeof opts.command === 'string' ? [opts.command] : (opts.command ?? ['smartctl']);
  const env = { ...(opts.env ?? defaultEnv()), LC_ALL: 'C' };
  return {
    privileged: opts.privileged ?? (opts.command === undefined && process.getuid?.() === 0),

    run(args, signal) {
      return new Promise<SmartctlRun>((resolve) => {
        const child = spawn(program, [...lead, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let bytes = 0;
        const take = (into: Buffer[]) => (b: Buffer): void => {
          bytes += b.length;
          if (bytes <= MAX_OUTPUT_BYTES) into.push(b);
          else child.kill('SIGKILL');
        };
        child.stdout.on('data', take(out));
        child.stderr.on('data', take(err));
        // Killing is all a stop can do: the reader has already answered for a hung or aborted run.
        const onStop = (): void => void child.kill('SIGKILL');
        signal.addEventListener('abort', onStop, { once: true });
        child.once('error', (e: NodeJS.ErrnoException) => {
          signal.removeEventListener('abort', onStop);
          resolve({ stdout: '', stderr: '', exitCode: null, spawnError: { code: e.code ?? 'EUNKNOWN', message: e.message } });
        });
        child.once('close', (code) => {
          signal.removeEventListener('abort', onStop);
          resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode: code });
        });
      });
    },

    async exists(path) {
      try {
        await stat(path);
        return true;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // Only a missing path is "gone"; a path we may not stat is still there.
        return code !== 'ENOENT' && code !== 'ENOTDIR';
      }
    },
  };
}

export function smartctlBinding(opts: SmartctlOptions = {}): SmartBinding {
  return smartBinding(spawnRunner(opts), { timeoutMs: opts.timeoutMs, log: opts.log });
}
