// The kernel's read-only flag (BLKROSET/BLKROGET): read from sysfs (cheap enough to poll) and
// confirmed with `blockdev --getro`; set with `blockdev --setro`.
//
// The honest limit: the flag stops writes that go through the block layer (write(2), O_DIRECT,
// the page cache, filesystems, discard). It does not stop SG_IO passthrough: a process with
// CAP_SYS_RAWIO can still send SCSI or ATA write commands (sg_raw, hdparm --dco-restore), and even
// an O_RDWR open of a read-only device succeeds. That is why a hardware write-blocker between the
// host and the drive matters; this flag is the second line, not the first.

import type { Logger } from '../../controller/logger.ts';
import { run, type RunResult } from '../../hil/kernel-tools.ts';
import type { WriteBlockReading } from './types.ts';
import { blockNameOf, describeRoFlags, readRoFlags, roEffective, SYS_ROOT } from './sysfs-ro.ts';

export interface KernelRoOptions {
  readonly sysRoot?: string;
}

/** A failed tool run's complaint, in one line. */
export function complaint(r: RunResult): string {
  return (r.stderr || r.stdout).trim().split('\n')[0] || `exit ${r.code}`;
}

function reading(state: WriteBlockReading['state'], detail: string): WriteBlockReading {
  return { method: 'kernel-ro', state, detail, at: new Date().toISOString() };
}

/** The flag from sysfs alone. Never throws: a device that cannot be read reads 'unknown'. */
export async function readKernelRo(dev: string, opts: KernelRoOptions = {}): Promise<WriteBlockReading> {
  const sysRoot = opts.sysRoot ?? SYS_ROOT;
  try {
    const flags = await readRoFlags(await blockNameOf(dev, sysRoot), sysRoot);
    return reading(roEffective(flags) ? 'engaged' : 'not-engaged', `${dev}: ${describeRoFlags(flags)}`);
  } catch (err) {
    return reading('unknown', `${dev}: kernel read-only flag unreadable: ${(err as Error).message}`);
  }
}

export type GetRoResult = { readonly ok: true; readonly ro: boolean } | { readonly ok: false; readonly note: string };

/** BLKROGET through `blockdev --getro`; a missing tool or device is a note, not a throw. */
export async function blockdevGetRo(dev: string): Promise<GetRoResult> {
  const r = await run('blockdev', ['--getro', dev], 10_000);
  const out = r.stdout.trim();
  if (r.code === 0 && (out === '0' || out === '1')) return { ok: true, ro: out === '1' };
  return { ok: false, note: `blockdev --getro ${dev}: ${complaint(r)}` };
}

/** sysfs and BLKROGET together: engaged only when both say so; a disagreement reads 'unknown'. */
export async function confirmKernelRo(dev: string, opts: KernelRoOptions = {}): Promise<WriteBlockReading> {
  const fromSysfs = await readKernelRo(dev, opts);
  if (fromSysfs.state === 'unknown') return fromSysfs;
  const got = await blockdevGetRo(dev);
  if (!got.ok) return reading('unknown', `${fromSysfs.detail}; ${got.note}`);
  const ioctl = `BLKROGET (blockdev --getro) = ${got.ro ? 1 : 0}`;
  if (got.ro !== (fromSysfs.state === 'engaged')) return reading('unknown', `${fromSysfs.detail}; ${ioctl}: they disagree`);
  return reading(fromSysfs.state, `${fromSysfs.detail}; ${ioctl}`);
}

export interface SetRoContext {
  /** The machine-wide audit log (controller/audit-log.ts auditLog()). */
  readonly audit: Logger;
  readonly sysRoot?: string;
}

/** BLKROSET through `blockdev --setro`, audited, then read back: the result says what the kernel now reports. */
export async function setKernelRo(dev: string, ctx: SetRoContext): Promise<WriteBlockReading> {
  const r = await run('blockdev', ['--setro', dev], 10_000);
  if (r.code !== 0) {
    const why = complaint(r);
    ctx.audit.error({ act: 'setro', device: dev, ok: false, why }, `blockdev --setro ${dev} failed`);
    throw new Error(`blockdev --setro ${dev}: ${why}`);
  }
  const after = await confirmKernelRo(dev, ctx);
  ctx.audit.info({ act: 'setro', device: dev, ok: after.state === 'engaged', detail: after.detail }, `kernel read-only flag set on ${dev}`);
  return { ...after, detail: `set by blockdev --setro; ${after.detail}` };
}

/** What a device is to the job that asks: a source is never made writable. */
export type DeviceRole = 'source' | 'destination' | 'other';

export interface ClearRoRequest {
  readonly role: DeviceRole;
  /** Why, in the operator's words, for the audit log. Required. */
  readonly reason: string;
}

/** Throws (and audits the refusal) unless the request may clear the flag on dev. */
export function checkClearRequest(dev: string, req: ClearRoRequest, audit: Logger): void {
  const why =
    req.role === 'source'
      ? 'a source drive is never made writable'
      : !req.reason?.trim()
        ? 'clearing the read-only flag needs a stated reason'
        : undefined;
  if (why === undefined) return;
  audit.warn({ act: 'setrw', device: dev, role: req.role, refused: true, why }, `refused to clear the read-only flag on ${dev}`);
  throw new Error(`refused to clear the read-only flag on ${dev}: ${why}`);
}

/** BLKROSET 0 through `blockdev --setrw`: only for a non-source device, with a reason, audited. */
export async function clearKernelRo(dev: string, req: ClearRoRequest, ctx: SetRoContext): Promise<WriteBlockReading> {
  checkClearRequest(dev, req, ctx.audit);
  const r = await run('blockdev', ['--setrw', dev], 10_000);
  if (r.code !== 0) {
    const why = complaint(r);
    ctx.audit.error({ act: 'setrw', device: dev, role: req.role, reason: req.reason, ok: false, why }, `blockdev --setrw ${dev} failed`);
    throw new Error(`blockdev --setrw ${dev}: ${why}`);
  }
  const after = await confirmKernelRo(dev, ctx);
  ctx.audit.warn(
    { act: 'setrw', device: dev, role: req.role, reason: req.reason, ok: after.state === 'not-engaged', detail: after.detail },
    `kernel read-only flag cleared on ${dev}`,
  );
  return { ...after, detail: `cleared by blockdev --setrw (${req.role}: ${req.reason}); ${after.detail}` };
}
