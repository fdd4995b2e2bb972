// Sending the outbox to the lab server: deliverOutbox() drains what is due once; runOutbox() keeps
// doing so until its signal aborts. One log line per attempt outcome (component 'outbox').
//
// Each entry has its own schedule, kept in its state file so that it survives restarts. The
// attempt is written down before the request goes out: a process killed during a request has still
// used that attempt, and the next process waits the backoff instead of retrying at once.
//
// A failure that is the server's (unreachable, timeout, 5xx, 408, 429) ends the round: the other
// entries are not tried against a server that is down, and runOutbox() backs off for the whole
// server, so the server sees about one request per backoff period however many records wait.

import { mkdir } from 'node:fs/promises';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { loadConfig, type Config, type LabServerConfig } from '../config.ts';
import { createLogger, type Logger } from '../logger.ts';
import { moveToSent, outboxDir, pendingEntries, readRecord, saveState, type EntryState, type OutboxEntry } from './outbox.ts';
import { lockOutbox } from './deliverer-lock.ts';
import { postRecord } from './post-record.ts';
import { delayAfter, retryDelay, type Outcome } from './retry-schedule.ts';

export interface Clock {
  now(): number;
}

export interface DeliverOptions {
  readonly signal: AbortSignal;
  readonly clock?: Clock;
  /** Jitter source, [0, 1). */
  readonly random?: () => number;
  /** Default: `<stateDir>/outbox`. */
  readonly dir?: string;
  /** Default: loadConfig(). */
  readonly config?: Config;
  readonly log?: Logger;
}

