// The drives screen's rows and a drive's detail from port snapshots (plain objects shaped like the
// port machine's) and drive facts gathered for real from emulated drives and recorded smartctl output.
import { describe, expect, it } from 'vitest';
import { gatherDriveFacts } from '../../controller/preflight/drive-facts.ts';
import type { DriveFacts } from '../../controller/preflight/drive-facts-types.ts';
import type { PortPreflight } from '../../machines/port.machine.ts';
import { selectDriveDetail, selectPorts } from '../../ui-tty/select-ports.ts';
import type { ApplianceSnapshotLike, PortSnapshotLike, StoreLike } from '../../ui-tty/select-types.ts';
import { fixtureText } from '../drivers/smart/fixtures.ts';
import { emulatedBindings, type EmulatedSetup } from '../controller/preflight/emulated-bindings.ts';

function port(n: string, value: string, over: Partial<PortSnapshotLike['context']> = {}): PortSnapshotLike {
  return {
    value,
    context: {
      port: n, drive: { path: `/dev/sd${'abcdefghijklmnop'[Number(n)]}`, serial: `SER${n}` },
      identity: undefined, preflight: undefined, writeBlock: 'unknown', error: undefined, ...over,
    },
  };
}

const identity = (model: string, sizeBytes: number) =>
  ({ serial: null, model, sizeBytes, logicalSectorSize: 512, transport: 'usb' });

function appliance(...ports: PortSnapshotLike[]): ApplianceSnapshotLike {
  const refs = Object.fromEntries(ports.map((s) => [s.context.port, { getSnapshot: () => s }]));
  return { context: { ports: refs, jobs: {} } };
}

function store(facts: Record<string, DriveFacts> = {}): StoreLike {
  return { facts: new Map(Object.entries(facts)), jobs: new Map() };
}

const facts = (setup: EmulatedSetup): Promise<DriveFacts> => gatherDriveFacts(setup.device, emulatedBindings(setup));

const failingPreflight: PortPreflight = {
  writeBlock: 'engaged', smartVerdict: 'failing', smartSummary: 'FAILING: 8 pending sectors, 1 media error',
  hiddenAreas: 'HPA: 2,113 sectors (1.0 MiB) hidden; DCO: none',
};

describe('selectPorts', () => {
  it('lists ports in number order with each port machine state in the panel\'s words', () => {
    const ports = selectPorts(appliance(
      port('10', 'ready'), port('2', 'preflight'), port('1', 'identify'), port('3', 'faulted', { error: 'identify timed out after 5 s' }),
      port('4', 'busy'),
    ), store());
    expect(ports.map((p) => [p.port, p.state])).toEqual([
      ['1', 'identifying'], ['2', 'preflight'], ['3', 'faulted'], ['4', 'busy'], ['10', 'ready'],
    ]);
    expect(ports[0].healthLine).toBe('identifying the drive');
    expect(ports[1].healthLine).toBe('SMART not read yet');
    expect(ports[2].healthLine).toBe('could not be checked: identify timed out after 5 s');
    expect(ports.every((p) => p.health === 'unknown')).toBe(true);
  });

  it('takes identity, verdict, write block and hidden areas from the port machine when no facts are stored', () => {
    const [p] = selectPorts(appliance(port('2', 'ready', {
      identity: identity('ST2000DM001', 2_000_398_934_016), preflight: failingPreflight, writeBlock: 'engaged',
    })), store());
    expect(p).toEqual({
      port: '2', device: '/dev/sdc', model: 'ST2000DM001', serial: 'SER2', capacityBytes: 2_000_398_934_016,
      health: 'failing', healthLine: '8 pending sectors, 1 media error', writeBlock: 'engaged', hpa: true, dco: false, state: 'ready',
    });
  });

  it('prefers the stored drive facts: SMART verdict and reasons, HPA from hdparm', async () => {
    const f = await facts({
      device: '/dev/sdc', drive: { transport: 'usb', readOnly: true }, smart: { output: fixtureText('usbFailed') },
      ata: { realMaxSectors: 976773168, visibleSectors: 976771055 }, blocker: { ro: true },
    });
    const snap = port('2', 'ready', { identity: identity('Hitachi HDS721050DLE630', f.identity.capacityBytes ?? 0), writeBlock: 'engaged' });
    const [p] = selectPorts(appliance(snap), store({ '2': f }));
    expect(p.health).toBe('failing');
    expect(p.healthLine).toBe('overall SMART FAILED, Reallocated_Sector_Ct below threshold, 8 pending sectors (+4 more)');
    expect(p.hpa).toBe(true);
    expect(p.dco).toBe(false);
  });

  it('ignores facts about a drive that was on the port before (another device path)', async () => {
    const f = await facts({ device: '/dev/sdz', smart: { output: fixtureText('usbFailed') } });
    const [p] = selectPorts(appliance(port('2', 'preflight')), store({ '2': f }));
    expect(p.health).toBe('unknown');
    expect(p.healthLine).toBe('SMART not read yet');
  });

  it('says when SMART could not be read at all', async () => {
    const f = await facts({ device: '/dev/sdc', smartctlInstalled: false });
    const [p] = selectPorts(appliance(port('2', 'ready')), store({ '2': f }));
    expect(p.health).toBe('unknown');
    expect(p.healthLine).toBe('no SMART: smartctl missing');
  });
});

