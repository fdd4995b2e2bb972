import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobListScreen } from '../../ui-tty/screens/job-list.ts';
import { SAMPLE_JOBS } from '../../ui-tty/samples.ts';
import { frameSize, KEYS, renderPanel, type Rendered } from './render.ts';

let screen: Rendered | undefined;
afterEach(() => screen?.unmount());

describe('job list screen', () => {
  it('lists every job with port, mode, state, progress, rate and time left', async () => {
    screen = await renderPanel(React.createElement(JobListScreen, { jobs: SAMPLE_JOBS, onOpen: vi.fn(), onBack: vi.fn() }));
    const lines = screen.lines();
    expect(lines[0]).toMatch(/JOB\s+PORT MODE\s+STATE\s+RESCUED\s+SIZE\s+RATE\s+LEFT/);
    expect(lines[1]).toMatch(/^> job-1\s+2\s+recovery\s+acquiring\s+44\.6%\s+2000 GB\s+97\.4 MB\/s\s+3h 25m$/);
    expect(lines[2]).toMatch(/^  job-2\s+1\s+forensic\s+done\s+100\.0%\s+2000 GB$/);
    expect(frameSize(screen.text()).columns).toBeLessThanOrEqual(80);
    expect(frameSize(screen.text()).rows).toBeLessThanOrEqual(24);
  });

  it('opens the selected job on Enter and goes back on Esc', async () => {
    const onOpen = vi.fn();
    const onBack = vi.fn();
    screen = await renderPanel(React.createElement(JobListScreen, { jobs: SAMPLE_JOBS, onOpen, onBack }));
    await screen.press(KEYS.down, KEYS.down, KEYS.enter);
    expect(onOpen).toHaveBeenCalledWith('job-2');
    await screen.press(KEYS.up, KEYS.enter);
    expect(onOpen).toHaveBeenLastCalledWith('job-1');
    await screen.press(KEYS.esc);
    expect(onBack).toHaveBeenCalledOnce();
  });

  it('says how to start a job when there is none', async () => {
    const onOpen = vi.fn();
    screen = await renderPanel(React.createElement(JobListScreen, { jobs: [], onOpen, onBack: vi.fn() }));
    expect(screen.text()).toContain('No jobs yet.');
    await screen.press(KEYS.enter);
    expect(onOpen).not.toHaveBeenCalled();
  });
});
