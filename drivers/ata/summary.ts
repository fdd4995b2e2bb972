// One line per drive for tables and logs: "HPA: 2,113 sectors (1.0 MiB) hidden".
// Hidden areas are small next to the drive, so sizes are binary with one decimal.

import type { HiddenAreas } from './types.ts';

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBinary(bytes: number): string {
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < BINARY.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${BINARY[i]}`;
}

export function formatSectors(n: number): string {
  return `${n.toLocaleString('en-US')} sector${n === 1 ? '' : 's'}`;
}

function hidden(label: string, sectors: number, bytes: number): string {
  return sectors > 0 ? `${label}: ${formatSectors(sectors)} (${formatBinary(bytes)}) hidden` : `${label}: none`;
}

export function summarizeHiddenAreas(h: HiddenAreas): string {
  if (h.kind === 'not-applicable') return 'HPA/DCO: not applicable (NVMe)';
  if (h.kind === 'unavailable') return `HPA/DCO: unavailable (${h.note})`;
  const parts = [hidden('HPA', h.hpa.hiddenSectors, h.hpa.hiddenBytes)];
  if (h.dco.state === 'unavailable') parts.push('DCO: unknown');
  else {
    let dco = hidden('DCO', h.dco.hiddenSectors, h.dco.hiddenBytes);
    if (h.dco.disabledFeatures.length) dco += `, disables ${h.dco.disabledFeatures.join(', ')}`;
    parts.push(dco);
  }
  return parts.join('; ');
}
