// The volatile HPA unlock: SET MAX ADDRESS to the native max without the 'p' prefix, so the
// drive shows its whole native area until the next power cycle and is left as it was after it.
// Only on the operator's confirmation of the exact numbers shown, never under a started job,
// never on an ACCESSIBLE MAX ADDRESS drive (whose set is always permanent), and audit-logged
// with the max before and after, read back from the drive.

import { fail, jobForbids, refuse } from './acts.ts';
import type { ActFields, ActOptions } from './acts.ts';
import { isNvme } from './hidden-areas.ts';
import { parseMaxSectors, parseSetMax } from './parse-hdparm.ts';
import type { ActResult, AtaBinding, MaxSectors } from './types.ts';

/** What the operator saw and agreed to; a stale confirmation (the drive changed) is refused. */
export interface HpaUnlockConfirmation {
  readonly device: string;
  readonly visibleSectors: number;
  readonly nativeSectors: number;
  /** Who confirmed, for the audit log. */
  readonly operator: string;
}

export interface HpaUnlockDone {
  readonly before: MaxSectors;
  readonly after: MaxSectors;
  readonly note: string;
}

/** The confirmation text for an operator, from a fresh -N reading. */
export function describeHpaUnlock(device: string, max: MaxSectors): string {
  const hidden = max.native - max.visible;
  return `Unlock the HPA of ${device} until its next power cycle: show ${max.native} sectors instead of ${max.visible} (${hidden} hidden sectors). The drive's settings are not changed for good.`;
}

export async function unlockHpaVolatile(
  binding: AtaBinding,
  device: string,
  confirmation: HpaUnlockConfirmation | undefined,
  opts: ActOptions,
): Promise<ActResult<HpaUnlockDone>> {
  const fields: ActFields = { act: 'hpa-unlock-volatile', drive: device, job: opts.job.jobId, operator: confirmation?.operator };
  const { audit } = opts;
  const forbidden = jobForbids(opts.job, 'HPA unlock');
  if (forbidden) return refuse(audit, fields, forbidden);
  if (!confirmation || confirmation.device !== device || !confirmation.operator) {
    return refuse(audit, fields, `HPA unlock of ${device} needs the operator's confirmation of this drive and its sector counts`);
  }
  if (isNvme(device)) return refuse(audit, fields, `${device} is NVMe: it has no HPA`);

  const read = parseMaxSectors(await binding.readMax(device), device);
  if (!read.ok) return refuse(audit, fields, `HPA unlock unavailable: ${read.note}`);
  const before = read.value;
  if (before.accessibleMaxAddress) {
    return refuse(audit, fields, `${device} uses ACCESSIBLE MAX ADDRESS (ACS-3): every set is permanent, so a volatile unlock is impossible without changing the drive for good`, { before });
  }
  if (before.visible >= before.native) return refuse(audit, fields, `${device} has no HPA (max sectors ${before.visible}/${before.native})`, { before });
  if (confirmation.visibleSectors !== before.visible || confirmation.nativeSectors !== before.native) {
    return refuse(
      audit,
      fields,
      `${device} now shows ${before.visible}/${before.native} sectors, not the ${confirmation.visibleSectors}/${confirmation.nativeSectors} the operator confirmed: confirm again`,
      { before },
    );
  }

  audit.info({ ...fields, before, sectors: before.native }, `issuing volatile SET MAX ADDRESS on ${device}`);
  const set = parseSetMax(await binding.setMaxVolatile(device, before.native), device);
  // Judge by a fresh read, not by what the set printed: the drive is the authority.
  const reread = parseMaxSectors(await binding.readMax(device), device);
  if (!set.accepted) return fail(audit, fields, `the drive refused the unlock: ${set.note}`, { before, after: reread.ok ? reread.value : undefined });
  if (!reread.ok) return fail(audit, fields, `unlock sent, but the max could not be read back: ${reread.note}`, { before });
  const after = reread.value;
  if (after.visible !== before.native) {
    return fail(audit, fields, `unlock did not take: ${device} shows ${after.visible}/${after.native} sectors`, { before, after });
  }
  audit.info({ ...fields, before, after }, `HPA unlocked (volatile) on ${device}`);
  return {
    ok: true,
    before,
    after,
    note: `${device} shows all ${after.native} native sectors until its next power cycle; the kernel sees the new size only after the device is rescanned`,
  };
}
