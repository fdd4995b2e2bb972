// The appliance machine with real port and job machines inside, their named actors stubbed per port.
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { ApplianceEmitted } from '../../machines/appliance.machine.ts';
import { applianceMachine } from '../../machines/appliance.machine.ts';
import { applianceJobMachine } from '../../machines/appliance-job.machine.ts';
import type { PortPreflight } from '../../machines/port.machine.ts';
import { portMachine } from '../../machines/port.machine.ts';
import { ActorStubs, settle } from './actor-stubs.ts';
import { acquired, preflightOk } from './job-paths.ts';

const JOB_PROMISES = ['preflight', 'reopen', 'powerCycle', 'verify', 'report'];
const drive = (port: string) => ({ path: `/dev/sd${port}`, serial: `SER-${port}` });
const portPreflight = (writeBlock: PortPreflight['writeBlock']): PortPreflight =>
  ({ writeBlock, smartVerdict: 'healthy', smartSummary: 'SMART: healthy', hiddenAreas: 'HPA: none; DCO: none' });

function start() {
  // One stub set per kind of machine, keyed by port: 'preflight@1' is the port's, 'job.preflight@1' the job's.
  const ports = new ActorStubs((name, input) => `${name}@${(input as { port: string }).port}`);
  const jobs = new ActorStubs((name, input) => `${name}@${(input as { port: string }).port}`);
  const machine = applianceMachine.provide({
    actors: {
      port: portMachine.provide({ actors: ports.actors(['identify', 'preflight'], ['watchWriteBlock']) as never }),
      job: applianceJobMachine.provide({ actors: jobs.actors(JOB_PROMISES, ['acquire', 'watchSpace']) as never }),
    },
  });
  const actor = createActor(machine, { input: { powerRelayPorts: ['1'], hangWindowMs: 60_000 } }).start();
  const emitted: ApplianceEmitted[] = [];
  actor.on('*', (e) => emitted.push(e));
  const ctx = () => actor.getSnapshot().context;
  const portState = (p: string) => ctx().ports[p]?.getSnapshot().value;
  const job = (id: string) => ctx().jobs[id].ref.getSnapshot();

  async function attach(port: string, writeBlock: PortPreflight['writeBlock'] = 'engaged') {
    actor.send({ type: 'DRIVE.ATTACHED', port, drive: drive(port) });
    ports.resolve(`identify@${port}`, { serial: `SER-${port}`, model: 'M', sizeBytes: 1e12, logicalSectorSize: 512, transport: 'usb' });
    await settle();
    ports.resolve(`preflight@${port}`, portPreflight(writeBlock));
    await settle();
  }
  async function startJob(port: string, mode: 'forensic' | 'recovery') {
    actor.send({ type: 'START_JOB', port, mode, settings: { destination: `/srv/${port}` } });
    const id = ctx().jobOnPort[port];
    jobs.resolve(`preflight@${port}`, preflightOk(mode === 'forensic' ? 'engaged' : 'not-engaged'));
    await settle();
    return id;
  }
  return { actor, ports, jobs, emitted, ctx, portState, job, attach, startJob };
}

async function twoForensicJobs() {
  const a = start();
  await a.attach('1');
  await a.attach('2');
  return { a, j1: await a.startJob('1', 'forensic'), j2: await a.startJob('2', 'forensic') };
}

