// The port controller's line protocol (docs/serial-protocol.md), both directions. The host and
// the emulated board (hil/serial-board.ts) share this module, so the board cannot drift from the
// host's idea of the format. Everything here is pure: strings in, typed values out.

/** Longest line either side accepts, checksum included, newline not. */
export const MAX_LINE = 80;
/** Sequence tags run 1..MAX_SEQ and wrap; 0 is reserved for answers to no request. */
export const MAX_SEQ = 9999;
export const MAX_PORTS = 8;

export type OnOff = 'ON' | 'OFF';
export type ErrorCode = 'BADLINE' | 'BADCMD' | 'BADPORT' | 'BADARG' | 'FAULT';
const ERROR_CODES: readonly string[] = ['BADLINE', 'BADCMD', 'BADPORT', 'BADARG', 'FAULT'];

export type Request =
  | { readonly cmd: 'ID' }
  | { readonly cmd: 'WP'; readonly port: number }
  | { readonly cmd: 'PWR'; readonly port: number; readonly set?: OnOff };

export type OkBody =
  | { readonly cmd: 'ID'; readonly firmware: string; readonly version: string; readonly ports: number }
  | { readonly cmd: 'WP' | 'PWR'; readonly port: number; readonly value: OnOff };

export type HostLine =
  | { readonly kind: 'ok'; readonly seq: number; readonly body: OkBody }
  | { readonly kind: 'err'; readonly seq: number; readonly code: ErrorCode }
  | { readonly kind: 'event'; readonly what: 'WP' | 'PWR'; readonly port: number; readonly value: OnOff }
  | Garbage;

/** What the board makes of a line: a request, one it refuses (answered `seq ERR code`), or garbage (`0 ERR BADLINE`). */
export type BoardLine =
  | { readonly kind: 'request'; readonly seq: number; readonly req: Request }
  | { readonly kind: 'refuse'; readonly seq: number; readonly code: ErrorCode }
  | Garbage;

export interface Garbage {
  readonly kind: 'garbage';
  readonly reason: string;
}

const SEQ = /^[1-9][0-9]{0,3}$/;
const PORT = /^[1-8]$/;
const NAME = /^[A-Za-z0-9._-]{1,16}$/;
const PRINTABLE = /^[\x20-\x29\x2b-\x7e]+$/; // printable ASCII without '*'

/** XOR of the body's bytes as two upper-case hex digits (the NMEA 0183 checksum). */
export function checksum(body: string): string {
  let x = 0;
  for (let i = 0; i < body.length; i++) x ^= body.charCodeAt(i);
  return x.toString(16).toUpperCase().padStart(2, '0');
}

/** One line on the wire: body, '*', checksum, newline. */
export function frame(body: string): string {
  if (!PRINTABLE.test(body) || body.length + 3 > MAX_LINE) throw new RangeError(`cannot frame ${JSON.stringify(body)}`);
  return `${body}*${checksum(body)}\n`;
}

type Unframed = { readonly ok: true; readonly tokens: string[] } | Garbage;

/** Checks framing and checksum of a line without its newline; one trailing CR is tolerated. */
export function unframe(raw: string): Unframed {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (line.length > MAX_LINE) return garbage(`line longer than ${MAX_LINE} bytes`);
  if (!/^[\x20-\x7e]*$/.test(line)) return garbage('bytes outside printable ASCII');
  const star = line.length - 3;
  if (star < 1 || line[star] !== '*') return garbage('no checksum');
  const body = line.slice(0, star);
  if (!PRINTABLE.test(body)) return garbage('more than one checksum mark');
  if (line.slice(star + 1) !== checksum(body)) return garbage('checksum mismatch');
  const tokens = body.split(' ');
  if (tokens.some((t) => t === '')) return garbage('empty token (double, leading or trailing space)');
  return { ok: true, tokens };
}

function garbage(reason: string): Garbage {
  return { kind: 'garbage', reason };
}

const isOnOff = (t: string | undefined): t is OnOff => t === 'ON' || t === 'OFF';

export function nextSeq(seq: number): number {
  return seq >= MAX_SEQ ? 1 : seq + 1;
}

export function encodeRequest(seq: number, req: Request): string {
  if (!Number.isInteger(seq) || seq < 1 || seq > MAX_SEQ) throw new RangeError(`bad sequence tag ${seq}`);
  return frame([String(seq), ...requestTokens(req)].join(' '));
}

