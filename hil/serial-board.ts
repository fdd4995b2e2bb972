// The port controller board, emulated: per drive port a write-protect switch and a power relay,
// speaking docs/serial-protocol.md. It knows nothing of how bytes reach it: hil/serial-blocker.ts
// serves it on a pty pair (socat), drivers/blocker/port-link-emulated.ts in-process. Faults are data:
// stop answering, answer garbage, answer with bad checksums, answer late, a stuck relay.

import { LineSplitter } from '../drivers/blocker/line-splitter.ts';
import {
  encodeErr,
  encodeEvent,
  encodeOk,
  parseBoardLine,
  type ErrorCode,
  type OkBody,
  type OnOff,
  type Request,
} from '../drivers/blocker/serial-protocol.ts';

export type BoardFault = 'none' | 'silent' | 'garbage' | 'bad-checksum';

export interface SerialBoardOptions {
  readonly ports?: number;
  readonly firmware?: string;
  readonly version?: string;
  /** Initial write-protect switches, port 1 first (default: all engaged). */
  readonly writeProtect?: readonly boolean[];
  /** Initial relays, port 1 first (default: all on). */
  readonly power?: readonly boolean[];
}

export interface BoardConnection {
  receive(chunk: Buffer | string): void;
  detach(): void;
}

/** What the line noise of the 'garbage' fault looks like: bytes no protocol line can hold. */
export const NOISE = '\xff\x00~?\x13%#\xfe';

export class SerialBoard {
  readonly ports: number;
  readonly firmware: string;
  readonly version: string;
  /** Every request the board understood, in order: tests count tries and tags by it. */
  readonly requests: { readonly seq: number; readonly req: Request }[] = [];
  /** Lines the board could not read (answered `0 ERR BADLINE`). */
  badLines = 0;
  fault: BoardFault = 'none';
  readonly stuckRelays = new Set<number>();
  readonly #wp: boolean[];
  readonly #pwr: boolean[];
  readonly #delays: number[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  #out: ((text: string) => void) | undefined;

  constructor(opts: SerialBoardOptions = {}) {
    this.ports = opts.ports ?? 4;
    this.firmware = opts.firmware ?? 'imagebox-pc';
    this.version = opts.version ?? '1.0.0';
    this.#wp = Array.from({ length: this.ports }, (_, i) => opts.writeProtect?.[i] ?? true);
    this.#pwr = Array.from({ length: this.ports }, (_, i) => opts.power?.[i] ?? true);
  }

  /** Connect the board's UART to a byte sink; the returned side takes the bytes coming in. */
  attach(out: (text: string) => void): BoardConnection {
    this.#out = out;
    const splitter = new LineSplitter();
    return {
      receive: (chunk) => {
        for (const item of splitter.push(chunk)) {
          if ('overflow' in item) this.#badLine();
          else this.#handle(item.line);
        }
      },
      detach: () => {
        if (this.#out === out) this.#out = undefined;
        for (const t of this.#timers) clearTimeout(t);
        this.#timers.clear();
      },
    };
  }

  writeProtect(port: number): boolean {
    return this.#wp[this.#index(port)];
  }

  power(port: number): boolean {
    return this.#pwr[this.#index(port)];
  }

  /** The operator flips a write-protect switch: the board announces it. */
  setWriteProtect(port: number, engaged: boolean): void {
    const i = this.#index(port);
    if (this.#wp[i] === engaged) return;
    this.#wp[i] = engaged;
    this.#send(encodeEvent('WP', port, onOff(engaged)));
  }

  /** The relay changes by itself (front-panel button, over-current trip): the board announces it. */
  setPower(port: number, on: boolean): void {
    const i = this.#index(port);
    if (this.#pwr[i] === on) return;
    this.#pwr[i] = on;
    this.#send(encodeEvent('PWR', port, onOff(on)));
  }

  /** Hold back the next `count` answers by `ms` each (answers that come after the host gave up). */
  delayAnswers(ms: number, count = 1): void {
    for (let i = 0; i < count; i++) this.#delays.push(ms);
  }

  /** Raw bytes onto the line, as noise or a hand-made line would arrive. */
  sendRaw(text: string): void {
    this.#out?.(text);
  }

  #index(port: number): number {
    if (!Number.isInteger(port) || port < 1 || port > this.ports) throw new RangeError(`no port ${port}`);
    return port - 1;
  }

  #handle(line: string): void {
    const parsed = parseBoardLine(line);
    if (parsed.kind === 'garbage') return this.#badLine();
    if (parsed.kind === 'refuse') return this.#answer(encodeErr(parsed.seq, parsed.code));
    this.requests.push(parsed);
    if (this.fault === 'silent') return;
    const { seq, req } = parsed;
    const result = this.#execute(req);
    if (typeof result === 'string') return this.#answer(encodeErr(seq, result));
    this.#answer(encodeOk(seq, result.body), result.event);
  }

  #execute(req: Request): ErrorCode | { body: OkBody; event?: string } {
    if (req.cmd === 'ID') return { body: { cmd: 'ID', firmware: this.firmware, version: this.version, ports: this.ports } };
    if (req.port < 1 || req.port > this.ports) return 'BADPORT';
    const i = req.port - 1;
    if (req.cmd === 'WP') return { body: { cmd: 'WP', port: req.port, value: onOff(this.#wp[i]) } };
    let event: string | undefined;
    if (req.set !== undefined && (req.set === 'ON') !== this.#pwr[i]) {
      if (this.stuckRelays.has(req.port)) return 'FAULT';
      this.#pwr[i] = req.set === 'ON';
      event = encodeEvent('PWR', req.port, req.set);
    }
    return { body: { cmd: 'PWR', port: req.port, value: onOff(this.#pwr[i]) }, event };
  }

  #badLine(): void {
    this.badLines++;
    this.#answer(encodeErr(0, 'BADLINE'));
  }

  /** An answer, then the event it caused; both held back together when answers are delayed. */
  #answer(line: string, event?: string): void {
    const delay = this.#delays.shift();
    const send = (): void => {
      this.#send(line);
      if (event) this.#send(event);
    };
    if (delay === undefined) return send();
    const t = setTimeout(() => {
      this.#timers.delete(t);
      send();
    }, delay);
    this.#timers.add(t);
  }

  #send(line: string): void {
    if (this.fault === 'silent') return;
    if (this.fault === 'garbage') return this.#out?.(`${NOISE}\n`);
    if (this.fault === 'bad-checksum') return this.#out?.(corruptChecksum(line));
    this.#out?.(line);
  }
}

function onOff(b: boolean): OnOff {
  return b ? 'ON' : 'OFF';
}

/** The same line with its checksum off by one bit, as a flipped bit on the wire would leave it. */
function corruptChecksum(line: string): string {
  const star = line.lastIndexOf('*');
  const ck = (parseInt(line.slice(star + 1, star + 3), 16) ^ 0x01).toString(16).toUpperCase().padStart(2, '0');
  return `${line.slice(0, star + 1)}${ck}\n`;
}
