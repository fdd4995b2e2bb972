// Power-cycling a source drive: off, wait, on, wait for it to spin up. Every switch goes to the
// audit log. A cycle that does not finish (aborted, or a switch failed) gives the drive its power
// back if it can: an abort means "stop cycling", not "leave the drive unpowered".

import { setTimeout as sleep } from 'node:timers/promises';
import { auditLog } from '../../controller/audit-log.ts';
import type { Logger } from '../../controller/logger.ts';
import { DEFAULT_POWER_CYCLE } from './types.ts';
import type { PowerCycleTimings, PowerSwitch } from './types.ts';

/** Time for power cycling, injectable so tests need not wait 18 s. */
export interface PowerClock {
  /** Milliseconds since the epoch (for the record's timestamps). */
  now(): number;
  /** Resolves after ms; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const wallPowerClock: PowerClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }),
};

export interface PowerCycleRecord {
  readonly switch: string;
  readonly timings: PowerCycleTimings;
  readonly offAt: string;
  readonly onAt: string;
  readonly readyAt: string;
}

/** Switch once, with an audit line for the act or its failure. */
export async function setPower(sw: PowerSwitch, to: 'on' | 'off', signal?: AbortSignal, audit: Logger = auditLog()): Promise<void> {
  try {
    await (to === 'on' ? sw.on(signal) : sw.off(signal));
  } catch (err) {
    audit.error({ act: 'power', switch: sw.label, to, err }, `power ${to} failed: ${sw.label}`);
    throw err;
  }
  audit.info({ act: 'power', switch: sw.label, to }, `power ${to}: ${sw.label}`);
}

export async function cycle(
  sw: PowerSwitch,
  timings: PowerCycleTimings = DEFAULT_POWER_CYCLE,
  signal?: AbortSignal,
  clock: PowerClock = wallPowerClock,
  audit: Logger = auditLog(),
): Promise<PowerCycleRecord> {
  signal?.throwIfAborted();
  const iso = (): string => new Date(clock.now()).toISOString();
  const fields = { act: 'power-cycle', switch: sw.label, offMs: timings.offMs, settleMs: timings.settleMs };
  audit.info(fields, `power cycle: ${sw.label}`);
  let phase = 'off';
  let poweredOn = false;
  try {
    const offAt = iso();
    await setPower(sw, 'off', signal, audit);
    phase = 'waiting with power off';
    await clock.sleep(timings.offMs, signal);
    phase = 'on';
    await setPower(sw, 'on', undefined, audit); // once asked, power comes back whatever the signal says
    poweredOn = true;
    const onAt = iso();
    phase = 'settling';
    await clock.sleep(timings.settleMs, signal);
    const readyAt = iso();
    audit.info({ ...fields, offAt, onAt, readyAt }, `power cycle done: ${sw.label}`);
    return { switch: sw.label, timings, offAt, onAt, readyAt };
  } catch (err) {
    const aborted = signal?.aborted === true;
    audit.warn({ ...fields, phase, err: aborted ? undefined : err }, `power cycle ${aborted ? 'aborted' : 'failed'} (${phase}): ${sw.label}`);
    if (!poweredOn) await setPower(sw, 'on', undefined, audit).catch(() => {});
    throw err;
  }
}
