// The outbox on disk, `<stateDir>/outbox/`: one record per file, waiting for the lab server.
//
//   outbox/ID.json        the record, byte for byte as given to enqueue()
//   outbox/ID.state       its delivery state (JSON): attempts, next attempt, last outcome; absent
//                         until the first attempt (no state = never tried, due now)
//   outbox/sent/ID.json   delivered records, kept (they are evidence), never sent again
//   outbox/sent/ID.state  ... with the time and status of the acknowledgement
//
// Every write is durable (durable-file.ts), so the outbox survives a power cut at any point; the
// worst case is a record sent again after an acknowledgement that was not yet written down, which
// the Idempotency-Key makes harmless.

import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { stateDir } from '../audit-log.ts';
import { isCode, readIfPresent, removeIfPresent, syncDir, writeFileDurably } from '../durable-file.ts';
import type { Outcome } from './retry-schedule.ts';

/** Ids become file names and HTTP header values: a conservative alphabet. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface LastOutcome {
  readonly at: string;
  readonly kind: Outcome['kind'];
  readonly reason?: string;
  readonly status?: number;
  readonly detail?: string;
}

export interface EntryState {
  readonly id: string;
  /** Attempts started, including one cut short by a crash. */
  readonly attempts: number;
  /** ISO time; the entry is due when this is past. */
  readonly nextAttemptAt: string;
  readonly enqueuedAt: string;
  readonly lastAttemptAt?: string;
  /** An attempt was started and its outcome never written: the process died during it. */
  readonly inFlight?: boolean;
  readonly last?: LastOutcome;
  /** Set while the server's latest answer was a rejection (a 4xx): a human should look. */
  readonly rejected?: { readonly status: number; readonly detail: string; readonly at: string };
  readonly deliveredAt?: string;
}

export interface OutboxEntry {
  readonly id: string;
  readonly recordPath: string;
  readonly state: EntryState;
}

export type EnqueueStatus = 'queued' | 'already-queued' | 'already-sent';

export class OutboxConflictError extends Error {
  readonly path: string;

  constructor(path: string) {
    super(`${path} already holds a different record with this id: an outbox entry is never replaced`);
    this.name = 'OutboxConflictError';
    this.path = path;
  }
}

export function outboxDir(base: string = stateDir()): string {
  return join(base, 'outbox');
}

/** A record's id by default: its content's SHA-256, the same for every retry and every re-enqueue. */
export function recordId(json: string): string {
  return `sha256-${createHash('sha256').update(json).digest('hex')}`;
}

const recordFile = (dir: string, id: string): string => join(dir, `${id}.json`);
const stateFile = (dir: string, id: string): string => join(dir, `${id}.state`);
const sentDir = (dir: string): string => join(dir, 'sent');

/**
 * Puts a record in the outbox, durably, before returning. Enqueuing the same record again is a
 * no-op that says where it is; a different record under an id already used is refused.
 */