export function requestTokens(req: Request): string[] {
  if (req.cmd === 'ID') return ['ID'];
  if (req.cmd === 'WP') return ['WP', String(req.port)];
  return req.set ? ['PWR', String(req.port), req.set] : ['PWR', String(req.port)];
}

export function encodeOk(seq: number, body: OkBody): string {
  const rest =
    body.cmd === 'ID' ? [body.firmware, body.version, String(body.ports)] : [String(body.port), body.value];
  return frame([String(seq), 'OK', body.cmd, ...rest].join(' '));
}

export function encodeErr(seq: number, code: ErrorCode): string {
  return frame(`${seq} ERR ${code}`);
}

export function encodeEvent(what: 'WP' | 'PWR', port: number, value: OnOff): string {
  return frame(`EVT ${what} ${port} ${value}`);
}

/** A line the host received: an answer, an event, or garbage with the reason. */
export function parseHostLine(raw: string): HostLine {
  const u = unframe(raw);
  if (!('ok' in u)) return u;
  const t = u.tokens;
  if (t[0] === 'EVT') {
    if (t.length === 4 && (t[1] === 'WP' || t[1] === 'PWR') && PORT.test(t[2]) && isOnOff(t[3])) {
      return { kind: 'event', what: t[1], port: Number(t[2]), value: t[3] };
    }
    return garbage('malformed event');
  }
  if (t[0] !== '0' && !SEQ.test(t[0])) return garbage('no sequence tag');
  const seq = Number(t[0]);
  if (t[1] === 'ERR') {
    if (t.length === 3 && ERROR_CODES.includes(t[2])) return { kind: 'err', seq, code: t[2] as ErrorCode };
    return garbage('malformed error answer');
  }
  if (t[1] !== 'OK' || seq === 0) return garbage('malformed answer');
  const body = okBody(t.slice(2));
  return body ? { kind: 'ok', seq, body } : garbage('malformed OK answer');
}

function okBody(t: string[]): OkBody | undefined {
  if (t[0] === 'ID' && t.length === 4 && NAME.test(t[1]) && NAME.test(t[2]) && PORT.test(t[3])) {
    return { cmd: 'ID', firmware: t[1], version: t[2], ports: Number(t[3]) };
  }
  if ((t[0] === 'WP' || t[0] === 'PWR') && t.length === 3 && PORT.test(t[1]) && isOnOff(t[2])) {
    return { cmd: t[0], port: Number(t[1]), value: t[2] };
  }
  return undefined;
}

/** A line the board received. Only a line with a good checksum can be refused by its tag. */
export function parseBoardLine(raw: string): BoardLine {
  const u = unframe(raw);
  if (!('ok' in u)) return u;
  const [tag, cmd, ...args] = u.tokens;
  if (!SEQ.test(tag)) return garbage('no sequence tag');
  const seq = Number(tag);
  const refuse = (code: ErrorCode): BoardLine => ({ kind: 'refuse', seq, code });
  if (cmd === 'ID') return args.length === 0 ? { kind: 'request', seq, req: { cmd } } : refuse('BADARG');
  if (cmd !== 'WP' && cmd !== 'PWR') return refuse('BADCMD');
  const max = cmd === 'WP' ? 1 : 2;
  if (args.length < 1 || args.length > max || !/^[0-9]{1,2}$/.test(args[0])) return refuse('BADARG');
  const port = Number(args[0]);
  if (args.length === 1) return { kind: 'request', seq, req: { cmd, port } };
  return isOnOff(args[1]) ? { kind: 'request', seq, req: { cmd: 'PWR', port, set: args[1] } } : refuse('BADARG');
}

/** Whether an OK answer is the answer to this request: the same command and port. (A set answers with
 * the relay's state afterwards, which the caller compares with what it asked for.) */
export function answers(req: Request, body: OkBody): boolean {
  if (req.cmd === 'ID' || body.cmd === 'ID') return req.cmd === body.cmd;
  return req.cmd === body.cmd && req.port === body.port;
}

/** A line fit for a log: control bytes escaped, length capped. */
export function printable(line: string): string {
  const s = JSON.stringify(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}...` : line);
  return s.slice(1, -1);
}