describe('selectDriveDetail', () => {
  it('a failing drive: verdict, reasons and advice from SMART, its attributes flagged, HPA lines and identity', async () => {
    const f = await facts({
      device: '/dev/sdc', drive: { transport: 'usb', readOnly: true }, smart: { output: fixtureText('usbFailed') },
      ata: { realMaxSectors: 976773168, visibleSectors: 976771055 }, blocker: { ro: true },
    });
    const snap = port('2', 'ready', { writeBlock: 'engaged' });
    const d = selectDriveDetail(appliance(snap), store({ '2': f }), '2')!;
    expect(d.verdict).toBe('failing');
    expect(d.reasons).toContain('8 sectors cannot be read now; expect read errors there.');
    expect(d.advice[0]).toMatch(/^Image in recovery mode first/);
    const flagged = Object.fromEntries(d.smart.filter((r) => r.flag !== 'ok').map((r) => [r.name, r.flag]));
    expect(flagged).toEqual({ Reallocated_Sector_Ct: 'failing', Current_Pending_Sector: 'failing', Power_On_Hours: 'watch' });
    expect(d.smart.find((r) => r.id === '5')).toEqual({
      id: '5', name: 'Reallocated_Sector_Ct', value: '001', threshold: '005', raw: '1975', flag: 'failing',
    });
    expect(d.hiddenAreas).toEqual(['HPA: 2,113 sectors (1.0 MiB) hidden', 'DCO: none', 'Visible 976,771,055 sectors, native 976,773,168']);
    const rows = Object.fromEntries(d.identity.map((r) => [r.label, r.value]));
    expect(rows.Model).toBe('Hitachi HDS721050DLE630');
    expect(rows.Serial).toBe('MSK423Y20S3HBC');
    expect(rows.Capacity).toBe('500 GB (976,773,168 sectors)');
    expect(rows.Sectors).toBe('512 bytes logical, 4096 physical');
    expect(rows.Interface).toMatch(/via USB JMicron, 7200 rpm$/);
    expect(rows.Device).toBe('/dev/sdc on port 2');
    expect(rows['Write block']).toBe('engaged (kernel-ro engaged)');
  });

  it('an NVMe drive: its health figures as rows, media errors flagged, HPA/DCO not applicable', async () => {
    const f = await facts({ device: '/dev/sdc', drive: { transport: 'nvme' }, smart: { output: fixtureText('nvmeMediaErrors') }, blocker: { ro: true } });
    const d = selectDriveDetail(appliance(port('2', 'ready')), store({ '2': f }), '2')!;
    expect(d.smart.find((r) => r.name === 'Media_Errors')).toMatchObject({ id: '', raw: '7', flag: 'failing' });
    expect(d.smart.filter((r) => r.flag !== 'ok')).toHaveLength(1);
    expect(d.hiddenAreas).toEqual(['HPA/DCO: not applicable (NVMe)']);
  });

  it('without facts: the port machine\'s summary lines; a faulted port says why; no port, no detail', () => {
    const s = appliance(
      port('2', 'ready', { identity: identity('ST2000DM001', 2_000_398_934_016), preflight: failingPreflight }),
      port('3', 'faulted', { error: 'preflight: smartctl hung' }),
    );
    const d = selectDriveDetail(s, store(), '2')!;
    expect(d.verdict).toBe('failing');
    expect(d.reasons).toEqual(['FAILING: 8 pending sectors, 1 media error']);
    expect(d.hiddenAreas).toEqual(['HPA: 2,113 sectors (1.0 MiB) hidden', 'DCO: none']);
    expect(d.smart).toEqual([]);
    expect(d.identity.find((r) => r.label === 'Capacity')?.value).toBe('2.00 TB (3,907,029,168 sectors)');
    expect(selectDriveDetail(s, store(), '3')!.reasons).toEqual(['The drive could not be checked: preflight: smartctl hung']);
    expect(selectDriveDetail(s, store(), '4')).toBeUndefined();
  });
});
