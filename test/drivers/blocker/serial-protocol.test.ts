import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../drivers/blocker/line-splitter.ts';
import {
  answers,
  checksum,
  encodeErr,
  encodeEvent,
  encodeOk,
  encodeRequest,
  frame,
  MAX_LINE,
  MAX_SEQ,
  nextSeq,
  parseBoardLine,
  parseHostLine,
} from '../../../drivers/blocker/serial-protocol.ts';

const strip = (line: string): string => line.replace(/\n$/, '');

describe('framing', () => {
  it('checksums a body as the XOR of its bytes, two upper-case hex digits', () => {
    expect(checksum('A')).toBe('41');
    expect(checksum('AA')).toBe('00');
    expect(checksum('7 WP 2')).toBe((0x37 ^ 0x20 ^ 0x57 ^ 0x50 ^ 0x20 ^ 0x32).toString(16).toUpperCase().padStart(2, '0'));
    expect(frame('EVT WP 2 OFF')).toBe(`EVT WP 2 OFF*${checksum('EVT WP 2 OFF')}\n`);
  });

  it('refuses to frame what the other side would reject', () => {
    expect(() => frame('a*b')).toThrow(RangeError);
    expect(() => frame('\x01')).toThrow(RangeError);
    expect(() => frame('x'.repeat(MAX_LINE - 2))).toThrow(RangeError);
  });

  it('encodes the documented examples', () => {
    expect(strip(encodeRequest(7, { cmd: 'ID' }))).toBe(`7 ID*${checksum('7 ID')}`);
    expect(strip(encodeRequest(12, { cmd: 'PWR', port: 2, set: 'OFF' }))).toBe(`12 PWR 2 OFF*${checksum('12 PWR 2 OFF')}`);
    expect(strip(encodeOk(7, { cmd: 'ID', firmware: 'imagebox-pc', version: '1.0.0', ports: 4 }))).toBe(
      `7 OK ID imagebox-pc 1.0.0 4*${checksum('7 OK ID imagebox-pc 1.0.0 4')}`,
    );
    expect(strip(encodeErr(0, 'BADLINE'))).toBe('0 ERR BADLINE*3C');
    expect(() => encodeRequest(0, { cmd: 'ID' })).toThrow(RangeError);
    expect(() => encodeRequest(MAX_SEQ + 1, { cmd: 'ID' })).toThrow(RangeError);
  });

  it('matches the examples in docs/serial-protocol.md', () => {
    expect(encodeRequest(7, { cmd: 'ID' })).toBe('7 ID*1A\n');
    expect(encodeOk(7, { cmd: 'ID', firmware: 'imagebox-pc', version: '1.0.0', ports: 4 })).toBe('7 OK ID imagebox-pc 1.0.0 4*37\n');
    expect(encodeRequest(8, { cmd: 'PWR', port: 2, set: 'OFF' })).toBe('8 PWR 2 OFF*30\n');
    expect(encodeOk(8, { cmd: 'PWR', port: 2, value: 'OFF' })).toBe('8 OK PWR 2 OFF*14\n');
    expect(encodeEvent('PWR', 2, 'OFF')).toBe('EVT PWR 2 OFF*4F\n');
  });

  it('wraps sequence tags past 9999 to 1, never 0', () => {
    expect(nextSeq(0)).toBe(1);
    expect(nextSeq(41)).toBe(42);
    expect(nextSeq(MAX_SEQ)).toBe(1);
  });
});

