import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockOutbox } from '../../../controller/labserver/deliverer-lock.ts';
import { enqueue, moveToSent, OutboxConflictError, pendingEntries, recordId, saveState } from '../../../controller/labserver/outbox.ts';
import { recordJson, tempDir } from './helpers.ts';

describe('enqueue', () => {
  it('writes the record byte for byte, read-only, leaving no temporary file', async () => {
    const dir = await tempDir();
    const json = await recordJson('e1');
    const q = await enqueue(json, undefined, { dir });
    expect(q).toEqual({ id: recordId(json), path: join(dir, `${recordId(json)}.json`), status: 'queued' });
    expect(q.id).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect(readFileSync(q.path, 'utf8')).toBe(json);
    expect(statSync(q.path).mode & 0o777).toBe(0o444);
    expect(readdirSync(dir).sort()).toEqual([`${q.id}.json`, 'sent'].sort());
    const [entry] = await pendingEntries(dir);
    expect(entry.state).toMatchObject({ id: q.id, attempts: 0 });
    expect(Date.parse(entry.state.nextAttemptAt)).toBeLessThanOrEqual(Date.now());
  });

  it('is a no-op for the same record, refuses another record under the same id, also once sent', async () => {
    const dir = await tempDir();
    const a = await recordJson('a');
    const b = await recordJson('b');
    await enqueue(a, 'job-1', { dir });
    expect((await enqueue(a, 'job-1', { dir })).status).toBe('already-queued');
    await expect(enqueue(b, 'job-1', { dir })).rejects.toBeInstanceOf(OutboxConflictError);
    expect(readFileSync(join(dir, 'job-1.json'), 'utf8')).toBe(a);

    const [entry] = await pendingEntries(dir);
    await moveToSent(dir, { ...entry.state, deliveredAt: new Date().toISOString() });
    expect(await enqueue(a, 'job-1', { dir })).toMatchObject({ status: 'already-sent', path: join(dir, 'sent', 'job-1.json') });
    await expect(enqueue(b, 'job-1', { dir })).rejects.toThrow(/never replaced/);
    expect(await pendingEntries(dir)).toEqual([]);
  });

  it('refuses ids that are not safe file names or header values, and text that is not a JSON object', async () => {
    const dir = await tempDir();
    for (const id of ['', '.hidden', '../up', 'a/b', 'a b', 'x'.repeat(129), 'semi;colon']) {
      await expect(enqueue('{}', id, { dir })).rejects.toThrow(RangeError);
    }
    await expect(enqueue('{"a":', 'x', { dir })).rejects.toThrow(/not JSON/);
    await expect(enqueue('[1,2]', 'x', { dir })).rejects.toThrow(/not a JSON object/);
  });
});

describe('the outbox after a crash', () => {
  it('drops a state left behind by a move to sent/ cut short, and ignores temporaries', async () => {
    const dir = await tempDir();
    const json = await recordJson('c');
    await enqueue(json, 'c1', { dir });
    const [entry] = await pendingEntries(dir);
    await saveState(dir, { ...entry.state, attempts: 3 });
    // As if the process died right after renaming the record into sent/.
    await saveState(join(dir, 'sent'), { ...entry.state, attempts: 3 });
    writeFileSync(join(dir, 'sent', 'c1.json'), json);
    rmSync(join(dir, 'c1.json'));
    writeFileSync(join(dir, '.x.json.123.tmp'), '{');
    expect(await pendingEntries(dir)).toEqual([]);
    expect(existsSync(join(dir, 'c1.state'))).toBe(false);
  });
});

describe('the deliverer lock', () => {
  it('lets one deliverer in, takes over from a dead process, and waits for a live one', async () => {
    const dir = await tempDir();
    const release = await lockOutbox(dir);
    expect(release).toBeDefined();
    expect(await lockOutbox(dir)).toBeUndefined();
    await release!();
    expect(existsSync(join(dir, '.deliverer.lock'))).toBe(false);

    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('close', r));
    writeFileSync(join(dir, '.deliverer.lock'), `${dead.pid}\n`);
    const again = await lockOutbox(dir);
    expect(readFileSync(join(dir, '.deliverer.lock'), 'utf8')).toBe(`${process.pid}\n`);
    await again!();

    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeFileSync(join(dir, '.deliverer.lock'), `${live.pid}\n`);
      expect(await lockOutbox(dir)).toBeUndefined();
    } finally {
      live.kill('SIGKILL');
    }
  });
});
