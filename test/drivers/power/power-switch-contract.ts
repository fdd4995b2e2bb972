// The PowerSwitch contract, run by power-switch.contract.test.ts against every switch: the port
// controller's relay (in-process and over a pty) and the USB HID relay (emulated, and real
// hardware when IMAGEBOX_TEST_USB_RELAY=1). Cycling runs on a virtual clock.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycle } from '../../../drivers/power/cycle.ts';
import type { PowerSwitch } from '../../../drivers/power/types.ts';
import { memoryLogger } from '../../helpers/memory-logger.ts';
import { VirtualClock } from './virtual-clock.ts';

export interface SwitchFixture {
  readonly sw: PowerSwitch;
  /** The relay as the hardware has it, when the test can see that (an emulated board); else undefined. */
  hardwareOn(): boolean | undefined;
  teardown(): Promise<void>;
}

export function powerSwitchContract(name: string, factory: () => Promise<SwitchFixture>): void {
  describe(`PowerSwitch contract: ${name}`, () => {
    let f: SwitchFixture;
    const seen = (expected: boolean): void => {
      const hw = f.hardwareOn();
      if (hw !== undefined) expect(hw).toBe(expected);
    };

    beforeAll(async () => {
      f = await factory();
    });
    afterAll(async () => {
      await f?.sw.on().catch(() => {}); // leave the drive powered
      await f?.sw.close();
      await f?.teardown();
    });

    it('has a label for logs and the record', () => {
      expect(f.sw.label).toMatch(/\S/);
    });

    it('switches off and on, and reads back what it did', async () => {
      await f.sw.off();
      seen(false);
      expect(await f.sw.state()).toBe('off');
      await f.sw.off(); // switching to the state it is in is fine
      expect(await f.sw.state()).toBe('off');
      await f.sw.on();
      seen(true);
      expect(await f.sw.state()).toBe('on');
    });

    it('does not switch when the signal is already aborted', async () => {
      await f.sw.on();
      const ac = new AbortController();
      ac.abort(new Error('no'));
      await expect(f.sw.off(ac.signal)).rejects.toThrow('no');
      seen(true);
      expect(await f.sw.state()).toBe('on');
    });

    it('cycles: off for offMs, then on, then settles for settleMs, with audit lines', async () => {
      const clock = new VirtualClock();
      const audit = memoryLogger();
      const during: Array<boolean | undefined> = [];
      clock.onSleep = async () => {
        during.push(f.hardwareOn() ?? ((await f.sw.state()) === 'on'));
      };
      const record = await cycle(f.sw, { offMs: 3_000, settleMs: 15_000 }, undefined, clock, audit.log);
      expect(clock.sleeps).toEqual([3_000, 15_000]);
      expect(during).toEqual([false, true]);
      expect(record).toEqual({
        switch: f.sw.label,
        timings: { offMs: 3_000, settleMs: 15_000 },
        offAt: '2026-01-01T00:00:00.000Z',
        onAt: '2026-01-01T00:00:03.000Z',
        readyAt: '2026-01-01T00:00:18.000Z',
      });
      expect(audit.lines.map((l) => l.msg)).toEqual([
        `power cycle: ${f.sw.label}`,
        `power off: ${f.sw.label}`,
        `power on: ${f.sw.label}`,
        `power cycle done: ${f.sw.label}`,
      ]);
      expect(await f.sw.state()).toBe('on');
    });
  });
}
