// Power cycling on a virtual clock, through an emulated USBRelay board: the order of acts, what
// an abort leaves behind, and what the audit log says.

import { describe, expect, it } from 'vitest';
import { cycle, setPower } from '../../../drivers/power/cycle.ts';
import { DEFAULT_POWER_CYCLE } from '../../../drivers/power/types.ts';
import { usbHidRelay, UsbRelayError } from '../../../drivers/power/usb-hid-relay.ts';
import { EmulatedUsbRelayBoard } from '../../../drivers/power/usb-relay-emulated.ts';
import { memoryLogger } from '../../helpers/memory-logger.ts';
import { VirtualClock } from './virtual-clock.ts';

function rig(): { board: EmulatedUsbRelayBoard; sw: ReturnType<typeof usbHidRelay>; clock: VirtualClock; audit: ReturnType<typeof memoryLogger> } {
  const board = new EmulatedUsbRelayBoard(1);
  board.mask = 1;
  return { board, sw: usbHidRelay({ pipe: board, relay: 1, id: board.id }), clock: new VirtualClock(), audit: memoryLogger() };
}

/** The relay commands the board received, as 'on'/'off'. */
const acts = (board: EmulatedUsbRelayBoard): string[] => board.sent.map((r) => (r[0] === 0xff ? 'on' : 'off'));

describe('cycle', () => {
  it("uses HDDSuperClone's timings by default: 3 s off, 15 s to settle", async () => {
    const { board, sw, clock, audit } = rig();
    await cycle(sw, undefined, undefined, clock, audit.log);
    expect(clock.sleeps).toEqual([DEFAULT_POWER_CYCLE.offMs, DEFAULT_POWER_CYCLE.settleMs]);
    expect(acts(board)).toEqual(['off', 'on']);
  });

  it('aborted while the power is off: power comes back on, the abort is audited, the reason thrown', async () => {
    const { board, sw, clock, audit } = rig();
    const ac = new AbortController();
    clock.onSleep = () => ac.abort(new Error('operator stop'));
    await expect(cycle(sw, { offMs: 3_000, settleMs: 15_000 }, ac.signal, clock, audit.log)).rejects.toThrow('operator stop');
    expect(acts(board)).toEqual(['off', 'on']);
    expect(board.mask).toBe(1);
    expect(audit.at('warn').map((l) => l.msg)).toEqual([`power cycle aborted (waiting with power off): ${sw.label}`]);
    expect(audit.at('info').map((l) => l.msg)).toEqual([`power cycle: ${sw.label}`, `power off: ${sw.label}`, `power on: ${sw.label}`]);
  });

  it('aborted while settling: the power stays on and is not switched again', async () => {
    const { board, sw, clock, audit } = rig();
    const ac = new AbortController();
    clock.onSleep = (ms) => {
      if (ms === 15_000) ac.abort(new Error('job aborted'));
    };
    await expect(cycle(sw, { offMs: 3_000, settleMs: 15_000 }, ac.signal, clock, audit.log)).rejects.toThrow('job aborted');
    expect(acts(board)).toEqual(['off', 'on']);
    expect(audit.at('warn')[0].msg).toBe(`power cycle aborted (settling): ${sw.label}`);
  });

  it('does nothing when the signal is aborted before it starts', async () => {
    const { board, sw, clock, audit } = rig();
    await expect(cycle(sw, undefined, AbortSignal.abort(), clock, audit.log)).rejects.toThrow();
    expect(board.sent).toEqual([]);
    expect(audit.lines).toEqual([]);
  });

  it('a relay that does not switch off fails the cycle, audited, and power is asked back on', async () => {
    const { board, sw, clock, audit } = rig();
    board.stuck.add(1);
    const err = await cycle(sw, undefined, undefined, clock, audit.log).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsbRelayError);
    expect((err as Error).message).toBe(`${sw.label}: relay reads on after switching it off`);
    expect(acts(board)).toEqual(['off', 'on']);
    expect(clock.sleeps).toEqual([]);
    expect(audit.at('error').map((l) => l.msg)).toEqual([`power off failed: ${sw.label}`]);
    expect(audit.at('warn').map((l) => l.msg)).toEqual([`power cycle failed (off): ${sw.label}`]);
  });
});

describe('setPower', () => {
  it('audits one act with the switch and the state asked for', async () => {
    const { sw, audit } = rig();
    await setPower(sw, 'off', undefined, audit.log);
    expect(audit.lines).toMatchObject([{ act: 'power', switch: sw.label, to: 'off', msg: `power off: ${sw.label}` }]);
  });
});
