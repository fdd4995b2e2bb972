// SMART for the preflight: smartctl as it chooses, and once more with `-d sat` when a USB bridge
// it does not know stopped it. smartctl itself asks for that ("Unknown USB bridge ... Please
// specify device type with the -d option"), and most current bridges pass SAT through.

import type { SmartBinding, SmartReport } from '../../drivers/smart/types.ts';

const ASKS_FOR_TYPE = /Unknown USB bridge|specify device type/i;

export interface SmartStepResult {
  readonly report: SmartReport;
  /** Set when the answer came from the `-d sat` retry, or the retry did not help. */
  readonly note?: string;
}

export async function readSmart(smart: SmartBinding, device: string, transport: string | undefined, signal?: AbortSignal): Promise<SmartStepResult> {
  const first = await smart.read(device, { signal });
  if (first.available || first.reason !== 'unsupported-device' || transport !== 'usb' || !ASKS_FOR_TYPE.test(first.note)) {
    return { report: first };
  }
  const sat = await smart.read(device, { signal, deviceType: 'sat' });
  if (sat.available) return { report: sat, note: `SMART read with -d sat: smartctl did not know the USB bridge (${first.note})` };
  return { report: first, note: `SMART through the USB bridge failed with -d sat too: ${sat.note}` };
}
