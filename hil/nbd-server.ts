// Serves one DriveBackend read-only over NBD on a Unix socket, so nbdfuse (and through it a loop
// device) shows the emulated drive to the kernel. Simple replies only: a failed read is an EIO with
// no data, which is exactly what the kernel turns into a failed direct read.
import net from 'node:net';
import type { DriveBackend } from './types.ts';
import { negotiate } from './nbd-handshake.ts';
import type { ExportInfo } from './nbd-handshake.ts';
import { SocketReader } from './socket-reader.ts';
import {
  CMD_DISC,
  CMD_FLUSH,
  CMD_READ,
  CMD_TRIM,
  CMD_WRITE,
  CMD_WRITE_ZEROES,
  EINVAL,
  EIO,
  EPERM,
  REQUEST_HEADER_SIZE,
  TFLAG_HAS_FLAGS,
  TFLAG_READ_ONLY,
  parseRequest,
  simpleReplyHeader,
} from './nbd-protocol.ts';
import type { NbdRequest } from './nbd-protocol.ts';

export interface NbdServerOptions {
  /** Largest read served in one request, in bytes (advertised as the maximum block size). Default 32 MiB. */
  readonly maxRequest?: number;
}

export interface NbdServerStats {
  connections: number;
  /** Every transmission request received, whatever its type. */
  requests: number;
  reads: number;
  /** Reads answered with EIO because the drive failed them. */
  readErrors: number;
  /** Payload bytes sent in successful read replies. */
  bytesRead: number;
  /** Replies held back on the drive's say-so (a hang). */
  hungReplies: number;
  /** Writes, trims and zeroes refused with EPERM. */
  refusedWrites: number;
  /** Requests answered EINVAL (out of range, too big, unknown command). */
  invalid: number;
}

export interface NbdServer {
  readonly socketPath: string;
  stats(): NbdServerStats;
  /** Drops every connection, cancels held replies and stops listening. */
  close(): Promise<void>;
}

const DEFAULT_MAX_REQUEST = 32 * 1024 * 1024;

export async function startNbdServer(
  backend: DriveBackend,
  socketPath: string,
  opts: NbdServerOptions = {},
): Promise<NbdServer> {
  const maxRequest = opts.maxRequest ?? DEFAULT_MAX_REQUEST;
  const info: ExportInfo = {
    size: backend.size,
    // No SEND_FLUSH: a read-only export has nothing to flush (FLUSH is still answered, harmlessly).
    transmissionFlags: TFLAG_HAS_FLAGS | TFLAG_READ_ONLY,
    minimumBlock: backend.sectorSize,
    preferredBlock: Math.max(4096, backend.sectorSize),
    maximumBlock: maxRequest,
  };
  const stats: NbdServerStats = {
    connections: 0,
    requests: 0,
    reads: 0,
    readErrors: 0,
    bytesRead: 0,
    hungReplies: 0,
    refusedWrites: 0,
    invalid: 0,
  };
  const sockets = new Set<net.Socket>();
  // Each held reply's cancel: clears its timer and settles its promise, so close() strands nothing.
  const cancels = new Set<() => void>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    stats.connections++;
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    void serveConnection(socket).catch(() => socket.destroy());
  });

  async function serveConnection(socket: net.Socket): Promise<void> {
    const reader = new SocketReader(socket);
    if (!(await negotiate(socket, reader, info))) {
      socket.end();
      return;
    }
    const held = new Set<Promise<void>>();
    for (;;) {
      const header = await reader.read(REQUEST_HEADER_SIZE);
      if (!header) break;
      const req = parseRequest(header);
      if (!req) break;
      stats.requests++;
      if (req.type === CMD_DISC) {
        // Outstanding (held) replies are still owed before the connection ends.
        await Promise.all(held);
        break;
      }
      if (req.type === CMD_WRITE) {
        if (!(await reader.skip(req.length))) break;
        stats.refusedWrites++;
        reply(socket, req, EPERM);
        continue;
      }
      if (req.type === CMD_TRIM || req.type === CMD_WRITE_ZEROES) {
        stats.refusedWrites++;
        reply(socket, req, EPERM);
        continue;
      }
      if (req.type === CMD_FLUSH) {
        reply(socket, req, 0);
        continue;
      }
      if (req.type !== CMD_READ) {
        stats.invalid++;
        reply(socket, req, EINVAL);
        continue;
      }
      serveRead(socket, req, held);
    }
    socket.end();
  }

  // Backend reads happen in request order, so the drive model sees the host's sequence; only the
  // sending of a hung reply waits, and NBD lets later replies overtake it (matched by cookie).
  function serveRead(socket: net.Socket, req: NbdRequest, held: Set<Promise<void>>): void {
    stats.reads++;
    if (req.length === 0 || req.length > maxRequest || req.offset + req.length > backend.size) {
      stats.invalid++;
      reply(socket, req, EINVAL);
      return;
    }
    const ss = backend.sectorSize;
    const start = Math.floor(req.offset / ss) * ss;
    const end = Math.ceil((req.offset + req.length) / ss) * ss;
    const outcome = backend.read(start, end - start);
    const send = () => {
      if (outcome.ok && outcome.data) {
        const skip = req.offset - start;
        stats.bytesRead += req.length;
        reply(socket, req, 0, outcome.data.subarray(skip, skip + req.length));
      } else {
        stats.readErrors++;
        reply(socket, req, EIO);
      }
    };
    if (outcome.hangMs > 0) {
      stats.hungReplies++;
      const done = new Promise<void>((resolve) => {
        const cancel = () => {
          clearTimeout(timer);
          cancels.delete(cancel);
          held.delete(done);
          resolve();
        };
        const timer = setTimeout(() => {
          cancel();
          send();
        }, outcome.hangMs);
        cancels.add(cancel);
      });
      held.add(done);
    } else {
      send();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    socketPath,
    stats: () => ({ ...stats }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const cancel of [...cancels]) cancel();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function reply(socket: net.Socket, req: NbdRequest, error: number, data?: Buffer): void {
  if (socket.destroyed || !socket.writable) return;
  socket.cork();
  socket.write(simpleReplyHeader(error, req.cookie));
  if (data) socket.write(data);
  socket.uncork();
}
