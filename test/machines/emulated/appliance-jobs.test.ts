// The appliance on the emulated four-port box, through its machines and real actors: preflight
// verdicts, a refused forensic job, a recovery checked with GNU ddrescuelog, and a forensic E01
// running beside a recovery, checked with ewfverify.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveAppliance } from './live-appliance.ts';

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

describe('the emulated appliance, through its machines', () => {
  let live: Awaited<ReturnType<typeof liveAppliance>>;
  beforeAll(async () => {
    live = await liveAppliance({ speed: 0 });
    await live.readyPorts();
  }, 60_000);
  afterAll(() => live?.close());

  it('preflights each port: write block, SMART and HPA as the bindings say', () => {
    const pre = (p: string) => live.port(p)!.context.preflight!;
    expect(pre('1').writeBlock).toBe('not-engaged');
    expect(pre('2').smartVerdict).toBe('failing');
    expect(pre('3').writeBlock).toBe('engaged');
    expect(pre('4').writeBlock).toBe('engaged');
    expect(pre('4').hiddenAreas).toMatch(/HPA: 2,048 sectors/);
    expect(live.emu.env.store.facts.get('3')!.writeBlock.readings.map((r) => r.method)).toContain('usb-bridge');
  });

  it('refuses a forensic job on a port without an engaged write block, and says why', () => {
    expect(() => live.start(live.request('1', 'forensic', 'p1', { format: 'raw', hashes: ['md5'], case: { caseNumber: '', evidenceNumber: '', examiner: '', notes: '' } })))
      .toThrow(/write block on port 1 is not-engaged/);
  });

  it('recovers the failing drive: the unread bytes are the mapfile bad areas ddrescuelog lists', async () => {
    const id = live.start(live.request('2', 'recovery', 'failing'));
    expect(await live.finished(id), live.job(id).context.error).toBe('done');
    const c = live.job(id).context;
    expect(c.verification?.ok).toBe(true);
    expect(c.verification?.summary).toMatch(/mapfile agrees/);
    const mapfile = live.trace(id)!.settings.files.mapfile;
    if (has('ddrescuelog')) {
      const listed = execFileSync('ddrescuelog', ['-b512', '-l-/*?', mapfile], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
      expect(listed.length * 512).toBe(c.acquired!.unreadBytes);
    }
    expect(c.acquired!.unreadBytes).toBeGreaterThan(0);
    const report = await readFile(live.trace(id)!.settings.files.report, 'utf8');
    expect(report).toMatch(/Unread: +\d+ sectors/);
    expect(report).toContain('mapfile agrees');
  }, 120_000);

  it('runs a forensic E01 behind the bridge beside a recovery, refusing a second job on a busy port', async () => {
    const forensic = live.start(live.request('3', 'forensic', 'evidence', { format: 'e01', hashes: ['md5', 'sha1'], case: { caseNumber: 'C-1', evidenceNumber: 'E-3', examiner: 'tester', notes: '' } }));
    const recovery = live.start(live.request('4', 'recovery', 'hpa-drive'));
    expect(() => live.start(live.request('3', 'recovery', 'again'))).toThrow(/busy/);
    expect(await live.finished(forensic), live.job(forensic).context.error).toBe('done');
    expect(await live.finished(recovery), live.job(recovery).context.error).toBe('done');
    const c = live.job(forensic).context;
    expect(c.verification?.ok).toBe(true);
    const files = live.trace(forensic)!.settings.files;
    const record = JSON.parse(await readFile(`${files.forensic!.base}.json`, 'utf8'));
    expect(record.source.writeBlock.state).toBe('hardware');
    expect(record.source.writeBlock.method).toMatch(/T8-R2|usb/i);
    if (has('ewfverify')) {
      const r = spawnSync('ewfverify', ['-q', files.image], { encoding: 'utf8' });
      expect(r.stdout + r.stderr).toMatch(/SUCCESS/);
    }
  }, 120_000);
});
