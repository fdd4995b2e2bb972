// docs/appliance/: the systemd unit is checked by systemd-analyze, the udev rule by `udevadm
// verify` where udev has it and by a reader of udev 252's syntax, and the helper's decisions by
// running it on fake machines and, for real, on a loop device.

import { execFile } from 'node:child_process';
import { access, constants, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProgram, run } from '../../hil/kernel-tools.ts';
import { attachPartitionedLoop, loopAvailable } from '../drivers/blocker/loop.ts';
import { FakeBlockSystem } from './fake-block-system.ts';
import { parseRules, programsFor, type Event } from './udev-rules.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DIR = path.join(REPO, 'docs/appliance');
const SCRIPT = path.join(DIR, 'imagebox-setro');
const INSTALLED_SCRIPT = '/usr/local/lib/imagebox/imagebox-setro';

interface Result { code: number; stdout: string; stderr: string }

function setro(args: readonly string[], env: Record<string, string>): Promise<Result> {
  return new Promise((resolve) => {
    // Only PATH from this process: no IMAGEBOX_* of the caller's may leak in.
    execFile(SCRIPT, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, encoding: 'utf8', timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

const systemdAnalyze = await findProgram('systemd-analyze');
const udevadm = await findProgram('udevadm');
const udevadmVerify = udevadm !== null && (await run(udevadm, ['verify', '--help'])).code === 0;
const blkid = await findProgram('blkid');
const mkswap = await findProgram('mkswap');

const UUID_FSTAB = '3f1c0e2a-4b5d-4e6f-8a9b-0c1d2e3f4a5b';
const UUID_PROBED = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';

/** The machine most cases run on: a system disk, disks the box needs for other reasons, new ones. */
async function machine(): Promise<FakeBlockSystem> {
  const f = await FakeBlockSystem.create();
  await f.disk('sda', 8, 0, 2); // system disk: sda1 /boot, sda2 /
  await f.disk('sdb', 8, 16, 1); // a drive just plugged in
  await f.disk('sdc', 8, 32, 1); // fstab by UUID
  await f.disk('sdd', 8, 48, 1); // fstab by path
  await f.disk('sde', 8, 64, 1); // fstab by LABEL
  await f.disk('sdf', 8, 80, 1); // swap
  await f.disk('sdg', 8, 96, 2); // LVM: dm-0 on sdg2 mounted at /home
  await f.disk('sdh', 8, 112, 1); // fstab by UUID, link not made yet (hot-plug)
  await f.disk('sdi', 8, 128, 1); // held by dm-1, not mounted
  await f.disk('nvme0n1', 259, 0, 1);
  await f.dm('dm-0', 0, ['sdg2']);
  await f.dm('dm-1', 1, ['sdi1']);
  await f.link('uuid', UUID_FSTAB, 'sdc1');
  await f.link('label', 'scratch', 'sde1');
  await f.files({
    mountinfo: [
      '27 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro',
      '28 27 8:1 / /boot rw,relatime shared:2 - ext4 /dev/sda1 rw',
      '29 27 253:0 / /home rw,relatime shared:3 - ext4 /dev/mapper/vg-home rw',
      '30 27 0:22 / /proc rw,nosuid shared:4 - proc proc rw',
      '31 27 0:23 / /tmp rw shared:5 - tmpfs tmpfs rw',
    ].join('\n') + '\n',
    swaps: 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/sdf1\tpartition\t1048572\t\t0\t\t-2\n',
    fstab: [
      '# /etc/fstab: static file system information.',
      'proc /proc proc defaults 0 0',
      `UUID=${UUID_FSTAB} /srv/images ext4 defaults 0 2`,
      '/dev/sdd1 /mnt/backup ext4 defaults,nofail 0 2',
      'LABEL=scratch /scratch ext4 defaults,nofail 0 2',
      `UUID=${UUID_PROBED} none swap sw,nofail 0 0`,
      'tmpfs /tmp tmpfs defaults 0 0',
      '',
    ].join('\n'),
  });
  return f;
}

describe('imagebox-setro decides on a fake machine', () => {
  let f: FakeBlockSystem;
  beforeAll(async () => {
    f = await machine();
  });
  afterAll(async () => {
    await f.remove();
  });

  const decisions: readonly [string, 'setro' | 'skip', RegExp][] = [
    ['sdb', 'setro', /^new disk$/],
    ['sdb1', 'setro', /^new partition of sdb$/],
    ['nvme0n1p1', 'setro', /^new partition of nvme0n1$/],
    ['loop0', 'skip', /loop device/],
    ['nbd0', 'skip', /network block device/],
    ['dm-0', 'skip', /device-mapper/],
    ['zram0', 'skip', /RAM disk/],
    ['ram0', 'skip', /RAM disk/],
    ['sr0', 'skip', /optical/],
    ['md0', 'skip', /software RAID/],
    ['sda', 'skip', /needs sda: mounted at \/$/],
    ['sda1', 'skip', /needs sda: mounted at \/$/],
    ['sdc', 'skip', new RegExp(`needs sdc: in /etc/fstab as UUID=${UUID_FSTAB} \\(/srv/images\\)`)],
    ['sdc1', 'skip', /needs sdc: in \/etc\/fstab as UUID=/],
    ['sdd', 'skip', /needs sdd: in \/etc\/fstab as \/dev\/sdd1 \(\/mnt\/backup\)/],
    ['sde', 'skip', /needs sde: in \/etc\/fstab as LABEL=scratch/],
    ['sdf', 'skip', /needs sdf: swap on \/dev\/sdf1/],
    ['sdg', 'skip', /needs sdg: mounted at \/home/],
    ['sdi', 'skip', /in use: held by dm-1/],
    ['sdz', 'skip', /not in sysfs/],
  ];
  for (const [name, verdict, why] of decisions) {
    it(`${name}: ${verdict}`, async () => {
      const r = await setro([name], f.env());
      expect(r.code).toBe(0);
      const [line, ...more] = r.stdout.trim().split('\n');
      expect(more).toEqual([]);
      const hit = /^(setro|skip) (\S+): (.*)$/.exec(line);
      expect(hit?.slice(1, 3)).toEqual([verdict, name]);
      expect(hit?.[3]).toMatch(why);
    });
  }

  it('takes /dev/NAME as well as NAME', async () => {
    expect((await setro(['/dev/sdb1'], f.env())).stdout).toBe('setro sdb1: new partition of sdb\n');
  });

  it.skipIf(!blkid || !mkswap)(`finds an fstab UUID on a hot-plugged disk with blkid when its by-uuid link is not made yet${blkid && mkswap ? '' : ' (needs blkid and mkswap)'}`, async () => {
    // The device node is a file holding a swap signature with the UUID fstab names.
    const node = path.join(f.dev, 'sdh1');
    await writeFile(node, Buffer.alloc(1024 * 1024));
    await run('mkswap', ['-U', UUID_PROBED, node]);
    try {
      const r = await setro(['sdh'], f.env());
      expect(r.stdout).toBe(`skip sdh: the box needs sdh: in /etc/fstab as UUID=${UUID_PROBED} (none, found on sdh1 by blkid)\n`);
    } finally {
      await rm(node);
    }
    // Without that signature nothing ties sdh to fstab.
    expect((await setro(['sdh'], f.env())).stdout).toBe('setro sdh: new disk\n');
  });

  it('exits 0 and decides nothing when it cannot read the mounts', async () => {
    const r = await setro(['sdb'], { ...f.env(), IMAGEBOX_MOUNTS: path.join(f.root, 'no-such-file') });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/error \(status \d+\) deciding sdb: left as it was/);
  });

  it('exits 0 with a usage line when called without a device', async () => {
    const r = await setro([], f.env());
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toMatch(/usage: imagebox-setro KERNEL-NAME/);
  });
});

describe('imagebox-setro skips for what the files say, not for the names', () => {
  let f: FakeBlockSystem;
  beforeAll(async () => {
    f = await machine();
  });
  afterAll(async () => {
    await f.remove();
  });

  it('makes the same disks read-only once no mount, swap or fstab line names them', async () => {
    await f.files({ mountinfo: '', swaps: '', fstab: '' });
    for (const name of ['sda', 'sdc', 'sdd', 'sdf']) {
      expect((await setro([name], f.env())).stdout).toBe(`setro ${name}: new disk\n`);
    }
    // Unmounted, the LVM volume still holds sdg2.
    expect((await setro(['sdg'], f.env())).stdout).toBe('skip sdg: in use: held by dm-0\n');
  });

  it('reads a /proc/mounts-style file too', async () => {
    await f.files({ mountinfo: 'sysfs /sys sysfs rw 0 0\n/dev/sda2 / ext4 rw,relatime 0 0\n' });
    expect((await setro(['sda'], f.env())).stdout).toBe('skip sda: the box needs sda: mounted at /\n');
  });
});

describe.skipIf(!loopAvailable.ok)(`imagebox-setro on a real loop device (${loopAvailable.why})`, () => {
  const getro = async (dev: string): Promise<string> => (await run('blockdev', ['--getro', dev])).stdout.trim();

  it('sets the kernel flag on the disk and its partition, and leaves loop devices alone without the test bypass', async () => {
    const { loop, cleanup } = await attachPartitionedLoop();
    try {
      const [disk, part] = [loop.device, loop.partitions[0]];
      const name = (dev: string): string => dev.replace('/dev/', '');
      expect([await getro(disk), await getro(part)]).toEqual(['0', '0']);

      const plain = await setro([name(disk)], {});
      expect(plain.code).toBe(0);
      expect(await getro(disk)).toBe('0');

      for (const dev of [disk, part]) {
        const r = await setro([name(dev)], { IMAGEBOX_SETRO_ALLOW_LOOP: '1' });
        expect(r.code).toBe(0);
        expect(r.stderr).toContain(`set ${dev} read-only`);
        expect(await getro(dev)).toBe('1');
      }
      expect((await readFile(`/sys/class/block/${name(disk)}/ro`, 'utf8')).trim()).toBe('1');
    } finally {
      // The flag outlives `losetup -d`: cleanup() clears it on both before detaching.
      await cleanup();
    }
  });
});

describe('60-imagebox-readonly.rules', async () => {
  const rulesText = await readFile(path.join(DIR, '60-imagebox-readonly.rules'), 'utf8');
  const parsed = parseRules(rulesText);

  it.skipIf(!udevadmVerify)(`passes udevadm verify${udevadmVerify ? '' : ` (skipped: ${udevadm ? 'this udevadm has no verify' : 'udevadm not installed'})`}`, async () => {
    const r = await run(udevadm!, ['verify', '--resolve-names=never', path.join(DIR, '60-imagebox-readonly.rules')]);
    expect(r.stderr + r.stdout).not.toMatch(/invalid|unknown|error/i);
    expect(r.code).toBe(0);
  });

  it('has only pairs udev 252 accepts', () => {
    expect(parsed.errors).toEqual([]);
    expect(parsed.rules.length).toBeGreaterThan(0);
  });

  it('the reader itself rejects what udev rejects', () => {
    const bad = [
      'ACTION="add", GOTO="x"', // ACTION is match-only
      'KERNEL=="sd*" GOTO="end"\nLABEL="end"', // no comma
      'PROGRM="/bin/true"', // unknown key
      'ENV=="x"', // ENV needs {name}
      'KERNEL=="sd*, GOTO="end"', // unterminated quote
      'GOTO="nowhere"',
      'LABEL="back"\nGOTO="back"', // GOTO only jumps forward
    ];
    for (const text of bad) expect(parseRules(text).errors, text).not.toEqual([]);
  });

  const ev = (ACTION: string, KERNEL: string, DEVTYPE: string, SUBSYSTEM = 'block'): Event => ({ ACTION, KERNEL, SUBSYSTEM, env: { DEVTYPE } });
  const helper = `${INSTALLED_SCRIPT} `;
  it.each([
    [ev('add', 'sdb', 'disk'), [`${helper}sdb`]],
    [ev('add', 'sdb1', 'partition'), [`${helper}sdb1`]],
    [ev('add', 'nvme1n1', 'disk'), [`${helper}nvme1n1`]],
    [ev('change', 'sdb', 'disk'), []],
    [ev('remove', 'sdb', 'disk'), []],
    [ev('add', 'loop3', 'disk'), []],
    [ev('add', 'loop3p1', 'partition'), []],
    [ev('add', 'dm-2', 'disk'), []],
    [ev('add', 'zram0', 'disk'), []],
    [ev('add', 'nbd0', 'disk'), []],
    [ev('add', 'md127', 'disk'), []],
    [ev('add', 'sr0', 'disk'), []],
    [ev('add', 'sdb', 'disk', 'scsi_disk'), []],
  ])('%o runs %o', (event, programs) => {
    expect(programsFor(parsed.rules, event)).toEqual(programs);
  });

  it('runs the helper that the guide installs, and on a new disk it decides setro', async () => {
    const guide = await readFile(path.join(REPO, 'docs/appliance.md'), 'utf8');
    expect(guide).toContain(`install -D -m 0755 docs/appliance/imagebox-setro ${INSTALLED_SCRIPT}`);
    const [cmd] = programsFor(parsed.rules, ev('add', 'sdb', 'disk'));
    const [program, ...args] = cmd.split(' ');
    expect(program).toBe(INSTALLED_SCRIPT);
    const f = await machine();
    try {
      expect((await setro(args, f.env())).stdout).toBe('setro sdb: new disk\n');
    } finally {
      await f.remove();
    }
  });
});

describe('imagebox.service', async () => {
  const unitText = await readFile(path.join(DIR, 'imagebox.service'), 'utf8');

  /** systemd-analyze verify on the unit with /opt/imagebox pointed at this checkout. */
  async function verify(text: string): Promise<Result> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'imagebox-unit-'));
    try {
      const file = path.join(dir, 'imagebox.service');
      await writeFile(file, text.replaceAll('/opt/imagebox/', REPO));
      return await run(systemdAnalyze!, ['verify', file]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it.skipIf(!systemdAnalyze)(`passes systemd-analyze verify without a warning${systemdAnalyze ? '' : ' (skipped: systemd-analyze not installed)'}`, async () => {
    await access(path.join(REPO, 'node_modules/node/bin/node'), constants.X_OK);
    const r = await verify(unitText);
    expect(r.stderr + r.stdout).toBe('');
    expect(r.code).toBe(0);
  });

  it.skipIf(!systemdAnalyze)('the same check reports a misspelt key and a bad value', async () => {
    const r = await verify(unitText.replace('TTYPath=', 'TTYPth=').replace('StandardInput=tty', 'StandardInput=tyy'));
    expect(r.stderr).toMatch(/Unknown key 'TTYPth'/);
    expect(r.stderr).toMatch(/tyy/);
  });

  it('owns tty1 in place of its getty, restarts always, and keeps its state where imagebox looks', () => {
    const keys = new Map<string, string[]>();
    for (const line of unitText.split('\n')) {
      const hit = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
      if (hit) keys.set(hit[1], [...(keys.get(hit[1]) ?? []), hit[2]]);
    }
    const one = (k: string): string | undefined => keys.get(k)?.at(-1);
    const all = (k: string): string[] => (keys.get(k) ?? []).flatMap((v) => v.split(/\s+/));
    expect(one('TTYPath')).toBe('/dev/tty1');
    expect(one('StandardInput')).toBe('tty');
    expect(all('Conflicts')).toContain('getty@tty1.service');
    // Without After=, systemd may start the panel before the conflicting getty has let go of tty1.
    expect(all('After')).toContain('getty@tty1.service');
    expect(one('Restart')).toBe('always');
    expect(all('Environment')).toContain('TERM=linux');
    const state = `/var/lib/${one('StateDirectory')}`;
    expect(all('Environment')).toContain(`IMAGEBOX_STATE_DIR=${state}`);
    expect(one('WorkingDirectory')).toBe(state);
    expect(one('ExecStart')?.split(' ').map((p) => p.replace('/opt/imagebox/', ''))).toEqual(['node_modules/node/bin/node', 'bin/imagebox.js']);
  });
});
