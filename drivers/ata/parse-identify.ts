// Pure parsers of `hdparm --dco-identify` and `hdparm -I`. Both are read line by line and
// tolerate tabs turned into spaces and elided lines ("..."), as in outputs pasted into forums.

import { unusable } from './parse-hdparm.ts';
import type { AtaIdentity, DcoIdentify, HdparmResult, IdentifyFeature, Parsed, SecurityState } from './types.ts';

function safeCount(text: string): number | undefined {
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Tokens on a DCO feature line, without hdparm's "(?)" marks for revision-1 structures. */
function tokens(line: string): string[] {
  return line
    .trim()
    .split(/\s+/)
    .map((t) => t.replace(/\(\?\):?$/, ''))
    .filter((t) => t !== '' && t !== '(?):' && t !== '(?)');
}

export function parseDcoIdentify(result: HdparmResult, device: string): Parsed<DcoIdentify> {
  if (result.kind === 'unavailable') return { ok: false, note: result.note };
  const text = result.stdout;
  const rev = /DCO Revision:\s*0x([0-9a-f]+)/i.exec(text);
  const real = /Real max sectors:\s*(\d+)/.exec(text);
  if (!rev || !real) return { ok: false, note: unusable(result, device) };
  const realMaxSectors = safeCount(real[1]);
  if (realMaxSectors === undefined || realMaxSectors === 0) {
    return { ok: false, note: `${device}: DCO real max sectors out of range (${real[1]})` };
  }
  const sections: Record<'modes' | 'ata' | 'sata', string[]> = { modes: [], ata: [], sata: [] };
  let section: keyof typeof sections | undefined;
  for (const line of text.split('\n')) {
    if (/^\s*Transfer modes:/.test(line)) section = 'modes';
    else if (/^\s*Real max sectors:/.test(line)) section = undefined;
    else if (/^\s*ATA command\/feature sets:/.test(line)) section = 'ata';
    else if (/^\s*SATA command\/feature sets:/.test(line)) section = 'sata';
    else if (!/^\s/.test(line) || line.trim() === '') section = undefined;
    else if (section) sections[section].push(...tokens(line));
  }
  return {
    ok: true,
    value: {
      revision: parseInt(rev[1], 16),
      checksum: /DCO Checksum verified/.test(text) ? 'verified' : /DCO Checksum FAILED/.test(text) ? 'failed' : 'not-checked',
      realMaxSectors,
      transferModes: sections.modes,
      ataFeatures: sections.ata,
      sataFeatures: sections.sata,
    },
  };
}

function field(text: string, label: string): string | undefined {
  const m = new RegExp(`^\\s*${label}:[ \\t]*(.*?)\\s*$`, 'm').exec(text);
  return m && m[1] !== '' ? m[1] : undefined;
}

function sectorCount(text: string, label: string): number | undefined {
  const m = new RegExp(`^\\s*${label}\\s+user addressable sectors:\\s*(\\d+)`, 'm').exec(text);
  return m ? safeCount(m[1]) : undefined;
}

function sectorSizes(text: string): { logical?: number; physical?: number } {
  const both = /Logical\/Physical Sector size:\s*(\d+) bytes/.exec(text);
  if (both) return { logical: Number(both[1]), physical: Number(both[1]) };
  const logical = /Logical\s+Sector size:\s*(\d+) bytes/.exec(text);
  const physical = /Physical Sector size:\s*(\d+) bytes/.exec(text);
  return { logical: logical ? Number(logical[1]) : undefined, physical: physical ? Number(physical[1]) : undefined };
}

/** The lines of one top-level section ("Commands/features:", "Security:"), up to the next one. */
function sectionLines(text: string, header: RegExp): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => header.test(l));
  if (start < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== '' && !/^\s/.test(line)) break;
    out.push(line);
  }
  return out;
}

function features(text: string): IdentifyFeature[] {
  const out: IdentifyFeature[] = [];
  for (const line of sectionLines(text, /^Commands\/features:/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed === '...' || /^Enabled\s+Supported:?$/.test(trimmed)) continue;
    const enabled = trimmed.startsWith('*');
    const name = trimmed.replace(/^\*\s*/, '').trim();
    if (name) out.push({ name, enabled });
  }
  return out;
}

function security(text: string): SecurityState | undefined {
  const lines = sectionLines(text, /^Security:/).map((l) => l.trim().replace(/\s+/g, ' '));
  if (lines.length === 0) return undefined;
  const flag = (word: string): boolean => lines.includes(word);
  return { supported: flag('supported'), enabled: flag('enabled'), locked: flag('locked'), frozen: flag('frozen') };
}

export function parseIdentify(result: HdparmResult, device: string): Parsed<AtaIdentity> {
  if (result.kind === 'unavailable') return { ok: false, note: result.note };
  const text = result.stdout;
  if (!/ATA device|Model Number:/.test(text)) return { ok: false, note: unusable(result, device) };
  const sizes = sectorSizes(text);
  return {
    ok: true,
    value: {
      model: field(text, 'Model Number'),
      serial: field(text, 'Serial Number'),
      firmware: field(text, 'Firmware Revision'),
      transport: field(text, 'Transport'),
      lbaSectors: sectorCount(text, 'LBA'),
      lba48Sectors: sectorCount(text, 'LBA48'),
      logicalSectorSize: sizes.logical,
      physicalSectorSize: sizes.physical,
      features: features(text),
      security: security(text),
    },
  };
}

/** The capacity IDENTIFY reports: the 48-bit count when the drive has one. */
export function identifySectors(id: AtaIdentity): number | undefined {
  return id.lba48Sectors ?? id.lbaSectors;
}