export interface DeliverySummary {
  /** false: no labServer in the configuration; nothing was sent. */
  readonly configured: boolean;
  /** Another deliverer holds this outbox; nothing was done. */
  readonly busy: boolean;
  readonly attempted: number;
  readonly delivered: readonly string[];
  readonly retrying: readonly string[];
  readonly rejected: readonly string[];
  /** The round ended early because the server itself is in trouble. */
  readonly serverTrouble: boolean;
  /** Entries still in the outbox. */
  readonly pending: number;
  /** When the earliest of them is due (epoch ms). */
  readonly nextDueAt?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const systemClock: Clock = { now: () => Date.now() };

function outboxLog(log: Logger | undefined): Logger {
  return (log ?? createLogger()).child({ component: 'outbox' });
}

function lastOf(outcome: Outcome, at: number): EntryState['last'] {
  if (outcome.kind === 'acked') return { at: iso(at), kind: 'acked', status: outcome.status };
  if (outcome.kind === 'rejected') return { at: iso(at), kind: 'rejected', status: outcome.status, detail: outcome.detail };
  return { at: iso(at), kind: 'retry', reason: outcome.reason, status: outcome.status, detail: outcome.detail };
}

interface Round {
  readonly dir: string;
  readonly target: LabServerConfig;
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly random: () => number;
  readonly log: Logger;
}

/** One attempt at one entry, written down before and after. */
async function attempt(r: Round, entry: OutboxEntry): Promise<Outcome> {
  const body = await readRecord(entry);
  const started = r.clock.now();
  const attempts = entry.state.attempts + 1;
  const before: EntryState = {
    ...entry.state,
    attempts,
    lastAttemptAt: iso(started),
    inFlight: true,
    nextAttemptAt: iso(started + retryDelay(attempts, r.random)),
  };
  await saveState(r.dir, before);
  const outcome = await postRecord(r.target, entry.id, body, r.signal, () => r.clock.now());
  const ended = r.clock.now();
  const fields = { id: entry.id, attempt: attempts, ms: ended - started };
  const after: EntryState = { ...before, inFlight: undefined, last: lastOf(outcome, ended) };
  if (outcome.kind === 'acked') {
    await moveToSent(r.dir, { ...after, rejected: undefined, deliveredAt: iso(ended) });
    r.log.info({ ...fields, status: outcome.status }, 'delivered');
    return outcome;
  }
  const next = iso(ended + delayAfter(outcome, attempts, r.random));
  if (outcome.kind === 'rejected') {
    await saveState(r.dir, { ...after, nextAttemptAt: next, rejected: { status: outcome.status, detail: outcome.detail, at: iso(ended) } });
    r.log.error({ ...fields, status: outcome.status, detail: outcome.detail, nextAttemptAt: next }, 'rejected by the lab server; kept in the outbox');
  } else {
    await saveState(r.dir, { ...after, nextAttemptAt: next, rejected: undefined });
    r.log.warn({ ...fields, reason: outcome.reason, status: outcome.status, detail: outcome.detail, nextAttemptAt: next }, 'not delivered; will retry');
  }
  return outcome;
}

/** Sends every entry that is due, one at a time, oldest due first. Never throws for network trouble. */
export async function deliverOutbox(opts: DeliverOptions): Promise<DeliverySummary> {
  const dir = opts.dir ?? outboxDir();
  const clock = opts.clock ?? systemClock;
  const target = (opts.config ?? loadConfig()).labServer;
  const summary = { configured: target !== undefined, busy: false, attempted: 0, delivered: [] as string[], retrying: [] as string[], rejected: [] as string[], serverTrouble: false };
  const finish = async (): Promise<DeliverySummary> => {
    const left = await pendingEntries(dir);
    const nextDueAt = left.length ? Date.parse(left[0].state.nextAttemptAt) : undefined;
    return { ...summary, pending: left.length, nextDueAt };
  };
  if (!target) return finish();
  await mkdir(dir, { recursive: true });
  const release = await lockOutbox(dir);
  if (!release) return { ...(await finish()), busy: true };
  const round: Round = { dir, target, signal: opts.signal, clock, random: opts.random ?? Math.random, log: outboxLog(opts.log) };
  try {
    for (const entry of await pendingEntries(dir)) {
      if (opts.signal.aborted || Date.parse(entry.state.nextAttemptAt) > clock.now()) break;
      summary.attempted++;
      const outcome = await attempt(round, entry);
      if (outcome.kind === 'acked') summary.delivered.push(entry.id);
      else if (outcome.kind === 'rejected') summary.rejected.push(entry.id);
      else {
        summary.retrying.push(entry.id);
        summary.serverTrouble = true;
        break;
      }
    }
  } catch (e) {
    // Our own abort ends the round; the attempt it cut short stays written down as in flight.
    if (!opts.signal.aborted) throw e;
  } finally {
    await release();
  }
  return finish();
}

export interface RunOptions extends Omit<DeliverOptions, 'signal'> {
  /** Waits ms, or until the signal aborts. Tests pass one that moves a fake clock. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** How soon a record enqueued by another process is noticed. */
  readonly pollMs?: number;
}

export const DEFAULT_POLL_MS = 15_000;

/** How long the loop waits after a round: until the next entry is due, longer while the server is in trouble. */
export function waitAfter(s: DeliverySummary, troubles: number, now: number, pollMs: number, random: () => number): number {
  // Unconfigured or busy: what is due cannot be sent by us now, so only poll.
  const idle = s.nextDueAt === undefined || !s.configured || s.busy;
  let wait = idle ? pollMs : Math.min(pollMs, Math.max(0, s.nextDueAt! - now));
  if (troubles > 0) wait = Math.max(wait, retryDelay(troubles, random));
  return wait;
}

/** Delivers until `signal` aborts. The configuration is read again each round, so a fix needs no restart. */
export async function runOutbox(signal: AbortSignal, opts: RunOptions = {}): Promise<void> {
  const base = opts.log ?? createLogger();
  const log = outboxLog(base);
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? Math.random;
  const pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
  const sleep = opts.sleep ?? ((ms: number, s: AbortSignal) => sleepFor(ms, undefined, { signal: s }));
  let troubles = 0;
  let lastProblem = '';
  log.info({ dir: opts.dir ?? outboxDir() }, 'outbox deliverer started');
  while (!signal.aborted) {
    let wait = pollMs;
    let problem = '';
    try {
      const s = await deliverOutbox({ ...opts, config: opts.config ?? loadConfig(), signal, log: base, clock, random });
      troubles = s.serverTrouble ? troubles + 1 : 0;
      wait = waitAfter(s, troubles, clock.now(), pollMs, random);
      if (!s.configured && s.pending > 0) problem = `${s.pending} records wait, but no labServer is configured`;
    } catch (e) {
      if (signal.aborted) break;
      problem = e instanceof Error ? e.message : String(e);
    }
    // Said once, not every round: the loop polls every few seconds.
    if (problem && problem !== lastProblem) log.error({ problem }, 'outbox cannot deliver');
    lastProblem = problem;
    await sleep(wait, signal).catch(() => {});
  }
  log.info('outbox deliverer stopped');
}
