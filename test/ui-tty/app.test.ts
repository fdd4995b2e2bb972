import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App, type AppProps } from '../../ui-tty/app.ts';
import { SAMPLE_DETAILS, SAMPLE_JOBS, SAMPLE_PORTS, SAMPLE_RESULTS } from '../../ui-tty/samples.ts';
import type { JobView } from '../../ui-tty/view-model.ts';
import { frameSize, KEYS, renderPanel, type Rendered } from './render.ts';

let screen: Rendered | undefined;
afterEach(() => screen?.unmount());

const MORNING = new Date(2025, 10, 22, 11, 24, 7);

function props(over: Partial<AppProps> = {}): AppProps {
  return {
    ports: SAMPLE_PORTS, jobs: SAMPLE_JOBS,
    details: (port) => SAMPLE_DETAILS[port], results: (jobId) => SAMPLE_RESULTS[jobId],
    onStartJob: vi.fn(), onPause: vi.fn(), onResume: vi.fn(), onAbort: vi.fn(), onQuit: vi.fn(),
    clock: () => MORNING, ...over,
  };
}

const fits = (s: Rendered): void => {
  expect(frameSize(s.text()).columns).toBeLessThanOrEqual(80);
  expect(frameSize(s.text()).rows).toBeLessThanOrEqual(25);
};

describe('app shell', () => {
  it('opens on the drives, with a header naming the screen, the running jobs and the time', async () => {
    screen = await renderPanel(React.createElement(App, props()));
    const lines = screen.lines();
    expect(lines[0]).toMatch(/^ imagebox \| Drives\s+1 job running  2025-11-22 11:24:07$/);
    expect(lines[0].length).toBe(80);
    expect(lines[1]).toMatch(/^  PORT MODEL/);
    expect(lines).toHaveLength(25);
    expect(lines[24]).toBe('Up/Down select  Enter details  n new job  j jobs  q quit');
  });

  it('goes to a drive\'s detail and back', async () => {
    screen = await renderPanel(React.createElement(App, props()));
    await screen.press(KEYS.down, KEYS.enter);
    expect(screen.lines()[0]).toContain('imagebox | Drive on port 2');
    expect(screen.lines()[1]).toBe('Verdict: FAILING');
    fits(screen);
    await screen.press(KEYS.esc);
    expect(screen.lines()[0]).toContain('imagebox | Drives');
  });

  it('starts a job through the wizard and lands on the job list', async () => {
    const p = props();
    screen = await renderPanel(React.createElement(App, p));
    await screen.press('n');
    expect(screen.lines()[0]).toContain('imagebox | New job');
    await screen.press(KEYS.down, KEYS.enter);
    await screen.type('/srv/rescue/sdb.img');
    await screen.press(KEYS.enter, KEYS.enter, KEYS.enter);
    expect(p.onStartJob).toHaveBeenCalledWith({
      port: '1', mode: 'recovery', destination: '/srv/rescue/sdb.img', forensic: null,
      recovery: { strategy: 'smart', retries: 5, readTimeoutSec: 30, scrape: 'sample' },
    });
    expect(screen.lines()[0]).toContain('imagebox | Jobs');
  });

  it('opens a running job from the list, pauses it, and follows the new props', async () => {
    const p = props();
    screen = await renderPanel(React.createElement(App, p));
    await screen.press('j', KEYS.enter);
    expect(screen.lines()[0]).toContain('imagebox | Job job-1');
    expect(screen.lines()[1]).toBe('job-1  port 2  recovery  acquiring');
    fits(screen);
    await screen.press('p');
    expect(p.onPause).toHaveBeenCalledWith('job-1');
    const paused: JobView[] = [{ ...SAMPLE_JOBS[0], state: 'paused', pauseReason: 'paused by the operator' }, SAMPLE_JOBS[1]];
    await screen.rerender(React.createElement(App, { ...p, jobs: paused }));
    expect(screen.lines()[1]).toBe('job-1  port 2  recovery  PAUSED');
    expect(screen.lines()[0]).toContain('1 job running');
    await screen.press('r');
    expect(p.onResume).toHaveBeenCalledWith('job-1');
    await screen.press('a', 'y');
    expect(p.onAbort).toHaveBeenCalledWith('job-1');
  });

  it('shows a finished job\'s report and comes back through the job and the list', async () => {
    screen = await renderPanel(React.createElement(App, props()));
    await screen.press('j', KEYS.down, KEYS.enter, 'v');
    expect(screen.lines()[0]).toContain('imagebox | Report of job-2');
    expect(screen.lines()[1]).toBe('Acquisition report: case-0412-ev03');
    fits(screen);
    await screen.press(KEYS.esc);
    expect(screen.lines()[0]).toContain('imagebox | Job job-2');
    await screen.press(KEYS.esc, KEYS.esc);
    expect(screen.lines()[0]).toContain('imagebox | Drives');
  });

  it('asks before quitting while a job runs', async () => {
    const p = props();
    screen = await renderPanel(React.createElement(App, p));
    await screen.press('q');
    expect(screen.lines()[24]).toContain('1 job is running. Quit the panel?');
    await screen.press('y');
    expect(p.onQuit).toHaveBeenCalledOnce();
  });

  it('grows with a bigger terminal', async () => {
    screen = await renderPanel(React.createElement(App, props()), { columns: 132, rows: 43 });
    expect(screen.lines()).toHaveLength(43);
    expect(screen.lines()[0].length).toBe(132);
    expect(screen.text()).toContain('Samsung SSD 860 EVO 500GB');
  });

  it('shows a notice under the header, its name in the header, and every screen still fits 80x25', async () => {
    screen = await renderPanel(React.createElement(App, props({ title: 'imagebox demo', notice: 'Port 3: forensic job refused, write block not engaged.' })));
    expect(screen.lines()[0]).toMatch(/^ imagebox demo \| Drives\s+1 job running/);
    expect(screen.lines()[1]).toBe('Port 3: forensic job refused, write block not engaged.');
    expect(screen.lines()[2]).toMatch(/^  PORT MODEL/);
    expect(screen.lines()).toHaveLength(25);
    expect(screen.lines()[24]).toBe('Up/Down select  Enter details  n new job  j jobs  q quit');
    for (const keys of [[KEYS.down, KEYS.enter], [KEYS.esc, 'j', KEYS.enter], [KEYS.esc, KEYS.down, KEYS.enter, 'v']]) {
      await screen.press(...keys);
      fits(screen);
      expect(screen.lines()[1]).toBe('Port 3: forensic job refused, write block not engaged.');
    }
  });

  it('proposes the destination it is given for the port, and starts the job with it', async () => {
    const p = props({ newJobDestination: (port) => `/srv/images/port${port}-WD-WCAZA5718433-20251122-1124` });
    screen = await renderPanel(React.createElement(App, p));
    await screen.press('n', KEYS.down, KEYS.enter);
    expect(screen.text()).toContain('> Destination    /srv/images/port1-WD-WCAZA5718433-20251122-1124_');
    await screen.press(KEYS.enter, KEYS.enter, KEYS.enter);
    expect(p.onStartJob).toHaveBeenCalledWith(expect.objectContaining({
      port: '1', mode: 'recovery', destination: '/srv/images/port1-WD-WCAZA5718433-20251122-1124',
    }));
  });
});
