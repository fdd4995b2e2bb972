import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Algo } from '../../../controller/evidence/algorithms.ts';
import { parseHashStates } from '../../../controller/evidence/hash-state.ts';
import { MultiHasher } from '../../../controller/evidence/hasher.ts';
import { feedFile, hashFile } from '../../../controller/evidence/rehash.ts';

const ALL: Algo[] = ['md5', 'sha1', 'sha256'];
const data = randomBytes(1_000_000);
const whole = Object.fromEntries(ALL.map((a) => [a, createHash(a).update(data).digest('hex')]));
const dir = mkdtempSync(join(tmpdir(), 'imagebox-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a hash that survives a resume', () => {
  it('continues from saved hash-wasm states (through JSON) to the uninterrupted hash, windows included', async () => {
    const window = 4096 * 30;
    const half = 487_123; // inside a window, not on a sector boundary
    const first = await MultiHasher.create({ algos: ALL, engine: 'wasm', window });
    await first.update(data.subarray(0, half));
    const saved = JSON.parse(JSON.stringify(await first.save())) as unknown;
    // The job goes on after the checkpoint and then dies: those bytes are hashed again on resume.
    await first.update(data.subarray(half, half + 50_000));
    await first.close();

    const states = parseHashStates(saved);
    expect(states.map((s) => s.bytes)).toEqual([half, half, half]);
    const second = await MultiHasher.create({ algos: ALL, engine: 'wasm', window, resume: states });
    expect(second.bytes).toBe(half);
    await second.update(data.subarray(half));
    const resumed = await second.finish();

    const straight = await MultiHasher.create({ algos: ALL, window });
    await straight.update(data);
    const uninterrupted = await straight.finish();

    expect(resumed.digests).toEqual(whole);
    expect(resumed.bytes).toBe(data.length);
    expect(resumed.pieces).toEqual(uninterrupted.pieces);
  });

  it('refuses to resume with node:crypto, and refuses states that disagree', async () => {
    const h = await MultiHasher.create({ algos: ['md5'], engine: 'wasm' });
    await h.update(data.subarray(0, 10));
    const states = await h.save();
    await h.close();
    await expect(MultiHasher.create({ algos: ['md5'], resume: states })).rejects.toThrow(/wasm/);
    const other = { ...states[0], algo: 'sha1' as const, bytes: 11 };
    await expect(MultiHasher.create({ algos: ['md5', 'sha1'], engine: 'wasm', resume: [states[0], other] })).rejects.toThrow(/disagree/);
  });

  it('rejects damaged saved states', () => {
    expect(() => parseHashStates([{ algo: 'md4', bytes: 1, state: '' }])).toThrow(/algorithm/);
    expect(() => parseHashStates([{ algo: 'md5', bytes: -1, state: '' }])).toThrow(/byte count/);
    expect(() =>
      parseHashStates([{ algo: 'md5', bytes: 10, state: '', window: { size: 4096, partial: 3, state: '', pieces: [] } }]),
    ).toThrow(/cover 3 bytes/);
  });

  it('or re-hashes what was already written, then goes on with the stream', async () => {
    const image = join(dir, 'partial.img');
    const written = 600_000;
    writeFileSync(image, data.subarray(0, written));
    const h = await MultiHasher.create({ algos: ALL });
    await feedFile(h, image, 0, written);
    await h.update(data.subarray(written));
    expect(await h.digest()).toEqual(whole);
  });

  it('hashes an image shorter than its size as if zero-filled to the size', async () => {
    const image = join(dir, 'short.img');
    writeFileSync(image, data.subarray(0, 1000));
    const r = await hashFile(image, { algos: ['md5'], size: 5000 });
    const padded = Buffer.concat([data.subarray(0, 1000), Buffer.alloc(4000)]);
    expect(r.digests.md5).toBe(createHash('md5').update(padded).digest('hex'));
    expect(r.bytes).toBe(5000);
  });
});
