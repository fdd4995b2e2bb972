// `imagebox outbox status|deliver|run|retry`: look at the outbox and drive its delivery by hand or
// as a service. docs/lab-server.md describes the outbox.

import { join } from 'node:path';
import { stateDir } from '../audit-log.ts';
import { loadConfig, type Config } from '../config.ts';
import { EXIT, UserError } from '../exit-codes.ts';
import { createLogger, type Logger } from '../logger.ts';
import { deliverOutbox, runOutbox } from './deliver.ts';
import { outboxDir, pendingEntries, retryNow, sentEntries, type EntryState } from './outbox.ts';
import { DEFAULT_TIMEOUT_MS } from './post-record.ts';

export const OUTBOX_USAGE = `usage: imagebox outbox COMMAND

Finished acquisition records wait in the outbox until the lab server acknowledges them
(docs/lab-server.md).

commands:
  status [--json]     the server, what waits (attempts, next try, last answer), what was sent
  deliver             send what is due now, once; exit 0 when nothing is left waiting, 1 otherwise
  run                 keep delivering until SIGINT or SIGTERM (for a service)
  retry [ID...]       make waiting records due now, rejected ones included (all, or those named)`;

interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

function describe(s: EntryState): string {
  const parts = [`attempts ${s.attempts}`];
  if (s.rejected) parts.push(`REJECTED (${s.rejected.detail})`);
  else if (s.last) parts.push(`last: ${s.last.reason ?? s.last.kind}${s.last.detail ? ` (${s.last.detail})` : ''}`);
  if (s.inFlight) parts.push('an attempt was cut short');
  parts.push(`next ${s.nextAttemptAt}`);
  return `  ${s.id}  ${parts.join(', ')}`;
}

async function status(config: Config, dir: string, json: boolean, io: Io): Promise<number> {
  const pending = (await pendingEntries(dir)).map((e) => e.state);
  const sent = await sentEntries(dir);
  const server = config.labServer;
  if (json) {
    const labServer = server && { url: server.url, timeoutMs: server.timeoutMs ?? DEFAULT_TIMEOUT_MS, token: server.token !== undefined };
    io.stdout.write(`${JSON.stringify({ labServer, dir, pending, sent }, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = [
    server ? `lab server: ${server.url} (timeout ${server.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms${server.token ? ', with a token' : ''})` : 'lab server: not configured',
    `outbox: ${dir}`,
    `waiting: ${pending.length}`,
    ...pending.map(describe),
    `sent: ${sent.length}${sent.length ? ` (latest ${sent[sent.length - 1].id} at ${sent[sent.length - 1].deliveredAt})` : ''}`,
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

async function runUntilSignalled(config: Config, dir: string, log: Logger, io: Io): Promise<number> {
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  io.stderr.write(`imagebox outbox: delivering ${dir} to ${config.labServer?.url ?? '(not configured yet)'}\n`);
  try {
    // The configuration is read again each round; only a bad one at start-up is refused.
    await runOutbox(ac.signal, { dir, log });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return EXIT.ok;
}

export async function outboxCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  const flags = rest.filter((a) => a.startsWith('-'));
  const args = rest.filter((a) => !a.startsWith('-'));
  const allowed = sub === 'status' ? ['--json'] : [];
  for (const f of flags) if (!allowed.includes(f)) throw new UserError(`outbox ${sub ?? ''}: unknown option '${f}'\n${OUTBOX_USAGE}`);
  if (args.length && sub !== 'retry') throw new UserError(`outbox ${sub ?? ''}: unexpected '${args[0]}'\n${OUTBOX_USAGE}`);
  const dir = outboxDir();
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  const log = (): Logger => createLogger({ file: join(stateDir(), 'outbox.log') });
  switch (sub) {
    case 'status':
      return status(config, dir, flags.includes('--json'), io);
    case 'deliver': {
      if (!config.labServer) throw new UserError('no labServer in the configuration: nothing to deliver to (docs/lab-server.md)');
      const s = await deliverOutbox({ signal: AbortSignal.timeout(3600_000), dir, config, log: log() });
      if (s.busy) io.stdout.write('another deliverer is working on this outbox\n');
      io.stdout.write(`attempted ${s.attempted}: delivered ${s.delivered.length}, will retry ${s.retrying.length}, rejected ${s.rejected.length}; waiting ${s.pending}\n`);
      return s.pending === 0 ? EXIT.ok : EXIT.unreadSectors;
    }
    case 'run':
      return runUntilSignalled(config, dir, log(), io);
    case 'retry': {
      const done = await retryNow(dir, args.length ? args : undefined);
      const missing = args.filter((id) => !done.includes(id));
      io.stdout.write(`due now: ${done.length ? done.join(' ') : 'nothing'}\n`);
      if (missing.length) throw new UserError(`not waiting in the outbox: ${missing.join(' ')}`);
      return EXIT.ok;
    }
    default:
      throw new UserError(`${sub === undefined ? 'outbox needs a command' : `unknown outbox command '${sub}'`}\n${OUTBOX_USAGE}`);
  }
}
