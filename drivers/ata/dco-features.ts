// Which features a DCO has switched off. DEVICE CONFIGURATION IDENTIFY lists every feature the
// drive could offer; IDENTIFY DEVICE lists what it offers now. A feature in the first list and
// missing from the second is one the DCO disabled. hdparm names them differently in the two
// outputs, so this table maps its --dco-identify tokens to its -I names.

import type { AtaIdentity, DcoIdentify } from './types.ts';

/** hdparm --dco-identify token -> the line hdparm -I prints for the same feature. */
export const DCO_TO_IDENTIFY: Readonly<Record<string, string>> = {
  SMART: 'SMART feature set',
  self_test: 'SMART self-test',
  error_log: 'SMART error logging',
  security: 'Security Mode feature set',
  PUIS: 'Power-Up In Standby feature set',
  TCQ: 'READ/WRITE_DMA_QUEUED',
  AAM: 'Automatic Acoustic Management feature set',
  HPA: 'Host Protected Area feature set',
  '48_bit': '48-bit Address feature set',
  FUA: 'WRITE_{DMA|MULTIPLE}_FUA_EXT',
  write_read_verify: 'Write-Read-Verify feature set',
  WRITE_UNC_EXT: 'WRITE_UNCORRECTABLE_EXT command',
  free_fall: 'Free-fall Control feature set',
  NCQ: 'Native Command Queueing (NCQ)',
  NZ_buffer_offsets: 'Non-Zero buffer offsets in DMA Setup FIS',
  interface_power_management: 'Host-initiated interface power management',
  async_notification: 'Asynchronous notification (eg. media change)',
  SSP: 'Software settings preservation',
};

const normal = (s: string): string => s.toLowerCase().replace(/[\s_-]+/g, ' ').trim();

/**
 * The DCO-selectable features IDENTIFY no longer lists, in IDENTIFY's words. Tokens with no -I
 * counterpart (selective_test, conveyance_test, streaming...) cannot be judged and are left out.
 */
export function dcoDisabledFeatures(dco: DcoIdentify, identity: AtaIdentity): string[] {
  const present = new Set(identity.features.map((f) => normal(f.name)));
  const out: string[] = [];
  for (const token of [...dco.ataFeatures, ...dco.sataFeatures]) {
    const name = DCO_TO_IDENTIFY[token];
    if (name && !present.has(normal(name))) out.push(name);
  }
  return out;
}

/** Whether IDENTIFY lists the HPA feature set (READ NATIVE MAX ADDRESS belongs to it). */
export function hasHpaFeature(identity: AtaIdentity): boolean {
  return identity.features.some((f) => normal(f.name) === normal(DCO_TO_IDENTIFY.HPA));
}
