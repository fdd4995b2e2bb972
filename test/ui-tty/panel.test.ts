// The panel over a live appliance machine (real port and job machines, their named actors stubbed):
// what it shows follows the machines, and its keys become the appliance's events.
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { silentLogger } from '../../controller/logger.ts';
import type { ApplianceEnv } from '../../machines/actors/appliance-env.ts';
import { ApplianceStore } from '../../machines/actors/appliance-store.ts';
import type { ApplianceJobSettings } from '../../machines/actors/job-settings.ts';
import { applianceMachine } from '../../machines/appliance.machine.ts';
import { applianceJobMachine } from '../../machines/appliance-job.machine.ts';
import type { PortPreflight } from '../../machines/port.machine.ts';
import { portMachine } from '../../machines/port.machine.ts';
import { destinationFor, Panel } from '../../ui-tty/panel.ts';
import { ActorStubs, settle } from '../machines/actor-stubs.ts';
import { preflightOk } from '../machines/job-paths.ts';
import { KEYS, renderPanel, type Rendered } from './render.ts';

let screen: Rendered | undefined;
afterEach(() => screen?.unmount());

const NOW = new Date(2025, 10, 22, 11, 24, 7);
const keyed = (name: string, input: unknown) => `${name}@${(input as { port: string }).port}`;

function appliance() {
  const ports = new ActorStubs(keyed);
  const jobs = new ActorStubs(keyed);
  const machine = applianceMachine.provide({
    actors: {
      port: portMachine.provide({ actors: ports.actors(['identify', 'preflight'], ['watchWriteBlock']) as never }),
      job: applianceJobMachine.provide({ actors: jobs.actors(['preflight', 'reopen', 'powerCycle', 'verify', 'report'], ['acquire', 'watchSpace']) as never }),
    },
  });
  const actor = createActor(machine, { input: {} }).start();
  const store = new ApplianceStore();
  const env = { log: silentLogger(), store, imagesDir: '/srv/images' } as unknown as ApplianceEnv;
  async function attach(port: string, writeBlock: PortPreflight['writeBlock']) {
    actor.send({ type: 'DRIVE.ATTACHED', port, drive: { path: `/dev/sd${port}`, serial: `SER/${port}` } });
    ports.resolve(`identify@${port}`, { serial: `SER/${port}`, model: `Model ${port}`, sizeBytes: 64e9, logicalSectorSize: 512, transport: 'sata' });
    await settle();
    ports.resolve(`preflight@${port}`, { writeBlock, smartVerdict: 'failing', smartSummary: 'FAILING: 8 pending sectors', hiddenAreas: 'HPA: none; DCO: none' });
    await settle();
  }
  return { actor, env, store, jobs, attach };
}

describe('panel over the appliance', () => {
  it('shows the ports as the machines learn them, and starts a recovery job with the proposed destination', async () => {
    const a = appliance();
    screen = await renderPanel(React.createElement(Panel, { appliance: a, clock: () => NOW, refreshMs: 20, onQuit: vi.fn() }));
    a.actor.send({ type: 'DRIVE.ATTACHED', port: '2', drive: { path: '/dev/sd2', serial: null } });
    await screen.waitFor('identify');
    await a.attach('1', 'not-engaged');
    await screen.waitFor('FAILING');
    expect(screen.text()).toMatch(/> 1\s+Model 1\s+SER\/1\s+64\.0 GB FAILING NO\s+-\s+ready/);

    await screen.press('n', KEYS.down, KEYS.enter);
    expect(screen.text()).toContain(`> Destination    ${destinationFor('/srv/images', '1', 'SER/1', NOW)}_`);
    expect(destinationFor('/srv/images', '1', 'SER/1', NOW)).toBe('/srv/images/port1-SER_1-20251122-1124');
    await screen.press(KEYS.enter, KEYS.enter, KEYS.enter);
    await screen.waitFor('Job 1-2 started on port 1');
    const job = a.actor.getSnapshot().context.jobs['1-2'].ref.getSnapshot().context;
    expect(job.mode).toBe('recovery');
    const settings = job.settings as ApplianceJobSettings;
    expect(settings.request.mode).toBe('recovery');
    expect(settings.files).toMatchObject({ image: '/srv/images/port1-SER_1-20251122-1124.img', mapfile: '/srv/images/port1-SER_1-20251122-1124.map' });
  });

  it('says why a job was refused: a forensic job on a port without an engaged write block', async () => {
    const a = appliance();
    await a.attach('3', 'not-engaged');
    screen = await renderPanel(React.createElement(Panel, { appliance: a, clock: () => NOW, refreshMs: 20, banner: 'Demo: images go to /srv/images', onQuit: vi.fn() }));
    expect(screen.lines()[1]).toBe('Demo: images go to /srv/images');
    await screen.press('n', KEYS.enter, KEYS.enter, KEYS.enter, KEYS.enter, KEYS.enter);
    await screen.waitFor('Forensic job refused');
    expect(screen.lines().slice(1, 3)).toEqual([
      'Forensic job refused: write block on port 3 is not-engaged; engage it or start a',
      'recovery job.',
    ]);
    expect(screen.lines()).toHaveLength(25);
    expect(a.actor.getSnapshot().context.jobs).toEqual({});
  });

  it('pauses, resumes and aborts the job on its screen through the appliance', async () => {
    const a = appliance();
    await a.attach('1', 'engaged');
    screen = await renderPanel(React.createElement(Panel, { appliance: a, clock: () => NOW, refreshMs: 20, onQuit: vi.fn() }));
    await screen.press('n', KEYS.down, KEYS.enter, KEYS.enter, KEYS.enter, KEYS.enter);
    a.jobs.resolve('preflight@1', preflightOk('engaged'));
    await settle();
    await screen.press(KEYS.enter);
    await screen.waitFor('recovery  acquiring');
    const job = () => a.actor.getSnapshot().context.jobs['1-1'].ref.getSnapshot();
    await screen.press('p');
    await screen.waitFor('PAUSED');
    expect(job().value).toEqual({ paused: 'holding' });
    expect(screen.text()).toContain('Paused: Paused by the operator.');
    await screen.press('r');
    await screen.waitFor('recovery  acquiring');
    expect(job().value).toEqual({ acquiring: 'steady' });
    await screen.press('a', 'y');
    await screen.waitFor('ABORTED');
    expect(job().value).toBe('aborted');
  });
});
