// What a drive hides: the HPA (visible vs native max) and the DCO (native vs factory max, and
// the features it switched off). Detection only reads: -N, -I and --dco-identify.

import { basename } from 'node:path';
import type { Logger } from 'pino';
import { dcoDisabledFeatures, hasHpaFeature } from './dco-features.ts';
import { parseMaxSectors } from './parse-hdparm.ts';
import { identifySectors, parseDcoIdentify, parseIdentify } from './parse-identify.ts';
import type { AtaBinding, AtaIdentity, DcoFinding, DcoIdentify, HiddenAreas, HpaFinding, MaxSectors, Parsed } from './types.ts';

/** NVMe namespaces have neither HPA nor DCO (nvme0n1, nvme0n1p2, or a transport that says so). */
export function isNvme(device: string, transport?: string): boolean {
  return /^nvme\d+(n\d+(p\d+)?)?$/.test(basename(device)) || /^nvme$/i.test(transport ?? '');
}

export interface HiddenAreaInputs {
  readonly device: string;
  readonly max: Parsed<MaxSectors>;
  readonly dco: Parsed<DcoIdentify>;
  readonly identity: Parsed<AtaIdentity>;
}

/**
 * The native max, from -N or, when READ NATIVE MAX ADDRESS failed on a drive whose IDENTIFY has
 * no HPA feature set (a DCO can switch it off), from IDENTIFY: without that feature there is no
 * HPA, so the visible max is the native one.
 */
function nativeMax(inputs: HiddenAreaInputs): { max: MaxSectors; note?: string } | { note: string } {
  if (inputs.max.ok) return { max: inputs.max.value };
  const id = inputs.identity.ok ? inputs.identity.value : undefined;
  const sectors = id && identifySectors(id);
  if (id && sectors && !hasHpaFeature(id)) {
    return {
      max: { visible: sectors, native: sectors, accessibleMaxAddress: false },
      note: 'no HPA feature set in IDENTIFY, so no HPA (native max taken from IDENTIFY)',
    };
  }
  return { note: inputs.max.note };
}

/** Pure: the parsed outputs of one drive -> its hidden areas. */
export function combineHiddenAreas(inputs: HiddenAreaInputs): HiddenAreas {
  const { device } = inputs;
  const base = nativeMax(inputs);
  if (!('max' in base)) return { kind: 'unavailable', device, note: base.note };
  const { max } = base;
  const identity = inputs.identity.ok ? inputs.identity.value : undefined;
  const sectorSize = identity?.logicalSectorSize ?? 512;
  const hpaHidden = max.native - max.visible;
  const hpa: HpaFinding = {
    enabled: hpaHidden > 0,
    hiddenSectors: hpaHidden,
    hiddenBytes: hpaHidden * sectorSize,
    ...(base.note ? { note: base.note } : {}),
  };
  let dco: DcoFinding;
  if (inputs.dco.ok) {
    const d = inputs.dco.value;
    const dcoHidden = Math.max(0, d.realMaxSectors - max.native);
    dco = {
      state: 'read',
      realMaxSectors: d.realMaxSectors,
      hiddenSectors: dcoHidden,
      hiddenBytes: dcoHidden * sectorSize,
      disabledFeatures: identity ? dcoDisabledFeatures(d, identity) : [],
      featuresCompared: identity !== undefined,
    };
  } else {
    dco = { state: 'unavailable', note: inputs.dco.note };
  }
  return {
    kind: 'ata',
    device,
    sectorSize,
    visibleSectors: max.visible,
    nativeSectors: max.native,
    visibleBytes: max.visible * sectorSize,
    nativeBytes: max.native * sectorSize,
    accessibleMaxAddress: max.accessibleMaxAddress,
    hpa,
    dco,
    ...(identity ? { identity } : {}),
  };
}

export interface DetectOptions {
  /** The transport lsblk or discovery reported ("sata", "usb", "nvme"...). */
  readonly transport?: string;
  readonly log?: Logger;
}

/** Reads -N, -I and --dco-identify and says what the drive hides. Never throws for a drive's answer. */
export async function detectHiddenAreas(binding: AtaBinding, device: string, opts: DetectOptions = {}): Promise<HiddenAreas> {
  const log = opts.log?.child({ component: 'ata', drive: device });
  if (isNvme(device, opts.transport)) {
    return { kind: 'not-applicable', device, reason: 'nvme', note: 'NVMe drives have no HPA or DCO (ATA features)' };
  }
  const max = parseMaxSectors(await binding.readMax(device), device);
  const identity = parseIdentify(await binding.identify(device), device);
  // A drive that answers neither -N nor -I is not worth a third command.
  const dco: Parsed<DcoIdentify> =
    !max.ok && !identity.ok ? { ok: false, note: max.note } : parseDcoIdentify(await binding.dcoIdentify(device), device);
  const result = combineHiddenAreas({ device, max, dco, identity });
  if (result.kind === 'unavailable') log?.warn({ note: result.note }, 'HPA/DCO unavailable');
  else log?.info({ hiddenAreas: { ...result, identity: undefined } }, 'HPA/DCO read');
  return result;
}
