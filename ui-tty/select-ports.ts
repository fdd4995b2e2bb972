// The drives screen's rows and a drive's detail, from the appliance's port machines and the drive
// facts its actors keep in the store. Pure: the panel calls these four times a second.
import { summarizeHiddenAreas } from '../drivers/ata/summary.ts';
import type { HiddenAreas } from '../drivers/ata/types.ts';
import { smartSummaryLine } from '../drivers/smart/summary.ts';
import type { DriveFacts } from '../controller/preflight/drive-facts-types.ts';
import type { ApplianceSnapshotLike, PortSnapshotLike, StoreLike } from './select-types.ts';
import { smartRows } from './smart-rows.ts';
import { formatCapacity } from './text.ts';
import type { DriveDetailView, Health, LabelledRow, PortState, PortView } from './view-model.ts';

const PORT_STATES: Readonly<Record<string, PortState>> = {
  identify: 'identifying', preflight: 'preflight', ready: 'ready', busy: 'busy', faulted: 'faulted', gone: 'gone',
};

/** Ports in number order ("2" before "10"). */
const byPort = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/** The store's facts for this port, when they are about the drive now on it (not one pulled before). */
export function factsFor(store: StoreLike, s: PortSnapshotLike): DriveFacts | undefined {
  const f = store.facts.get(s.context.port);
  return f !== undefined && f.device === s.context.drive.path ? f : undefined;
}

/** "FAILING: 8 pending sectors" -> "8 pending sectors": the screen puts the verdict in front itself. */
function withoutVerdict(line: string): string {
  const rest = line.replace(/^SMART:\s*/, '').replace(/^(HEALTHY|WATCH|FAILING|UNKNOWN)(: |$)/i, '');
  return rest === '' ? 'no warning signs in SMART' : rest;
}

function healthLine(s: PortSnapshotLike, facts: DriveFacts | undefined): string {
  if (facts) return facts.smart.available ? withoutVerdict(smartSummaryLine(facts.smart)) : smartSummaryLine(facts.smart).replace(/^NO SMART/, 'no SMART');
  const p = s.context.preflight;
  if (p) return withoutVerdict(p.smartSummary);
  if (s.value === 'faulted') return `could not be checked: ${s.context.error ?? 'unknown error'}`;
  if (s.value === 'identify') return 'identifying the drive';
  return 'SMART not read yet';
}

function hiddenFlags(hidden: HiddenAreas | undefined, line: string | undefined): { hpa: boolean; dco: boolean } {
  if (hidden) {
    if (hidden.kind !== 'ata') return { hpa: false, dco: false };
    return { hpa: hidden.hpa.hiddenSectors > 0, dco: hidden.dco.state === 'read' && hidden.dco.hiddenSectors > 0 };
  }
  // Without facts, the port's one-line summary (summarizeHiddenAreas) says "HPA: none" or "HPA: N sectors ...".
  return { hpa: /\bHPA: [\d,]+ sectors?\b/.test(line ?? ''), dco: /\bDCO: [\d,]+ sectors?\b/.test(line ?? '') };
}

export function portView(s: PortSnapshotLike, store: StoreLike): PortView {
  const c = s.context;
  const facts = factsFor(store, s);
  const health: Health = facts?.smart.available ? facts.smart.verdict.level : (c.preflight?.smartVerdict ?? 'unknown');
  return {
    port: c.port,
    device: c.drive.path,
    model: c.identity?.model ?? facts?.identity.model ?? '',
    serial: c.identity?.serial ?? c.drive.serial ?? facts?.identity.serial ?? '',
    capacityBytes: c.identity?.sizeBytes ?? facts?.identity.capacityBytes ?? 0,
    health,
    healthLine: healthLine(s, facts),
    writeBlock: c.writeBlock,
    ...hiddenFlags(facts?.hidden, c.preflight?.hiddenAreas),
    state: PORT_STATES[s.value] ?? 'identifying',
  };
}

