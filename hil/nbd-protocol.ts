// The NBD wire format (NetworkBlockDevice/nbd doc/proto.md): the numbers and the few
// messages our read-only server sends. Everything is big-endian on the wire.

export const NBDMAGIC = 0x4e42444d41474943n;
export const IHAVEOPT = 0x49484156454f5054n;
export const OPTION_REPLY_MAGIC = 0x3e889045565a9n;
export const REQUEST_MAGIC = 0x25609513;
export const SIMPLE_REPLY_MAGIC = 0x67446698;

export const FLAG_FIXED_NEWSTYLE = 1 << 0;
export const FLAG_NO_ZEROES = 1 << 1;
export const CLIENT_FLAGS_KNOWN = FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES;

export const TFLAG_HAS_FLAGS = 1 << 0;
export const TFLAG_READ_ONLY = 1 << 1;

export const OPT_EXPORT_NAME = 1;
export const OPT_ABORT = 2;
export const OPT_LIST = 3;
export const OPT_INFO = 6;
export const OPT_GO = 7;

export const REP_ACK = 1;
export const REP_SERVER = 2;
export const REP_INFO = 3;
export const REP_ERR_UNSUP = 2 ** 31 + 1;
export const REP_ERR_INVALID = 2 ** 31 + 3;
export const REP_ERR_TOO_BIG = 2 ** 31 + 9;

export const INFO_EXPORT = 0;
export const INFO_BLOCK_SIZE = 3;

export const CMD_READ = 0;
export const CMD_WRITE = 1;
export const CMD_DISC = 2;
export const CMD_FLUSH = 3;
export const CMD_TRIM = 4;
export const CMD_WRITE_ZEROES = 6;

export const EPERM = 1;
export const EIO = 5;
export const EINVAL = 22;

/** Fixed size of a transmission request header (magic, flags, type, cookie, offset, length). */
export const REQUEST_HEADER_SIZE = 28;

export function handshakeGreeting(): Buffer {
  const b = Buffer.alloc(18);
  b.writeBigUInt64BE(NBDMAGIC, 0);
  b.writeBigUInt64BE(IHAVEOPT, 8);
  b.writeUInt16BE(FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES, 16);
  return b;
}

export function optionReply(option: number, type: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(20 + data.length);
  b.writeBigUInt64BE(OPTION_REPLY_MAGIC, 0);
  b.writeUInt32BE(option, 8);
  b.writeUInt32BE(type, 12);
  b.writeUInt32BE(data.length, 16);
  data.copy(b, 20);
  return b;
}

export function infoExport(size: number, transmissionFlags: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(INFO_EXPORT, 0);
  b.writeBigUInt64BE(BigInt(size), 2);
  b.writeUInt16BE(transmissionFlags, 10);
  return b;
}

export function infoBlockSize(minimum: number, preferred: number, maximum: number): Buffer {
  const b = Buffer.alloc(14);
  b.writeUInt16BE(INFO_BLOCK_SIZE, 0);
  b.writeUInt32BE(minimum, 2);
  b.writeUInt32BE(preferred, 6);
  b.writeUInt32BE(maximum, 10);
  return b;
}

/** The answer to NBD_OPT_EXPORT_NAME, which has no option-reply framing. */
export function exportNameReply(size: number, transmissionFlags: number, noZeroes: boolean): Buffer {
  const b = Buffer.alloc(noZeroes ? 10 : 134);
  b.writeBigUInt64BE(BigInt(size), 0);
  b.writeUInt16BE(transmissionFlags, 8);
  return b;
}

export function simpleReplyHeader(error: number, cookie: Buffer): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32BE(SIMPLE_REPLY_MAGIC, 0);
  b.writeUInt32BE(error, 4);
  cookie.copy(b, 8);
  return b;
}

export interface NbdRequest {
  readonly flags: number;
  readonly type: number;
  /** Opaque 8 bytes echoed back in the reply. */
  readonly cookie: Buffer;
  readonly offset: number;
  readonly length: number;
}

/** Parses a 28-byte request header; null when the magic is wrong (the stream is unusable). */
export function parseRequest(h: Buffer): NbdRequest | null {
  if (h.readUInt32BE(0) !== REQUEST_MAGIC) return null;
  const offset = h.readBigUInt64BE(16);
  return {
    flags: h.readUInt16BE(4),
    type: h.readUInt16BE(6),
    cookie: Buffer.from(h.subarray(8, 16)),
    // Offsets beyond 2^53 cannot name a real drive position; clamp so the range check rejects them.
    offset: offset > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(offset),
    length: h.readUInt32BE(24),
  };
}