describe('appliance machine', () => {
  it('runs jobs on two ports at once, each port busy with its own', async () => {
    const a = start();
    await a.attach('1');
    await a.attach('2', 'not-engaged');
    expect([a.portState('1'), a.portState('2')]).toEqual(['ready', 'ready']);
    const j1 = await a.startJob('1', 'forensic');
    const j2 = await a.startJob('2', 'recovery');
    expect([a.portState('1'), a.portState('2')]).toEqual(['busy', 'busy']);
    expect(a.jobs.running()).toEqual(['acquire@1', 'acquire@2']);
    expect(a.ctx().jobs[j1].ref.getSnapshot().context).toMatchObject({ hasPowerRelay: true, source: { serial: 'SER-1', path: '/dev/sd1' } });
    expect(a.job(j2).context.hasPowerRelay).toBe(false);
    expect(a.emitted.filter((e) => e.type === 'JOB.ACCEPTED').map((e) => e.type === 'JOB.ACCEPTED' && e.port)).toEqual(['1', '2']);
  });

  it('refuses a second job on a busy port, and jobs on ports with no drive or one still being identified', async () => {
    const a = start();
    await a.attach('1');
    await a.startJob('1', 'recovery');
    a.actor.send({ type: 'START_JOB', port: '1', mode: 'recovery', settings: { destination: '/x' } });
    expect(a.ctx().refusal).toMatchObject({ port: '1', reason: 'busy', message: expect.stringMatching(/busy with job 1-/) });
    a.actor.send({ type: 'START_JOB', port: '3', mode: 'recovery', settings: { destination: '/x' } });
    expect(a.ctx().refusal?.reason).toBe('no-drive');
    a.actor.send({ type: 'DRIVE.ATTACHED', port: '2', drive: drive('2') });
    a.actor.send({ type: 'START_JOB', port: '2', mode: 'recovery', settings: { destination: '/x' } });
    expect(a.ctx().refusal).toMatchObject({ reason: 'not-ready', message: expect.stringMatching(/still in identify/) });
    expect(a.emitted.filter((e) => e.type === 'JOB.REFUSED')).toHaveLength(3);
    expect(Object.keys(a.ctx().jobs)).toHaveLength(1);
  });

  it('refuses a forensic job where the write block is not engaged, and takes a recovery job there', async () => {
    const a = start();
    await a.attach('2', 'unknown');
    a.actor.send({ type: 'START_JOB', port: '2', mode: 'forensic', settings: { destination: '/x' } });
    expect(a.ctx().refusal).toMatchObject({ reason: 'write-block', message: expect.stringMatching(/write block on port 2 is unknown/) });
    expect(a.ctx().jobOnPort).toEqual({});
    await a.startJob('2', 'recovery');
    expect(a.ctx().refusal).toBeUndefined();
    expect(a.portState('2')).toBe('busy');
  });

  it('a drive pulled and put back: its job pauses, then resumes once the new port reports the write block engaged', async () => {
    const { a, j1, j2 } = await twoForensicJobs();
    a.actor.send({ type: 'DRIVE.DETACHED', port: '1' });
    await settle();
    expect(a.ctx().ports['1']).toBeUndefined();
    expect(a.job(j1).context.pause?.reason).toBe('drive-removed');
    expect(a.job(j2).value).toEqual({ acquiring: 'steady' });
    a.actor.send({ type: 'DRIVE.ATTACHED', port: '1', drive: drive('1') });
    expect(a.job(j1).context.pause?.reason).toBe('write-block-lost');
    a.ports.resolve('identify@1', { serial: 'SER-1', model: 'M', sizeBytes: 1e12, logicalSectorSize: 512, transport: 'usb' });
    await settle();
    a.ports.resolve('preflight@1', portPreflight('engaged'));
    await settle();
    expect(a.portState('1')).toBe('busy');
    expect(a.job(j1).value).toEqual({ acquiring: 'steady' });
    expect(a.jobs.runs('acquire@1')).toHaveLength(2);
  });

  it('forwards a write-block loss to the job on that port only', async () => {
    const { a, j1, j2 } = await twoForensicJobs();
    a.ports.sendFrom('watchWriteBlock@1', { type: 'WRITE_BLOCK.CHANGED', state: 'not-engaged' });
    expect(a.job(j1).context.pause?.reason).toBe('write-block-lost');
    expect(a.job(j2).value).toEqual({ acquiring: 'steady' });
  });

  it('forwards operator commands, and frees the port when the job ends', async () => {
    const a = start();
    await a.attach('1');
    const id = await a.startJob('1', 'recovery');
    a.actor.send({ type: 'PAUSE_JOB', jobId: id });
    expect(a.job(id).context.pause?.reason).toBe('operator');
    a.actor.send({ type: 'RESUME_JOB', jobId: id });
    a.jobs.sendFrom('acquire@1', { type: 'ENGINE.DONE', summary: acquired });
    a.jobs.resolve('verify@1', { ok: true, summary: 'match' });
    await settle();
    a.jobs.resolve('report@1', { paths: ['/srv/1/report.txt'] });
    await settle();
    expect(a.job(id).value).toBe('done');
    expect(a.ctx().jobOnPort).toEqual({});
    expect(a.portState('1')).toBe('ready');
    const next = await a.startJob('1', 'recovery');
    expect(next).not.toBe(id);
    a.actor.send({ type: 'ABORT_JOB', jobId: next });
    await settle();
    expect(a.job(next).value).toBe('aborted');
    expect(a.portState('1')).toBe('ready');
  });

  it('a job missing an actor fails with the message, or stops with an error the appliance records; the port is freed', async () => {
    const ports = new ActorStubs();
    const jobs = new ActorStubs();
    const actor = createActor(applianceMachine.provide({
      actors: {
        port: portMachine.provide({ actors: ports.actors(['identify', 'preflight'], ['watchWriteBlock']) as never }),
        job: applianceJobMachine.provide({ actors: jobs.actors(['preflight'], []) as never }),
      },
    }), { input: {} }).start();
    const ctx = () => actor.getSnapshot().context;
    actor.send({ type: 'DRIVE.ATTACHED', port: '1', drive: drive('1') });
    ports.resolve('identify', { serial: 'SER-1', model: null, sizeBytes: 1, logicalSectorSize: 512, transport: null });
    await settle();
    ports.resolve('preflight', portPreflight('engaged'));
    await settle();
    actor.send({ type: 'START_JOB', port: '1', mode: 'recovery', settings: { destination: '/x' } });
    const id = ctx().jobOnPort['1'];
    jobs.resolve('preflight', preflightOk());
    await settle();
    expect(ctx().jobs[id].ref.getSnapshot().status).toBe('error');
    expect(ctx().lastError).toMatch(/^job:1-\d+: machine actor 'acquire' is not provided/);
    expect(ctx().jobOnPort).toEqual({});
    expect(ctx().ports['1'].getSnapshot().value).toBe('ready');
    expect(actor.getSnapshot().status).toBe('active');
  });
});
