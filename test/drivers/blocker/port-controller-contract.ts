// The port controller contract, run by port-controller.contract.test.ts against every binding:
// the emulated in-process line and serialport on a socat pty pair. Each fault is shown through
// the binding: no answer, garbage, bad checksums, late answers, a stuck relay, the device vanishing.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPortController } from '../../../drivers/blocker/port-controller.ts';
import type { PortController } from '../../../drivers/blocker/port-controller.ts';
import { PortControllerError } from '../../../drivers/blocker/port-controller-types.ts';
import type { ControllerBinding } from '../../../drivers/blocker/port-link.ts';
import { NOISE } from '../../../hil/serial-board.ts';
import type { SerialBoard } from '../../../hil/serial-board.ts';
import { eventRecorder, memoryLogger } from './port-controller-helpers.ts';

export interface BoardFixture {
  /** A board with 4 ports, write-protect engaged on all but port 2, every relay on. */
  readonly board: SerialBoard;
  readonly binding: ControllerBinding;
  vanish(): Promise<void>;
  restore(): Promise<void>;
  teardown(): Promise<void>;
}

const TIMEOUT_MS = 200;

export function portControllerContract(name: string, factory: () => Promise<BoardFixture>): void {
  describe(`port controller contract: ${name}`, () => {
    let f: BoardFixture;
    let pc: PortController;
    let logs: ReturnType<typeof memoryLogger>;
    let events: ReturnType<typeof eventRecorder>;

    beforeAll(async () => {
      f = await factory();
    });
    afterAll(async () => {
      await f?.teardown();
    });
    beforeEach(async () => {
      f.board.fault = 'none';
      f.board.stuckRelays.clear();
      for (let p = 1; p <= 4; p++) {
        f.board.setWriteProtect(p, p !== 2);
        f.board.setPower(p, true);
      }
      logs = memoryLogger();
      pc = await openPortController({
        binding: f.binding,
        log: logs.log,
        timeoutMs: TIMEOUT_MS,
        reconnect: { initialMs: 50, maxMs: 400 },
      });
      events = eventRecorder(pc);
    });
    afterEach(async () => {
      await pc?.close();
    });

    it('identifies the board and reads every switch and relay on connect', () => {
      expect(pc.info).toEqual({ firmware: 'imagebox-pc', version: '1.0.0', ports: 4 });
      expect(pc.connected).toBe(true);
      expect(pc.snapshot()).toEqual({
        writeBlock: ['engaged', 'not-engaged', 'engaged', 'engaged'],
        power: ['on', 'on', 'on', 'on'],
      });
    });

    it('reads a write-protect switch as a write-block reading', async () => {
      const r1 = await pc.writeBlock(1);
      expect(r1).toMatchObject({ method: 'port-controller', state: 'engaged' });
      expect(r1.detail).toContain(`${f.binding.path} port 1`);
      expect(r1.detail).toContain('write-protect switch ON');
      expect(Date.parse(r1.at)).toBeGreaterThan(Date.now() - 10_000);
      expect((await pc.writeBlock(2)).state).toBe('not-engaged');
    });

    it('tells subscribers when the operator flips a switch, unasked', async () => {
      f.board.setWriteProtect(1, false);
      const e = await events.next((e) => e.type === 'write-block' && e.port === 1);
      expect(e).toMatchObject({ state: 'not-engaged', previous: 'engaged', cause: 'event' });
      expect((await pc.writeBlock(1)).state).toBe('not-engaged');
    });

    it('switches a relay as a PowerSwitch and reports the relay changing by itself', async () => {
      const sw = pc.powerSwitch(3);
      expect(sw.label).toBe(`port-controller ${f.binding.path} port 3`);
      await sw.off();
      expect(f.board.power(3)).toBe(false);
      expect(await sw.state()).toBe('off');
      await sw.on();
      expect(f.board.power(3)).toBe(true);
      f.board.setPower(3, false);
      expect(await events.next((e) => e.type === 'power' && e.cause === 'event')).toMatchObject({ port: 3, state: 'off' });
      await sw.close();
      expect(pc.connected).toBe(true);
    });

    it('reports a relay that refuses to switch, without retrying', async () => {
      f.board.stuckRelays.add(2);
      const before = f.board.requests.length;
      const err = await pc.powerSwitch(2).off().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PortControllerError);
      expect(err).toMatchObject({ kind: 'refused' });
      expect((err as Error).message).toContain('ERR FAULT');
      expect(f.board.requests.length - before).toBe(1);
      expect(f.board.power(2)).toBe(true);
    });

    it('treats a port the board does not have as a caller bug', () => {
      expect(() => pc.powerSwitch(0)).toThrow(RangeError);
      return expect(pc.writeBlock(5)).rejects.toThrow(RangeError);
    });

    it('no answer: retries once with a new tag, then says unknown with a typed timeout', async () => {
      f.board.fault = 'silent';
      const before = f.board.requests.length;
      const t0 = performance.now();
      const r = await pc.writeBlock(1);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(2 * TIMEOUT_MS - 5);
      expect(r.state).toBe('unknown');
      expect(r.error).toMatchObject({ kind: 'timeout' });
      expect(r.detail).toContain('no answer');
      const tries = f.board.requests.slice(before);
      expect(tries.map((t) => t.req)).toEqual([{ cmd: 'WP', port: 1 }, { cmd: 'WP', port: 1 }]);
      expect(tries[0].seq).not.toBe(tries[1].seq);
      expect(pc.snapshot().writeBlock[0]).toBe('unknown');
      expect(events.seen.some((e) => e.type === 'write-block' && e.port === 1 && e.state === 'unknown')).toBe(true);
      await expect(pc.powerSwitch(1).on()).rejects.toMatchObject({ kind: 'timeout' });
      expect(await pc.powerSwitch(1).state()).toBeUndefined();
      expect(pc.stats.timeouts).toBe(6);
      expect(logs.at('warn').some((l) => l.msg === 'port controller: no answer in time')).toBe(true);
      f.board.fault = 'none';
      expect((await pc.writeBlock(1)).state).toBe('engaged');
    });

    it('drops an answer that comes after its try was given up on', async () => {
      f.board.delayAnswers(TIMEOUT_MS * 1.5);
      const r = await pc.writeBlock(1);
      expect(r.state).toBe('engaged');
      // The late "ON" is still on its way; the switch is flipped before it lands.
      f.board.setWriteProtect(1, false);
      await events.next((e) => e.type === 'write-block' && e.port === 1);
      await new Promise((res) => setTimeout(res, TIMEOUT_MS));
      expect(pc.stats.late).toBe(1);
      expect(pc.snapshot().writeBlock[0]).toBe('not-engaged');
      expect((await pc.writeBlock(1)).state).toBe('not-engaged');
    });

    for (const fault of ['garbage', 'bad-checksum'] as const) {
      it(`${fault} answers: counted, logged at warn, retried once, then unknown; no crash`, async () => {
        f.board.fault = fault;
        const r = await pc.writeBlock(3);
        expect(r.state).toBe('unknown');
        expect(r.error).toMatchObject({ kind: 'garbage' });
        expect(pc.stats.garbage).toBeGreaterThanOrEqual(2);
        const warned = logs.at('warn').filter((l) => l.msg === 'port controller: line rejected');
        expect(warned.length).toBe(pc.stats.garbage);
        expect(warned[0].reason).toBe(fault === 'garbage' ? 'bytes outside printable ASCII' : 'checksum mismatch');
        expect(events.seen.filter((e) => e.type === 'garbage').length).toBe(pc.stats.garbage);
        f.board.fault = 'none';
        expect((await pc.writeBlock(3)).state).toBe('engaged');
      });
    }

    it('an event with a bad checksum changes nothing', async () => {
      f.board.fault = 'bad-checksum';
      f.board.setWriteProtect(4, false);
      await events.next((e) => e.type === 'garbage');
      expect(pc.snapshot().writeBlock[3]).toBe('engaged');
      f.board.fault = 'none';
      expect((await pc.writeBlock(4)).state).toBe('not-engaged');
    });

    it('line noise and an endless line between requests are rejected and counted', async () => {
      f.board.sendRaw(`${NOISE}\n`);
      f.board.sendRaw(`${'A'.repeat(300)}\n`);
      f.board.sendRaw('EVT WP 1 OFF\n');
      await events.next((e) => e.type === 'garbage' && e.reason === 'no checksum');
      expect(events.seen.filter((e) => e.type === 'garbage').map((e) => e.type === 'garbage' && e.reason)).toEqual([
        'bytes outside printable ASCII',
        'line too long',
        'no checksum',
      ]);
      expect(pc.snapshot().writeBlock[0]).toBe('engaged');
      expect((await pc.writeBlock(1)).state).toBe('engaged');
    });

    it('the device vanishing: lost event, states unknown, fast failures, then reconnects when it is back', async () => {
      await f.vanish();
      const lost = await events.next((e) => e.type === 'lost');
      expect(lost).toMatchObject({ path: f.binding.path });
      expect(pc.connected).toBe(false);
      expect(pc.snapshot()).toEqual({ writeBlock: Array(4).fill('unknown'), power: Array(4).fill(undefined) });
      const t0 = performance.now();
      const r = await pc.writeBlock(1);
      expect(performance.now() - t0).toBeLessThan(TIMEOUT_MS);
      expect(r).toMatchObject({ state: 'unknown', error: { kind: 'lost' } });
      await expect(pc.powerSwitch(1).off()).rejects.toMatchObject({ kind: 'lost' });
      expect(logs.at('warn').some((l) => l.msg === 'port controller lost; states unknown until it is back')).toBe(true);

      f.board.setWriteProtect(2, true); // flipped while the host could not hear it
      await new Promise((res) => setTimeout(res, 300)); // a few failed reconnects
      await f.restore();
      const back = await events.next((e) => e.type === 'connected', 10_000);
      expect(back).toMatchObject({ info: { ports: 4 } });
      expect(pc.connected).toBe(true);
      expect(pc.stats).toMatchObject({ lost: 1, reconnects: 1 });
      expect(pc.snapshot().writeBlock).toEqual(['engaged', 'engaged', 'engaged', 'engaged']);
      expect((await pc.writeBlock(2)).state).toBe('engaged');
      await pc.powerSwitch(1).off();
      expect(f.board.power(1)).toBe(false);
    });

    it('opening a device that is not there fails with a typed error', async () => {
      await f.vanish();
      try {
        const err = await openPortController({ binding: f.binding, timeoutMs: TIMEOUT_MS }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(PortControllerError);
        expect(err).toMatchObject({ kind: 'lost' });
      } finally {
        await f.restore();
      }
    });
  });
}
