import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startNbdServer } from '../../hil/nbd-server.ts';
import type { NbdServer } from '../../hil/nbd-server.ts';
import { BufferDrive } from '../helpers/buffer-drive.ts';
import { NbdTestClient } from '../helpers/nbd-test-client.ts';

const ERR_UNSUP = 2 ** 31 + 1;
const ERR_INVALID = 2 ** 31 + 3;

describe('NBD server (wire protocol)', () => {
  let dir: string;
  let server: NbdServer;
  let drive: BufferDrive;
  let client: NbdTestClient;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nbd-test-'));
    drive = new BufferDrive({ size: 64 * 512, sectorSize: 512, bad: [10], hang: new Map([[20, 600]]) });
    server = await startNbdServer(drive, path.join(dir, 's.sock'), { maxRequest: 8192 });
    client = await NbdTestClient.connect(path.join(dir, 's.sock'));
  });

  afterEach(async () => {
    client.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('offers fixed newstyle without zeroes, and drops a client asking for unknown flags', async () => {
    expect(await client.greet(0x80 | 1)).toBe(3);
    await client.closed();
  });

  it('answers LIST, INFO, and refuses structured replies and unknown options', async () => {
    await client.greet();
    client.sendOption(3);
    const server1 = await client.readOptionReply();
    expect(server1.type).toBe(2);
    expect(server1.data.readUInt32BE(0)).toBe(0);
    expect((await client.readOptionReply()).type).toBe(1);

    client.sendOption(3, Buffer.from('x'));
    expect((await client.readOptionReply()).type).toBe(ERR_INVALID);

    client.sendOption(8); // STRUCTURED_REPLY
    expect((await client.readOptionReply()).type).toBe(ERR_UNSUP);
    client.sendOption(42);
    expect((await client.readOptionReply()).type).toBe(ERR_UNSUP);

    const info = Buffer.alloc(6); // empty name, no info requests
    client.sendOption(6, info);
    const types: number[] = [];
    for (;;) {
      const r = await client.readOptionReply();
      types.push(r.type === 3 ? r.data.readUInt16BE(0) : -r.type);
      if (r.type !== 3) break;
    }
    // INFO_EXPORT, INFO_BLOCK_SIZE (unrequested but allowed), then ACK — and still in option haggling.
    expect(types).toEqual([0, 3, -1]);
    const go = await client.go();
    expect(go).toEqual({ size: 64 * 512, flags: 1 | 2, blockSize: [512, 4096, 8192] });
  });

  it('answers EXPORT_NAME with size and flags (no zero padding when negotiated)', async () => {
    await client.greet(3);
    client.sendOption(1, Buffer.from('anything'));
    const r = await client.read(10);
    expect(Number(r.readBigUInt64BE(0))).toBe(64 * 512);
    expect(r.readUInt16BE(8)).toBe(3);
    client.sendRequest(0, 1, 0, 512);
    const reply = await client.readSimpleReply(512);
    expect(reply).toMatchObject({ error: 0, cookie: 1 });
    expect(reply.data.equals(drive.bytes(0, 512))).toBe(true);
  });

  it('ABORT is acknowledged and ends the connection', async () => {
    await client.greet();
    client.sendOption(2);
    expect((await client.readOptionReply()).type).toBe(1);
    await client.closed();
  });

  it('serves unaligned reads by widening to sectors, and fails exactly the reads touching a bad sector', async () => {
    await client.greet();
    await client.go();
    client.sendRequest(0, 7, 9 * 512 + 100, 400); // inside sector 9, next to the bad one
    const near = await client.readSimpleReply(400);
    expect(near.error).toBe(0);
    expect(near.data.equals(drive.bytes(9 * 512 + 100, 400))).toBe(true);
    expect(drive.calls.at(-1)).toEqual({ pos: 9 * 512, len: 512 });

    client.sendRequest(0, 8, 9 * 512 + 500, 20); // straddles 9 and 10
    expect(await client.readSimpleReply(20)).toMatchObject({ error: 5, cookie: 8 });
    client.sendRequest(0, 9, 11 * 512, 1024);
    const after = await client.readSimpleReply(1024);
    expect(after.error).toBe(0);
    expect(after.data.equals(drive.bytes(11 * 512, 1024))).toBe(true);
    expect(server.stats()).toMatchObject({ reads: 3, readErrors: 1, bytesRead: 1424 });
  });

  it('refuses writes with EPERM (consuming the payload), trims and zeroes too; rejects bad ranges with EINVAL', async () => {
    await client.greet();
    await client.go();
    client.sendRequest(1, 1, 0, 1024, Buffer.alloc(1024, 0xee));
    expect(await client.readSimpleReply(0)).toMatchObject({ error: 1, cookie: 1 });
    client.sendRequest(4, 2, 0, 512);
    expect(await client.readSimpleReply(0)).toMatchObject({ error: 1, cookie: 2 });
    client.sendRequest(6, 3, 0, 512);
    expect(await client.readSimpleReply(0)).toMatchObject({ error: 1, cookie: 3 });
    client.sendRequest(3, 4, 0, 0); // FLUSH
    expect(await client.readSimpleReply(0)).toMatchObject({ error: 0, cookie: 4 });
    client.sendRequest(0, 5, 63 * 512, 1024); // past the end
    expect(await client.readSimpleReply(0)).toMatchObject({ error: 22, cookie: 5 });
    client.sendRequest(0, 6, 0, 16384); // over maxRequest
    expect(await client.readSimpleReply(0)).toMatchObject({ error: 22, cookie: 6 });
    client.sendRequest(99, 7, 0, 0);
    expect(await client.readSimpleReply(0)).toMatchObject({ error: 22, cookie: 7 });
    // The stream is still in step after all that: a read works.
    client.sendRequest(0, 8, 0, 512);
    expect(await client.readSimpleReply(512)).toMatchObject({ error: 0, cookie: 8 });
    expect(server.stats()).toMatchObject({ refusedWrites: 3, invalid: 3 });
  });

  it('holds back only the hung reply: a later read overtakes it, and DISC waits for it', async () => {
    await client.greet();
    await client.go();
    const t0 = performance.now();
    client.sendRequest(0, 1, 20 * 512, 512); // hangs 600 ms, then fails
    client.sendRequest(0, 2, 0, 512);
    const first = await client.readSimpleReply(512);
    expect(first).toMatchObject({ error: 0, cookie: 2 });
    expect(performance.now() - t0).toBeLessThan(450);
    client.sendRequest(2, 3, 0, 0); // DISC while the hung reply is owed
    const second = await client.readSimpleReply(0);
    expect(second).toMatchObject({ error: 5, cookie: 1 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(590);
    await client.closed();
    expect(server.stats().hungReplies).toBe(1);
  });

  it('close() drops connections even with a reply held back', async () => {
    await client.greet();
    await client.go();
    client.sendRequest(0, 1, 20 * 512, 512);
    await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    await server.close();
    await client.closed();
    expect(performance.now() - t0).toBeLessThan(250);
  });
});