describe('host side parsing', () => {
  it('round-trips answers and events', () => {
    const ok = encodeOk(3, { cmd: 'WP', port: 2, value: 'ON' });
    expect(parseHostLine(strip(ok))).toEqual({ kind: 'ok', seq: 3, body: { cmd: 'WP', port: 2, value: 'ON' } });
    expect(parseHostLine(strip(encodeErr(9, 'BADPORT')))).toEqual({ kind: 'err', seq: 9, code: 'BADPORT' });
    expect(parseHostLine(strip(encodeEvent('PWR', 4, 'OFF')))).toEqual({ kind: 'event', what: 'PWR', port: 4, value: 'OFF' });
  });

  it('tolerates one trailing CR (firmware that ends lines with CRLF)', () => {
    expect(parseHostLine(`${strip(encodeEvent('WP', 1, 'ON'))}\r`)).toMatchObject({ kind: 'event' });
  });

  it.each([
    ['', 'no checksum'],
    ['EVT WP 1 OFF', 'no checksum'],
    [`EVT WP 1 OFF*${checksum('EVT WP 1 ON')}`, 'checksum mismatch'],
    [`EVT WP 1 OFF*${checksum('EVT WP 1 OFF').toLowerCase()}x`, 'no checksum'],
    ['EVT\xffWP*00', 'bytes outside printable ASCII'],
    ['a*b*00', 'more than one checksum mark'],
    [`${'x'.repeat(MAX_LINE)}*00`, `line longer than ${MAX_LINE} bytes`],
  ])('rejects %j: %s', (line, reason) => {
    expect(parseHostLine(line)).toEqual({ kind: 'garbage', reason });
  });

  it.each([
    'EVT WP 9 OFF',
    'EVT WP 1 off',
    'EVT WP  1 OFF',
    'EVT FAN 1 OFF',
    '01 OK WP 1 ON',
    '0 OK WP 1 ON',
    '10000 OK WP 1 ON',
    '3 OK WP 1',
    '3 OK ID fw 1.0 9',
    '3 OK ID fw 1.0 4 extra',
    '3 ERR WHATEVER',
    '3 MAYBE',
    ' 3 OK WP 1 ON',
  ])('rejects the well-checksummed but malformed %j', (body) => {
    expect(parseHostLine(`${body}*${checksum(body)}`).kind).toBe('garbage');
  });

  it('an answer answers a request with the same command and port', () => {
    expect(answers({ cmd: 'WP', port: 2 }, { cmd: 'WP', port: 2, value: 'OFF' })).toBe(true);
    expect(answers({ cmd: 'WP', port: 2 }, { cmd: 'WP', port: 3, value: 'OFF' })).toBe(false);
    expect(answers({ cmd: 'WP', port: 2 }, { cmd: 'PWR', port: 2, value: 'OFF' })).toBe(false);
    expect(answers({ cmd: 'PWR', port: 1, set: 'ON' }, { cmd: 'PWR', port: 1, value: 'OFF' })).toBe(true);
    expect(answers({ cmd: 'ID' }, { cmd: 'WP', port: 1, value: 'ON' })).toBe(false);
  });
});

describe('board side parsing', () => {
  it('reads requests', () => {
    expect(parseBoardLine(strip(encodeRequest(5, { cmd: 'PWR', port: 3 })))).toEqual({ kind: 'request', seq: 5, req: { cmd: 'PWR', port: 3 } });
    expect(parseBoardLine(strip(encodeRequest(6, { cmd: 'PWR', port: 3, set: 'ON' })))).toMatchObject({ req: { set: 'ON' } });
  });

  it.each([
    ['5 FAN 1', 'BADCMD'],
    ['5 ID 1', 'BADARG'],
    ['5 WP', 'BADARG'],
    ['5 WP x', 'BADARG'],
    ['5 PWR 1 MAYBE', 'BADARG'],
    ['5 WP 1 ON', 'BADARG'],
  ])('refuses %j by its tag with %s', (body, code) => {
    expect(parseBoardLine(`${body}*${checksum(body)}`)).toEqual({ kind: 'refuse', seq: 5, code });
  });

  it('cannot refuse by tag a line whose checksum is wrong', () => {
    expect(parseBoardLine('5 WP 1*00')).toEqual({ kind: 'garbage', reason: 'checksum mismatch' });
    expect(parseBoardLine(`x WP 1*${checksum('x WP 1')}`)).toEqual({ kind: 'garbage', reason: 'no sequence tag' });
  });
});

describe('LineSplitter', () => {
  it('joins lines split across chunks and splits chunks holding several lines', () => {
    const s = new LineSplitter();
    expect(s.push('1 OK W')).toEqual([]);
    expect(s.push(Buffer.from('P 1 ON*00\nEVT'))).toEqual([{ line: '1 OK WP 1 ON*00' }]);
    expect(s.push(' X\n\n')).toEqual([{ line: 'EVT X' }, { line: '' }]);
  });

  it('keeps every byte as one character (latin1)', () => {
    expect(new LineSplitter().push(Buffer.from([0xff, 0x00, 0x0a]))).toEqual([{ line: '\xff\x00' }]);
  });

  it('reports an endless line once and drops it up to the next newline', () => {
    const s = new LineSplitter(10);
    expect(s.push('x'.repeat(11))).toEqual([{ overflow: 'x'.repeat(11) }]);
    expect(s.push('yyyy')).toEqual([]);
    expect(s.push('zz\nok\n')).toEqual([{ line: 'ok' }]);
    expect(s.push('0123456789A\n')).toEqual([{ overflow: '0123456789A' }]);
  });

  it('forgets a partial line on reset', () => {
    const s = new LineSplitter();
    s.push('half a li');
    s.reset();
    expect(s.push('ne\n')).toEqual([{ line: 'ne' }]);
  });
});
