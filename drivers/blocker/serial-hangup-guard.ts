// serialport 13 reads a tty with fs.read and, when a read returns 0 bytes, simply reads again
// (@serialport/bindings-cpp unix-read; serialport/bindings-cpp issue #162, still open). A tty
// that was hung up (a USB serial adapter unplugged, a pty whose other end closed) returns 0 on
// every read, so a read in flight at the moment of the hang-up spins for ever: a core at 100%,
// no 'close' event, and the loss is never seen. Measured here on a socat pty (test
// port-link-serial.test.ts). This binding wraps the platform one and takes a 0-byte read for what
// it is on a tty opened with VMIN=1: the device hung up.

import { read } from 'node:fs';
import { promisify } from 'node:util';
import { SerialPort } from 'serialport';
import type { SerialPortOpenOptions } from 'serialport';

type PlatformBinding = typeof SerialPort.binding;
type PlatformPort = Awaited<ReturnType<PlatformBinding['open']>>;
type OpenOptions = Parameters<PlatformBinding['open']>[0];

/** What the Linux and macOS bindings have beyond the interface: the fd and its poller. */
interface UnixInternals {
  readonly fd?: number | null;
  readonly poller?: { once(event: 'readable', cb: (err: Error | null) => void): unknown };
}

const readAsync = promisify(read);

function canceled(): Error {
  return Object.assign(new Error('Port is not open'), { canceled: true });
}

class HangupGuardedPort {
  readonly #inner: PlatformPort;
  readonly #path: string;

  constructor(inner: PlatformPort, path: string) {
    this.#inner = inner;
    this.#path = path;
  }

  get openOptions(): PlatformPort['openOptions'] {
    return this.#inner.openOptions;
  }

  get isOpen(): boolean {
    return this.#inner.isOpen;
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    const unix = this.#inner as PlatformPort & UnixInternals;
    const poller = unix.poller;
    if (unix.fd === undefined || !poller) return this.#inner.read(buffer, offset, length);
    for (;;) {
      if (unix.fd === null) throw canceled();
      let bytesRead: number;
      try {
        ({ bytesRead } = await readAsync(unix.fd, buffer, offset, length, null));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw err;
        if (unix.fd === null) throw canceled();
        await new Promise<void>((resolve, reject) => poller.once('readable', (e) => (e ? reject(e) : resolve())));
        continue;
      }
      if (bytesRead > 0) return { buffer, bytesRead };
      // Any error that is not `canceled` makes the stream close with a DisconnectedError.
      throw Object.assign(new Error(`${this.#path}: the device hung up (read returned end of file)`), { disconnect: true });
    }
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
  write(buffer: Buffer): Promise<void> {
    return this.#inner.write(buffer);
  }
  update(options: { baudRate: number }): Promise<void> {
    return this.#inner.update(options);
  }
  set(options: Parameters<PlatformPort['set']>[0]): Promise<void> {
    return this.#inner.set(options);
  }
  get(): ReturnType<PlatformPort['get']> {
    return this.#inner.get() as ReturnType<PlatformPort['get']>;
  }
  getBaudRate(): Promise<{ baudRate: number }> {
    return this.#inner.getBaudRate();
  }
  flush(): Promise<void> {
    return this.#inner.flush();
  }
  drain(): Promise<void> {
    return this.#inner.drain();
  }
}

const guardedBinding = {
  list: () => SerialPort.binding.list(),
  async open(options: OpenOptions): Promise<HangupGuardedPort> {
    const open = SerialPort.binding.open as (o: OpenOptions) => Promise<PlatformPort>;
    return new HangupGuardedPort(await open.call(SerialPort.binding, options), options.path);
  },
};

/** A closed SerialPort on an explicit path, 8N1, whose reads end in 'close' when the tty hangs up. */
export function guardedSerialPort(path: string, baudRate: number): SerialPort {
  // SerialPort's constructor lets options.binding replace the detected one; its type hides it.
  const options = { path, baudRate, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false, binding: guardedBinding };
  return new SerialPort(options as unknown as SerialPortOpenOptions<PlatformBinding>);
}
