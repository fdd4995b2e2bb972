// The emulated board on its own: what it answers to lines a host should never send.

import { describe, expect, it } from 'vitest';
import { checksum, encodeRequest, parseHostLine } from '../../drivers/blocker/serial-protocol.ts';
import { SerialBoard } from '../../hil/serial-board.ts';

function wired(board: SerialBoard): { send(text: string): void; lines: string[] } {
  const lines: string[] = [];
  const conn = board.attach((text) => lines.push(...text.split('\n').filter(Boolean)));
  return { send: (text) => conn.receive(text), lines };
}

describe('SerialBoard', () => {
  it('answers an unreadable line with 0 ERR BADLINE and a refused one by its tag', () => {
    const board = new SerialBoard({ ports: 2 });
    const w = wired(board);
    w.send('5 WP 1*00\n');
    w.send(`${'z'.repeat(200)}\n`);
    w.send(`6 FAN 1*${checksum('6 FAN 1')}\n`);
    w.send(encodeRequest(7, { cmd: 'WP', port: 3 }));
    expect(w.lines.map(parseHostLine)).toEqual([
      { kind: 'err', seq: 0, code: 'BADLINE' },
      { kind: 'err', seq: 0, code: 'BADLINE' },
      { kind: 'err', seq: 6, code: 'BADCMD' },
      { kind: 'err', seq: 7, code: 'BADPORT' },
    ]);
    expect(board.badLines).toBe(2);
  });

  it('announces a relay switched by a request after its answer, and nothing when it did not change', () => {
    const board = new SerialBoard({ ports: 2, power: [true, false] });
    const w = wired(board);
    w.send(encodeRequest(1, { cmd: 'PWR', port: 1, set: 'OFF' }));
    w.send(encodeRequest(2, { cmd: 'PWR', port: 2, set: 'OFF' }));
    expect(w.lines.map(parseHostLine)).toEqual([
      { kind: 'ok', seq: 1, body: { cmd: 'PWR', port: 1, value: 'OFF' } },
      { kind: 'event', what: 'PWR', port: 1, value: 'OFF' },
      { kind: 'ok', seq: 2, body: { cmd: 'PWR', port: 2, value: 'OFF' } },
    ]);
  });

  it('a stuck relay is refused with FAULT and stays as it was', () => {
    const board = new SerialBoard({ ports: 1 });
    board.stuckRelays.add(1);
    const w = wired(board);
    w.send(encodeRequest(3, { cmd: 'PWR', port: 1, set: 'OFF' }));
    expect(parseHostLine(w.lines[0])).toEqual({ kind: 'err', seq: 3, code: 'FAULT' });
    expect(board.power(1)).toBe(true);
  });

  it('keeps flipping switches while silent, and says nothing', () => {
    const board = new SerialBoard({ ports: 1 });
    const w = wired(board);
    board.fault = 'silent';
    board.setWriteProtect(1, false);
    w.send(encodeRequest(1, { cmd: 'WP', port: 1 }));
    expect(w.lines).toEqual([]);
    expect(board.requests).toHaveLength(1);
    expect(board.writeProtect(1)).toBe(false);
  });
});
