// Fixed-newstyle option haggling for a server with one read-only export.
// Any export name is accepted: there is only one drive behind each server.
import type { Socket } from 'node:net';
import type { SocketReader } from './socket-reader.ts';
import {
  CLIENT_FLAGS_KNOWN,
  FLAG_NO_ZEROES,
  IHAVEOPT,
  OPT_ABORT,
  OPT_EXPORT_NAME,
  OPT_GO,
  OPT_INFO,
  OPT_LIST,
  REP_ACK,
  REP_ERR_INVALID,
  REP_ERR_TOO_BIG,
  REP_ERR_UNSUP,
  REP_INFO,
  REP_SERVER,
  exportNameReply,
  handshakeGreeting,
  infoBlockSize,
  infoExport,
  optionReply,
} from './nbd-protocol.ts';

export interface ExportInfo {
  readonly size: number;
  readonly transmissionFlags: number;
  readonly minimumBlock: number;
  readonly preferredBlock: number;
  readonly maximumBlock: number;
}

/** Option data we bother to hold: an export name (at most 4096 bytes) plus info requests. */
const MAX_OPTION_DATA = 16 * 1024;

/** Resolves true when the client entered transmission, false when the connection should end. */
export async function negotiate(socket: Socket, reader: SocketReader, info: ExportInfo): Promise<boolean> {
  socket.write(handshakeGreeting());
  const clientFlagsBuf = await reader.read(4);
  if (!clientFlagsBuf) return false;
  const clientFlags = clientFlagsBuf.readUInt32BE(0);
  // The spec requires dropping a client that asks for flags we did not offer.
  if ((clientFlags & ~CLIENT_FLAGS_KNOWN) !== 0) return false;
  const noZeroes = (clientFlags & FLAG_NO_ZEROES) !== 0;

  for (;;) {
    const head = await reader.read(16);
    if (!head || head.readBigUInt64BE(0) !== IHAVEOPT) return false;
    const option = head.readUInt32BE(8);
    const length = head.readUInt32BE(12);
    if (length > MAX_OPTION_DATA) {
      if (!(await reader.skip(length))) return false;
      socket.write(optionReply(option, REP_ERR_TOO_BIG));
      continue;
    }
    const data = await reader.read(length);
    if (!data) return false;

    switch (option) {
      case OPT_EXPORT_NAME:
        socket.write(exportNameReply(info.size, info.transmissionFlags, noZeroes));
        return true;
      case OPT_ABORT:
        socket.end(optionReply(option, REP_ACK));
        return false;
      case OPT_LIST:
        if (length !== 0) {
          socket.write(optionReply(option, REP_ERR_INVALID));
        } else {
          // One export, the default (empty) name: a u32 name length of zero.
          socket.write(optionReply(option, REP_SERVER, Buffer.alloc(4)));
          socket.write(optionReply(option, REP_ACK));
        }
        break;
      case OPT_INFO:
      case OPT_GO:
        if (!infoRequestWellFormed(data)) {
          socket.write(optionReply(option, REP_ERR_INVALID));
          break;
        }
        socket.write(optionReply(option, REP_INFO, infoExport(info.size, info.transmissionFlags)));
        // Sent whether asked for or not (the spec allows it), so a 4Kn drive is never read in 512s.
        socket.write(
          optionReply(option, REP_INFO, infoBlockSize(info.minimumBlock, info.preferredBlock, info.maximumBlock)),
        );
        socket.write(optionReply(option, REP_ACK));
        if (option === OPT_GO) return true;
        break;
      default:
        // Includes STRUCTURED_REPLY and STARTTLS: this server speaks simple replies in clear only.
        socket.write(optionReply(option, REP_ERR_UNSUP));
    }
  }
}

/** u32 name length, name, u16 request count, that many u16 info types — and nothing else. */
function infoRequestWellFormed(data: Buffer): boolean {
  if (data.length < 6) return false;
  const nameLength = data.readUInt32BE(0);
  if (4 + nameLength + 2 > data.length) return false;
  const count = data.readUInt16BE(4 + nameLength);
  return data.length === 4 + nameLength + 2 + 2 * count;
}