export function selectPorts(snapshot: ApplianceSnapshotLike, store: StoreLike): PortView[] {
  return Object.keys(snapshot.context.ports)
    .sort(byPort)
    .map((port) => portView(snapshot.context.ports[port].getSnapshot(), store));
}

const n = (v: number): string => v.toLocaleString('en-US');

function identityRows(s: PortSnapshotLike, facts: DriveFacts | undefined): LabelledRow[] {
  const c = s.context;
  const id = facts?.identity;
  const rows: LabelledRow[] = [
    { label: 'Model', value: id?.model ?? c.identity?.model ?? '-' },
    { label: 'Serial', value: id?.serial ?? c.identity?.serial ?? c.drive.serial ?? '-' },
    { label: 'Firmware', value: id?.firmware ?? '-' },
  ];
  const bytes = id?.capacityBytes ?? c.identity?.sizeBytes;
  const logical = id?.logicalSectorSize ?? c.identity?.logicalSectorSize;
  if (bytes !== undefined) {
    const sectors = logical ? ` (${n(Math.floor(bytes / logical))} sectors)` : '';
    rows.push({ label: 'Capacity', value: `${formatCapacity(bytes)}${sectors}` });
  }
  if (logical !== undefined) {
    rows.push({ label: 'Sectors', value: `${logical} bytes logical${id?.physicalSectorSize ? `, ${id.physicalSectorSize} physical` : ''}` });
  }
  const transport = id?.transport ?? c.identity?.transport ?? undefined;
  const rpm = id?.rotationRpm === undefined ? undefined : id.rotationRpm === 0 ? 'solid state' : `${id.rotationRpm} rpm`;
  const iface = [transport, rpm].filter((x) => x !== undefined).join(', ');
  if (iface) rows.push({ label: 'Interface', value: iface });
  rows.push({ label: 'Device', value: `${c.drive.path} on port ${c.port}` });
  const readings = facts?.writeBlock.readings ?? [];
  const how = readings.length ? ` (${readings.map((r) => `${r.method} ${r.state}`).join(', ')})` : '';
  rows.push({ label: 'Write block', value: `${c.writeBlock}${how}` });
  for (const note of facts?.notes ?? []) rows.push({ label: 'Note', value: note });
  return rows;
}

function hiddenLines(h: HiddenAreas): string[] {
  const lines = summarizeHiddenAreas(h).split('; ');
  if (h.kind === 'ata') {
    lines.push(`Visible ${n(h.visibleSectors)} sectors, native ${n(h.nativeSectors)}${h.accessibleMaxAddress ? ' (ACCESSIBLE MAX ADDRESS)' : ''}`);
    if (h.hpa.note) lines.push(h.hpa.note);
  }
  return lines;
}

/** One port's drive in full; undefined when the port has no drive. */
export function selectDriveDetail(snapshot: ApplianceSnapshotLike, store: StoreLike, port: string): DriveDetailView | undefined {
  const ref = snapshot.context.ports[port];
  if (ref === undefined) return undefined;
  const s = ref.getSnapshot();
  const facts = factsFor(store, s);
  const identity = identityRows(s, facts);
  const smart = facts?.smart;
  if (smart?.available) {
    return {
      port, identity, smart: smartRows(smart), verdict: smart.verdict.level,
      reasons: smart.verdict.reasons.map((r) => r.detail), advice: [...smart.verdict.advice], hiddenAreas: hiddenLines(facts!.hidden),
    };
  }
  const p = s.context.preflight;
  const reasons = smart && !smart.available
    ? [`SMART could not be read (${smartSummaryLine(smart).replace(/^NO SMART: /, '')}): ${smart.note}`]
    : s.value === 'faulted' ? [`The drive could not be checked: ${s.context.error ?? 'unknown error'}`]
    : p ? [p.smartSummary] : ['SMART not read yet.'];
  return {
    port, identity, smart: [], verdict: p?.smartVerdict ?? 'unknown', reasons, advice: [],
    hiddenAreas: facts ? hiddenLines(facts.hidden) : p ? p.hiddenAreas.split('; ') : [],
  };
}
