// DCO restore (DEVICE CONFIGURATION RESTORE): permanent, so never silent. Two distinct
// confirmations: request() reads the drive and returns a single-use challenge naming it; confirm()
// needs that challenge and the drive's serial number typed back, which it checks against the
// drive again. Both steps refuse under a started job, and every step reaches the audit log.
// Nothing in imagebox calls this on its own: only an operator's two answers do.

import { randomUUID } from 'node:crypto';
import { fail, jobForbids, refuse } from './acts.ts';
import type { ActFields, ActOptions } from './acts.ts';
import { detectHiddenAreas, isNvme } from './hidden-areas.ts';
import { parseDcoRestore, parseMaxSectors } from './parse-hdparm.ts';
import { parseIdentify } from './parse-identify.ts';
import type { ActResult, AtaBinding, MaxSectors } from './types.ts';

export interface DcoChallenge {
  readonly id: string;
  readonly device: string;
  /** The drive's serial number: the operator types it back to confirm. */
  readonly serial: string;
  readonly model?: string;
  readonly nativeSectors: number;
  readonly realMaxSectors: number;
  readonly disabledFeatures: readonly string[];
  /** Epoch ms after which the challenge is void. */
  readonly expiresAt: number;
  /** What the operator is asked to agree to. */
  readonly warning: string;
}

export interface DcoRestoreDone {
  readonly before: MaxSectors;
  readonly after: MaxSectors;
  readonly realMaxSectors: number;
}

export interface DcoDeskOptions {
  /** How long a challenge stays valid (default 5 minutes). */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/** Pending DCO restore challenges; one desk per controller. */
export class DcoRestoreDesk {
  readonly #pending = new Map<string, DcoChallenge>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(opts: DcoDeskOptions = {}) {
    this.#ttlMs = opts.ttlMs ?? 5 * 60_000;
    this.#now = opts.now ?? Date.now;
  }

  /** First confirmation: the operator asks for a restore of this drive. */
  async request(binding: AtaBinding, device: string, operator: string, opts: ActOptions): Promise<ActResult<{ challenge: DcoChallenge }>> {
    const fields: ActFields = { act: 'dco-restore-request', drive: device, job: opts.job.jobId, operator };
    const { audit } = opts;
    const forbidden = jobForbids(opts.job, 'DCO restore');
    if (forbidden) return refuse(audit, fields, forbidden);
    if (!operator) return refuse(audit, fields, 'DCO restore needs the name of the operator asking for it');
    if (isNvme(device)) return refuse(audit, fields, `${device} is NVMe: it has no DCO`);
    const h = await detectHiddenAreas(binding, device);
    if (h.kind !== 'ata') return refuse(audit, fields, `DCO restore unavailable: ${h.note}`);
    if (h.dco.state !== 'read') return refuse(audit, fields, `DCO restore unavailable: ${h.dco.note}`);
    const serial = h.identity?.serial;
    if (!serial) return refuse(audit, fields, `${device}: IDENTIFY gave no serial number to confirm the restore with`);
    const before = { visible: h.visibleSectors, native: h.nativeSectors };
    if (h.hpa.enabled) {
      return refuse(audit, fields, `${device} has an HPA set (${h.visibleSectors}/${h.nativeSectors}): the drive aborts a DCO restore while an HPA is set; unlock the HPA first`, { before });
    }
    if (h.dco.hiddenSectors === 0 && h.dco.featuresCompared && h.dco.disabledFeatures.length === 0) {
      return refuse(audit, fields, `${device}: the DCO hides nothing (real max ${h.dco.realMaxSectors} = native max), nothing to restore`, { before });
    }
    const challenge: DcoChallenge = {
      id: randomUUID(),
      device,
      serial,
      model: h.identity?.model,
      nativeSectors: h.nativeSectors,
      realMaxSectors: h.dco.realMaxSectors,
      disabledFeatures: h.dco.disabledFeatures,
      expiresAt: this.#now() + this.#ttlMs,
      warning: `PERMANENT: reset ${device} (${h.identity?.model ?? 'model unknown'}, serial ${serial}) to its factory configuration: ${h.nativeSectors} -> ${h.dco.realMaxSectors} sectors${h.dco.disabledFeatures.length ? `, re-enabling ${h.dco.disabledFeatures.join(', ')}` : ''}. Type the drive's serial number to confirm.`,
    };
    this.#pending.set(challenge.id, challenge);
    audit.info({ ...fields, before, realMaxSectors: challenge.realMaxSectors, challenge: challenge.id }, `DCO restore requested on ${device}, awaiting the serial number`);
    return { ok: true, challenge };
  }

  /** Second confirmation: the challenge and the serial number typed back. Single use. */
  async confirm(binding: AtaBinding, challengeId: string, typedSerial: string, operator: string, opts: ActOptions): Promise<ActResult<DcoRestoreDone>> {
    const challenge = this.#pending.get(challengeId);
    this.#pending.delete(challengeId);
    const fields: ActFields = { act: 'dco-restore', drive: challenge?.device ?? '(unknown)', job: opts.job.jobId, operator };
    const { audit } = opts;
    if (!challenge) return refuse(audit, fields, 'DCO restore refused: no such request (each confirmation is single-use: request again)');
    if (this.#now() > challenge.expiresAt) return refuse(audit, fields, 'DCO restore refused: the request expired: request again');
    const forbidden = jobForbids(opts.job, 'DCO restore');
    if (forbidden) return refuse(audit, fields, forbidden);
    const { device } = challenge;
    if (typedSerial.trim() !== challenge.serial) {
      return refuse(audit, fields, `DCO restore refused: the serial number typed does not match ${device}'s (${challenge.serial})`);
    }
    // The drive on this path may have been swapped since the request: ask it again.
    const id = parseIdentify(await binding.identify(device), device);
    if (!id.ok || id.value.serial !== challenge.serial) {
      return refuse(audit, fields, `DCO restore refused: ${device} no longer identifies as serial ${challenge.serial}${id.ok ? ` (now ${id.value.serial ?? 'none'})` : `: ${id.note}`}`);
    }
    const read = parseMaxSectors(await binding.readMax(device), device);
    if (!read.ok) return refuse(audit, fields, `DCO restore unavailable: ${read.note}`);
    const before = read.value;
    if (before.visible < before.native) {
      return refuse(audit, fields, `${device} has an HPA set (${before.visible}/${before.native}): the drive aborts a DCO restore while an HPA is set`, { before });
    }

    audit.info({ ...fields, before, realMaxSectors: challenge.realMaxSectors, challenge: challenge.id }, `issuing DEVICE CONFIGURATION RESTORE on ${device}`);
    const restored = parseDcoRestore(await binding.dcoRestore(device), device);
    const reread = parseMaxSectors(await binding.readMax(device), device);
    if (!restored.accepted) return fail(audit, fields, `the drive refused the DCO restore: ${restored.note}`, { before, after: reread.ok ? reread.value : undefined });
    if (!reread.ok) return fail(audit, fields, `DCO restore sent, but the max could not be read back: ${reread.note}`, { before });
    const after = reread.value;
    if (after.native !== challenge.realMaxSectors) {
      return fail(audit, fields, `DCO restore did not take: native max is ${after.native}, expected ${challenge.realMaxSectors}`, { before, after });
    }
    audit.info({ ...fields, before, after }, `DCO restored on ${device}`);
    return { ok: true, before, after, realMaxSectors: challenge.realMaxSectors };
  }
}
