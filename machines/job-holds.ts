// A paused job may be held for several reasons at once (a drive pulled while its write blocker
// drops out, an operator pause while the destination is full); it resumes only when every hold
// is cleared, and shows the most urgent one. Pure functions: the machine assigns what they return.
import { formatBytes } from '../controller/units.ts';
import type { ApplianceJobContext, Holds, PauseReason } from './appliance-job.types.ts';

/**
 * Most urgent first: a missing drive (whose write block is then unknown too), evidence safety, a
 * drive that stopped answering, the destination, then the operator.
 */
export const PAUSE_ORDER: readonly PauseReason[] = [
  'drive-removed',
  'write-block-lost',
  'drive-unresponsive',
  'destination-full',
  'operator',
];

type HoldView = Pick<ApplianceJobContext, 'port' | 'source' | 'holds'>;

function message(reason: PauseReason, c: HoldView): string {
  const h = c.holds;
  const serial = c.source.serial ?? 'unknown serial';
  switch (reason) {
    case 'write-block-lost':
      return (
        `Write block on port ${c.port} is ${h['write-block-lost']?.state ?? 'unknown'} during a forensic acquisition: ` +
        'reading stopped so nothing can reach the evidence drive unprotected; resumes when the write blocker reports engaged.'
      );
    case 'drive-removed':
      return `Source drive (${serial}) was removed from port ${c.port}: resumes when the same drive is attached again.`;
    case 'drive-unresponsive':
      return (
        `Source drive (${serial}) on port ${c.port} stopped answering after ${h['drive-unresponsive']?.hangs ?? 0} hung reads; ` +
        'check its power and cable, then resume.'
      );
    case 'destination-full': {
      const d = h['destination-full'];
      const free = d?.freeBytes === null || d === undefined ? 'unknown' : formatBytes(d.freeBytes);
      return `Destination is full: needs ${formatBytes(d?.bytesNeeded ?? 0)} free (now ${free}); resumes when there is room.`;
    }
    case 'operator':
      return 'Paused by the operator.';
  }
}

export function pauseOf(c: HoldView): ApplianceJobContext['pause'] {
  const reason = PAUSE_ORDER.find((r) => c.holds[r] !== undefined);
  return reason === undefined ? undefined : { reason, message: message(reason, c) };
}

type HoldUpdate = Pick<ApplianceJobContext, 'holds' | 'pause'>;

export function addHold<R extends PauseReason>(c: HoldView, reason: R, value: NonNullable<Holds[R]>): HoldUpdate {
  const holds: Holds = { ...c.holds, [reason]: value };
  return { holds, pause: pauseOf({ ...c, holds }) };
}

export function clearHold(c: HoldView, reason: PauseReason): HoldUpdate {
  const holds: Holds = { ...c.holds };
  delete (holds as Record<PauseReason, unknown>)[reason];
  return { holds, pause: pauseOf({ ...c, holds }) };
}

export function isHeld(c: HoldView): boolean {
  return PAUSE_ORDER.some((r) => c.holds[r] !== undefined);
}

/** Holds for what is known of the source: gone, or in a forensic job without an engaged write block. */
export function holdsForDrive(c: HoldView & Pick<ApplianceJobContext, 'drivePresent' | 'mode' | 'writeBlock'>): HoldUpdate {
  let view: HoldView = c;
  if (!c.drivePresent) view = { ...view, ...addHold(view, 'drive-removed', { serial: c.source.serial }) };
  if (c.mode === 'forensic' && c.writeBlock !== 'engaged') {
    view = { ...view, ...addHold(view, 'write-block-lost', { state: c.writeBlock }) };
  }
  return { holds: view.holds, pause: pauseOf(view) };
}
