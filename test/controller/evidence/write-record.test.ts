import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateRecord } from '../../../controller/evidence/record-schema.ts';
import { unreadFromBlocks } from '../../../controller/evidence/unread.ts';
import { RecordExistsError, writeRecord } from '../../../controller/evidence/write-record.ts';
import { makeRecord } from './fixture-record.ts';

const root = mkdtempSync(join(tmpdir(), 'imagebox-record-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const hex = (algo: string, b: Buffer): string => createHash(algo).update(b).digest('hex');

/** A folder with a split image: a segment in a subfolder, and names that md5sum must unescape. */
function caseFolder(name: string) {
  const dir = join(root, name);
  mkdirSync(join(dir, 'parts'), { recursive: true });
  const names = ['parts/case1.001', 'case 1.002', 'odd\\name.003'];
  const segments = names.map((file) => {
    const data = randomBytes(4096 + Math.floor(Math.random() * 4096));
    writeFileSync(join(dir, file), data);
    return { file, sizeBytes: data.length, hashes: { md5: hex('md5', data), sha1: hex('sha1', data), sha256: hex('sha256', data) } };
  });
  const record = makeRecord(unreadFromBlocks([{ pos: 0, size: 512 }], 512), { md5: 'a'.repeat(32), sha256: 'b'.repeat(64) }, {
    output: { format: 'split-raw', segments },
    piecewise: { windowBytes: 4096, pieces: [{ offset: 0, length: 4096, hashes: { md5: 'c'.repeat(32), sha256: 'd'.repeat(64) } }] },
  });
  return { dir, record };
}

function check(tool: string, dir: string, list: string) {
  return spawnSync(tool, ['-c', '--strict', list], { cwd: dir, encoding: 'utf8' });
}

describe('writeRecord', () => {
  it('writes the JSON, both reports, the piecewise log and hash lists that md5sum/sha1sum/sha256sum -c accept', async () => {
    const { dir, record } = caseFolder('ok');
    const written = await writeRecord(dir, 'case1', record);
    expect(written.map((p) => p.slice(dir.length + 1)).sort()).toEqual(
      ['case1.html', 'case1.json', 'case1.md5', 'case1.piecewise.txt', 'case1.sha1', 'case1.sha256', 'case1.txt'],
    );
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(validateRecord(JSON.parse(readFileSync(join(dir, 'case1.json'), 'utf8')))).toEqual(record);
    expect(readFileSync(join(dir, 'case1.piecewise.txt'), 'utf8')).toContain(`0 - 4096: ${'c'.repeat(32)}\nTotal (md5): ${'a'.repeat(32)}`);
    expect(readFileSync(join(dir, 'case1.txt'), 'utf8')).toContain('MD5 of the image, with 1 unread sector filled with zeros');

    for (const [tool, list] of [['md5sum', 'case1.md5'], ['sha1sum', 'case1.sha1'], ['sha256sum', 'case1.sha256']]) {
      const r = check(tool, dir, list);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe('parts/case1.001: OK\ncase 1.002: OK\nodd\\name.003: OK\n');
    }
  });

  it('gives lists that catch a changed segment', async () => {
    const { dir, record } = caseFolder('tampered');
    await writeRecord(dir, 'case1', record);
    const seg = join(dir, 'case 1.002');
    const b = readFileSync(seg);
    b[100] ^= 1;
    writeFileSync(seg, b);
    for (const [tool, list] of [['md5sum', 'case1.md5'], ['sha256sum', 'case1.sha256']]) {
      const r = check(tool, dir, list);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('case 1.002: FAILED');
    }
  });

  it('never overwrites: a second record of the same name is refused and the first is left as it was', async () => {
    const { dir, record } = caseFolder('twice');
    await writeRecord(dir, 'case1', record);
    const before = readFileSync(join(dir, 'case1.json'), 'utf8');
    const other = { ...record, case: { ...record.case, notes: 'changed' } };
    await expect(writeRecord(dir, 'case1', other)).rejects.toBeInstanceOf(RecordExistsError);
    expect(readFileSync(join(dir, 'case1.json'), 'utf8')).toBe(before);

    // Only one of the files exists (a report someone left): still refused, and nothing else appears.
    const lone = join(root, 'lone');
    mkdirSync(lone);
    writeFileSync(join(lone, 'case1.html'), 'mine');
    await expect(writeRecord(lone, 'case1', record)).rejects.toThrow(/already exists/);
    expect(readdirSync(lone)).toEqual(['case1.html']);
    expect(readFileSync(join(lone, 'case1.html'), 'utf8')).toBe('mine');
  });

  it('refuses a name that would leave the folder, and an invalid record', async () => {
    const { dir, record } = caseFolder('bad');
    await expect(writeRecord(dir, '../x', record)).rejects.toThrow(/bad record name/);
    await expect(writeRecord(dir, 'x', { ...record, hashes: [{ algorithm: 'md5', hex: 'nope' }] })).rejects.toThrow(/hex digest/);
    expect(readdirSync(dir).filter((f) => f.startsWith('x.'))).toEqual([]);
  });
});
