// The appliance on this host's real bindings: a loop device attached while it runs becomes a port,
// reads as write-blocked (the kernel's read-only flag), and a recovery job images it byte for byte.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../controller/logger.ts';
import { hostEnv } from '../../machines/actors/host-env.ts';
import { applianceSettings } from '../../machines/actors/job-settings.ts';
import { runAppliance, type RunningAppliance } from '../../machines/actors/run-appliance.ts';
import { strategyDefaults } from '../../ui-tty/job-request.ts';
import { attachLoop, type LoopDevice } from '../helpers/loop-device.ts';
import { run } from '../../hil/kernel-tools.ts';

const canLoop = process.getuid?.() === 0 && (await run('losetup', ['-f']).then((r) => r.code === 0, () => false));

describe.skipIf(!canLoop)('the appliance on the host (needs root and loop devices)', () => {
  let dir: string;
  let app: RunningAppliance;
  let loop: LoopDevice | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imagebox-host-'));
    app = runAppliance(hostEnv({ log: silentLogger(), imagesDir: join(dir, 'images') }));
    await app.ready;
  });
  afterAll(async () => {
    await app?.stop();
    if (loop) {
      await run('blockdev', ['--setrw', loop.device]);
      await loop.detach();
    }
    await rm(dir, { recursive: true, force: true });
  });

  const until = async <T>(what: string, probe: () => T | undefined, ms = 60_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = probe();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('takes a loop device attached while running as a port, write-blocked, and recovers it byte for byte', async () => {
    const data = randomBytes(8 << 20);
    const file = join(dir, 'disk.bin');
    await writeFile(file, data);
    loop = await attachLoop(file, { readOnly: true });
    const port = basename(loop.device);
    const ready = await until(`port ${port} ready`, () => {
      const s = app.actor.getSnapshot().context.ports[port]?.getSnapshot();
      return s?.value === 'ready' || s?.value === 'faulted' ? s : undefined;
    });
    expect(ready.context.error).toBeUndefined();
    expect(ready.context.writeBlock).toBe('engaged');
    expect(app.env.store.facts.get(port)!.writeBlock.readings.find((r) => r.method === 'kernel-ro')?.state).toBe('engaged');

    const request = { port, mode: 'recovery' as const, destination: join(dir, 'images', 'loop'), forensic: null, recovery: strategyDefaults('ddrescue') };
    app.actor.send({ type: 'START_JOB', port, mode: 'recovery', settings: applianceSettings(request, join(dir, 'images')) });
    const jobId = Object.keys(app.actor.getSnapshot().context.jobs).at(-1)!;
    const job = () => app.actor.getSnapshot().context.jobs[jobId].ref.getSnapshot();
    await until('the job to end', () => (job().status === 'done' ? true : undefined));
    expect(job().value).toBe('done');
    expect(job().context.verification?.summary).toMatch(/mapfile agrees/);
    const image = await readFile(join(dir, 'images', 'loop.img'));
    expect(image.equals(data)).toBe(true);
  }, 120_000);
});
