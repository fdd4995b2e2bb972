// `imagebox hidden DEVICE [--json]`: what the drive's HPA and DCO hide, read with hdparm -N, -I and
// --dco-identify. It only reads; a drive that cannot say is a note, not an error.

import { formatBinary, formatSectors } from '../../drivers/ata/summary.ts';
import { detectHiddenAreas } from '../../drivers/ata/hidden-areas.ts';
import type { HiddenAreas } from '../../drivers/ata/types.ts';
import { EXIT } from '../exit-codes.ts';
import { count, parseDeviceArgs } from './ata-command-deps.ts';
import type { AtaCommandDeps } from './ata-command-deps.ts';
import type { CommandIO } from './rescue-command.ts';

export const HIDDEN_USAGE = `usage: imagebox hidden DEVICE [--json]

Says what the drive hides from the host: the Host Protected Area (sectors between the visible
and the native max) and the Device Configuration Overlay (sectors between the native and the
factory max, and the features it switched off). It only reads (hdparm -N, -I, --dco-identify).
NVMe drives have neither; a drive or bridge that does not answer ATA commands is a note.

options:
  --json   print the findings as JSON for scripts

exit codes: 0 read (or not applicable, or unavailable with a note), 2 not a whole-disk block device

environment:
  IMAGEBOX_TOOL_PATH   where to look for hdparm (PATH syntax; default $PATH and sbin)`;

type AtaAreas = Extract<HiddenAreas, { kind: 'ata' }>;

const row = (label: string, value: string): string => `${label.padEnd(9)} ${value}`;
const hiddenSize = (sectors: number, bytes: number): string => `${formatSectors(sectors)} (${formatBinary(bytes)}) hidden`;

function hpaRow(h: AtaAreas): string {
  if (!h.hpa.enabled) return row('HPA', h.hpa.note ? `none (${h.hpa.note})` : 'none');
  const how = h.accessibleMaxAddress
    ? 'ACCESSIBLE MAX ADDRESS: every unlock would be permanent, so imagebox does not unlock it'
    : `'imagebox hpa-unlock ${h.device}' shows them until the next power cycle`;
  return row('HPA', `${hiddenSize(h.hpa.hiddenSectors, h.hpa.hiddenBytes)}: ${how}`);
}

function dcoRow(h: AtaAreas): string {
  const d = h.dco;
  if (d.state === 'unavailable') return row('DCO', `unknown: ${d.note}`);
  const parts = [d.hiddenSectors > 0 ? hiddenSize(d.hiddenSectors, d.hiddenBytes) : 'no sectors hidden'];
  if (d.disabledFeatures.length) parts.push(`disables ${d.disabledFeatures.join(', ')}`);
  if (!d.featuresCompared) parts.push('features not compared (IDENTIFY unreadable)');
  let text = `${parts.join('; ')} (factory max ${count(d.realMaxSectors)} sectors)`;
  if (d.hiddenSectors > 0 || d.disabledFeatures.length) text += `: 'imagebox dco-restore ${h.device}' restores it, permanently`;
  return row('DCO', text);
}

export function formatHidden(h: HiddenAreas): string {
  if (h.kind === 'not-applicable') return `${h.device}: HPA/DCO not applicable (NVMe)\n`;
  if (h.kind === 'unavailable') return `${h.device}: HPA/DCO unavailable: ${h.note}\n`;
  const id = h.identity;
  const lines = [row('device', h.device)];
  if (id?.model || id?.serial) lines.push(row('drive', [id.model ?? 'model unknown', `serial ${id.serial ?? 'unknown'}`, ...(id.firmware ? [`firmware ${id.firmware}`] : [])].join(', ')));
  lines.push(row('sectors', `${count(h.visibleSectors)} visible, ${count(h.nativeSectors)} native (${h.sectorSize} bytes each)`));
  lines.push(hpaRow(h), dcoRow(h));
  return `${lines.join('\n')}\n`;
}

export async function hiddenCommand(argv: string[], io: CommandIO, deps: AtaCommandDeps): Promise<number> {
  const { device, flags } = parseDeviceArgs('hidden', argv, ['--json']);
  const path = await deps.resolveDevice('hidden', device);
  const h = await detectHiddenAreas(deps.ata, path);
  io.stdout.write(flags.has('--json') ? `${JSON.stringify(h, null, 2)}\n` : formatHidden(h));
  return EXIT.ok;
}
