// The real binding on a socat pty: a device that hangs up while a read is in flight must end in
// 'closed', not in serialport's endless re-read of a hung-up tty (serial-hangup-guard.ts).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serialBinding } from '../../../drivers/blocker/port-link-serial.ts';
import { SerialBlocker, socatAvailable } from '../../../hil/serial-blocker.ts';

const socat = await socatAvailable();

describe('serial binding on a pty pair', () => {
  let dir: string;
  let sb: SerialBlocker;

  beforeAll(async () => {
    if (!socat.ok) return;
    dir = await mkdtemp(path.join(tmpdir(), 'imagebox-serial-'));
    sb = await SerialBlocker.start({ link: path.join(dir, 'ttyPC0'), ports: 1 });
  });
  afterAll(async () => {
    await sb?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!socat.ok)(`reports every hang-up with a read in flight, without spinning${socat.ok ? '' : ` (needs socat: ${socat.why})`}`, async () => {
    for (let round = 0; round < 5; round++) {
      let closed: Error | undefined;
      const link = await serialBinding(sb.hostPath).open({ data: () => {}, closed: (err) => (closed = err) });
      const cpu0 = process.cpuUsage();
      await sb.vanish();
      await new Promise((r) => setTimeout(r, 300));
      const cpu = process.cpuUsage(cpu0);
      expect(closed?.message, `round ${round}`).toMatch(/hung up|bad file descriptor/);
      expect((cpu.user + cpu.system) / 1000, `round ${round}: CPU ms in 300 ms after the hang-up`).toBeLessThan(60);
      await link.close();
      await sb.restore();
    }
  });

  it.skipIf(!socat.ok)('fails to open a path that is not there', async () => {
    await expect(serialBinding(path.join(dir ?? '/nonexistent', 'nothing')).open({ data: () => {}, closed: () => {} })).rejects.toThrow(
      /No such file/,
    );
  });
});