export async function enqueue(json: string, id: string = recordId(json), opts: { dir?: string } = {}): Promise<{ id: string; path: string; status: EnqueueStatus }> {
  if (!ID_PATTERN.test(id)) throw new RangeError(`bad outbox id '${id}': letters, digits, '.', '_', '-', at most 128, not starting with a dot`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new TypeError(`outbox entry ${id} is not JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError(`outbox entry ${id} is not a JSON object`);
  const dir = opts.dir ?? outboxDir();
  await mkdir(sentDir(dir), { recursive: true });
  for (const [where, status] of [[sentDir(dir), 'already-sent'], [dir, 'already-queued']] as const) {
    const path = recordFile(where, id);
    const existing = await readIfPresent(path);
    if (existing === undefined) continue;
    if (existing !== json) throw new OutboxConflictError(path);
    return { id, path, status };
  }
  const path = recordFile(dir, id);
  try {
    await writeFileDurably(path, json, { replace: false, mode: 0o444 });
  } catch (e) {
    if (!isCode(e, 'EEXIST')) throw e;
    // Another enqueue of the same id got there between our check and our link.
    if ((await readFile(path, 'utf8')) !== json) throw new OutboxConflictError(path);
    return { id, path, status: 'already-queued' };
  }
  return { id, path, status: 'queued' };
}

async function idsIn(dir: string, suffix: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if (isCode(e, 'ENOENT')) return [];
    throw e;
  }
  return names
    .filter((n) => n.endsWith(suffix))
    .map((n) => n.slice(0, -suffix.length))
    .filter((id) => ID_PATTERN.test(id));
}

async function stateOf(dir: string, id: string): Promise<EntryState> {
  const text = await readIfPresent(stateFile(dir, id));
  if (text !== undefined) {
    try {
      const s = JSON.parse(text) as EntryState;
      if (s.id === id && Number.isInteger(s.attempts) && !Number.isNaN(Date.parse(s.nextAttemptAt))) return s;
    } catch {
      // Written by rename, so never torn; a hand-edited file that no longer parses counts as fresh.
    }
  }
  const enqueuedAt = (await stat(recordFile(dir, id))).mtime.toISOString();
  return { id, attempts: 0, nextAttemptAt: enqueuedAt, enqueuedAt };
}

/** The records waiting for delivery, the most overdue first. */
export async function pendingEntries(dir: string): Promise<OutboxEntry[]> {
  const ids = await idsIn(dir, '.json');
  // A state left behind by a move to sent/ that was cut short.
  const pending = new Set(ids);
  for (const id of await idsIn(dir, '.state')) {
    if (!pending.has(id) && (await readIfPresent(recordFile(sentDir(dir), id))) !== undefined) await removeIfPresent(stateFile(dir, id));
  }
  const entries: OutboxEntry[] = [];
  for (const id of ids) {
    try {
      entries.push({ id, recordPath: recordFile(dir, id), state: await stateOf(dir, id) });
    } catch (e) {
      if (!isCode(e, 'ENOENT')) throw e; // delivered by another process while we listed
    }
  }
  const due = (e: OutboxEntry): number => Date.parse(e.state.nextAttemptAt);
  return entries.sort((a, b) => due(a) - due(b) || a.state.enqueuedAt.localeCompare(b.state.enqueuedAt) || (a.id < b.id ? -1 : 1));
}

/** The delivered records' final states, oldest delivery first. */
export async function sentEntries(dir: string): Promise<EntryState[]> {
  const out: EntryState[] = [];
  for (const id of await idsIn(sentDir(dir), '.json')) out.push(await stateOf(sentDir(dir), id));
  return out.sort((a, b) => (a.deliveredAt ?? '').localeCompare(b.deliveredAt ?? ''));
}

export function readRecord(entry: OutboxEntry): Promise<string> {
  return readFile(entry.recordPath, 'utf8');
}

export async function saveState(dir: string, state: EntryState): Promise<void> {
  await writeFileDurably(stateFile(dir, state.id), `${JSON.stringify(state, null, 2)}\n`, { replace: true });
}

/**
 * Moves a delivered record to sent/ with its final state. The state goes first: if the process dies
 * before the record moves, the record is still pending and is sent again (the server dedupes it).
 */
export async function moveToSent(dir: string, state: EntryState): Promise<void> {
  const sent = sentDir(dir);
  await mkdir(sent, { recursive: true });
  await saveState(sent, state);
  await rename(recordFile(dir, state.id), recordFile(sent, state.id));
  await syncDir(sent);
  await removeIfPresent(stateFile(dir, state.id));
  await syncDir(dir);
}

/**
 * Makes entries due now (all, or those named), rejected ones included: the way a human asks for a
 * retry after fixing the server or its configuration. Returns the ids that are pending.
 */
export async function retryNow(dir: string, ids: readonly string[] | undefined, now: number = Date.now()): Promise<string[]> {
  const done: string[] = [];
  for (const entry of await pendingEntries(dir)) {
    if (ids && !ids.includes(entry.id)) continue;
    await saveState(dir, { ...entry.state, nextAttemptAt: new Date(now).toISOString() });
    done.push(entry.id);
  }
  return done;
}
