// One deliverer at a time per outbox, across processes: two would send the same record at once
// and race to move it. The lock is a file holding the owner's pid; a lock whose process is gone
// (killed with SIGKILL, a power cut) is taken over. Best effort: the Idempotency-Key still protects
// the server if two deliverers ever overlap.

import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isCode, removeIfPresent } from '../durable-file.ts';

const LOCK_NAME = '.deliverer.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return !isCode(e, 'ESRCH');
  }
}

async function create(path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'wx', 0o644);
    try {
      await fh.writeFile(`${process.pid}\n`);
    } finally {
      await fh.close();
    }
    return true;
  } catch (e) {
    if (isCode(e, 'EEXIST')) return false;
    throw e;
  }
}

/** In this process, a drain holds the outbox until it releases it. */
const heldHere = new Set<string>();

/** Takes the outbox's lock; returns its release, or undefined when another deliverer holds it. */
export async function lockOutbox(dir: string): Promise<(() => Promise<void>) | undefined> {
  const path = join(dir, LOCK_NAME);
  if (heldHere.has(path)) return undefined;
  heldHere.add(path);
  const release = async (): Promise<void> => {
    heldHere.delete(path);
    await removeIfPresent(path);
  };
  try {
    if (await create(path)) return release;
    const owner = Number.parseInt((await readFile(path, 'utf8').catch(() => '')).trim(), 10);
    // A pid of ours left by a process that died, or by this process before a crash, is stale too.
    if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
      heldHere.delete(path);
      return undefined;
    }
    await unlink(path).catch(() => {});
    if (await create(path)) return release;
  } catch (e) {
    heldHere.delete(path);
    throw e;
  }
  heldHere.delete(path);
  return undefined;
}
