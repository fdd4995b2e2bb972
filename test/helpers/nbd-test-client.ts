// A deliberately literal NBD client for testing hil/nbd-server.ts byte by byte: it sends what a
// test says and hands back what the server answered, with no protocol smarts of its own.
import net from 'node:net';

export const IHAVEOPT = 0x49484156454f5054n;
export const REPLY_MAGIC = 0x3e889045565a9n;

export class NbdTestClient {
  readonly socket: net.Socket;
  #buf = Buffer.alloc(0);
  #waiters: (() => void)[] = [];
  #ended = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.#buf = Buffer.concat([this.#buf, d]);
      this.#notify();
    });
    socket.on('close', () => {
      this.#ended = true;
      this.#notify();
    });
    socket.on('error', () => {});
  }

  static connect(path: string): Promise<NbdTestClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(path, () => resolve(new NbdTestClient(s)));
      s.once('error', reject);
    });
  }

  /** Exactly n bytes; rejects if the server closes first. */
  async read(n: number): Promise<Buffer> {
    while (this.#buf.length < n) {
      if (this.#ended) throw new Error(`connection closed with ${this.#buf.length}/${n} bytes`);
      await new Promise<void>((r) => this.#waiters.push(r));
    }
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(n);
    return out;
  }

  /** Resolves when the server has closed the connection. */
  async closed(): Promise<void> {
    while (!this.#ended) await new Promise<void>((r) => this.#waiters.push(r));
  }

  write(b: Buffer): void {
    this.socket.write(b);
  }

  /** Reads the greeting and answers with the given client flags; returns the handshake flags. */
  async greet(clientFlags = 3): Promise<number> {
    const g = await this.read(18);
    if (g.toString('latin1', 0, 8) !== 'NBDMAGIC' || g.readBigUInt64BE(8) !== IHAVEOPT) throw new Error('bad greeting');
    const f = Buffer.alloc(4);
    f.writeUInt32BE(clientFlags);
    this.write(f);
    return g.readUInt16BE(16);
  }

  sendOption(option: number, data: Buffer = Buffer.alloc(0)): void {
    const h = Buffer.alloc(16);
    h.writeBigUInt64BE(IHAVEOPT, 0);
    h.writeUInt32BE(option, 8);
    h.writeUInt32BE(data.length, 12);
    this.write(Buffer.concat([h, data]));
  }

  async readOptionReply(): Promise<{ option: number; type: number; data: Buffer }> {
    const h = await this.read(20);
    if (h.readBigUInt64BE(0) !== REPLY_MAGIC) throw new Error('bad option reply magic');
    const length = h.readUInt32BE(16);
    return { option: h.readUInt32BE(8), type: h.readUInt32BE(12), data: await this.read(length) };
  }

  sendRequest(type: number, cookie: number, offset: number, length: number, payload?: Buffer): void {
    const h = Buffer.alloc(28);
    h.writeUInt32BE(0x25609513, 0);
    h.writeUInt16BE(0, 4);
    h.writeUInt16BE(type, 6);
    h.writeBigUInt64BE(BigInt(cookie), 8);
    h.writeBigUInt64BE(BigInt(offset), 16);
    h.writeUInt32BE(length, 24);
    this.write(payload ? Buffer.concat([h, payload]) : h);
  }

  /** A simple reply; dataLength bytes follow only when the server reports success. */
  async readSimpleReply(dataLength: number): Promise<{ error: number; cookie: number; data: Buffer }> {
    const h = await this.read(16);
    if (h.readUInt32BE(0) !== 0x67446698) throw new Error('bad simple reply magic');
    const error = h.readUInt32BE(4);
    const cookie = Number(h.readBigUInt64BE(8));
    return { error, cookie, data: error === 0 ? await this.read(dataLength) : Buffer.alloc(0) };
  }

  /** GO with the default export; returns the INFO replies' types and the export size and flags. */
  async go(): Promise<{ size: number; flags: number; blockSize?: [number, number, number] }> {
    const body = Buffer.alloc(4 + 2 + 2);
    body.writeUInt32BE(0, 0);
    body.writeUInt16BE(1, 4);
    body.writeUInt16BE(3, 6); // NBD_INFO_BLOCK_SIZE
    this.sendOption(7, body);
    let size = -1;
    let flags = -1;
    let blockSize: [number, number, number] | undefined;
    for (;;) {
      const r = await this.readOptionReply();
      if (r.type === 1) break;
      if (r.type !== 3) throw new Error(`GO answered ${r.type.toString(16)}`);
      const info = r.data.readUInt16BE(0);
      if (info === 0) {
        size = Number(r.data.readBigUInt64BE(2));
        flags = r.data.readUInt16BE(10);
      } else if (info === 3) {
        blockSize = [r.data.readUInt32BE(2), r.data.readUInt32BE(6), r.data.readUInt32BE(10)];
      }
    }
    return { size, flags, blockSize };
  }

  close(): void {
    this.socket.destroy();
  }

  #notify(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }
}
