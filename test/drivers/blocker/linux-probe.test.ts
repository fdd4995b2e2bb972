// The host binding asks a Tableau bridge once per attachment: the watcher reuses the answer while
// the same USB device stays, and asks again after a replug (another serial in sysfs).

import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linuxWriteBlockProbe } from '../../../drivers/blocker/linux-probe.ts';
import { parseTableauParm, type TableauQuery } from '../../../drivers/blocker/tableau-parm.ts';
import { usbDeviceOfBlock } from '../../../drivers/blocker/usb-sysfs.ts';
import type { WriteBlockChange } from '../../../drivers/blocker/watch.ts';
import { makeFakeSysfs, type FakeSysfs } from './fake-sysfs.ts';
import { captureAudit } from './write-block-probe-contract.ts';

describe('linux binding and tableau-parm', () => {
  let fake: FakeSysfs;
  beforeAll(async () => {
    fake = await makeFakeSysfs([{ name: 'sdb', dev: '8:16', usbChain: [{ vendorId: 0x13d7, productId: 0x0001, serial: 'A1' }] }]);
  });
  afterAll(() => fake.remove());

  it('queries on read, reuses the answer while watching, and asks again after a replug', async () => {
    const asked: string[] = [];
    const report = async (name: string): Promise<TableauQuery> => ({
      ok: true,
      report: parseTableauParm(await readFile(path.join(import.meta.dirname, '../../fixtures/blocker', name), 'utf8')),
    });
    let answer = await report('tableau-parm-t35es-blocked-hpa.txt');
    const probe = linuxWriteBlockProbe({
      sysRoot: fake.root,
      audit: captureAudit().log,
      blockdevConfirm: false,
      usbHotplug: false,
      queryTableau: async (dev) => {
        asked.push(dev);
        return answer;
      },
    });
    const baseline = await probe.read('/dev/sdb');
    expect(baseline.find((r) => r.method === 'usb-bridge')?.state).toBe('engaged');
    expect(asked).toEqual(['/dev/sdb']);

    const ac = new AbortController();
    const changes: WriteBlockChange[] = [];
    const done = probe.watch('/dev/sdb', { intervalMs: 20, signal: ac.signal, baseline }, (c) => {
      changes.push(c);
      ac.abort();
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(asked).toHaveLength(1);

    // Another bridge, switched to read-write, in the same port: a new serial is a new attachment.
    answer = await report('tableau-parm-t5-writable-dco.txt');
    const bridgeDir = (await usbDeviceOfBlock('sdb', fake.root))?.sysPath ?? '';
    await writeFile(path.join(bridgeDir, 'serial'), 'B2\n');
    await done;
    expect(asked).toHaveLength(2);
    expect(changes.map((c) => [c.method, c.from, c.to])).toEqual([['usb-bridge', 'engaged', 'not-engaged']]);
  });
});
