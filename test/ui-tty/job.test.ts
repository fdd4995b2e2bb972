import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobScreen, type JobScreenProps } from '../../ui-tty/screens/job.ts';
import { SAMPLE_JOBS } from '../../ui-tty/samples.ts';
import type { JobView } from '../../ui-tty/view-model.ts';
import { frameSize, KEYS, renderPanel, type Rendered } from './render.ts';

let screen: Rendered | undefined;
afterEach(() => screen?.unmount());

const running = SAMPLE_JOBS[0];

function props(job: JobView | undefined, over: Partial<JobScreenProps> = {}): JobScreenProps {
  return {
    jobId: job?.id ?? 'job-9', job, hasReport: false,
    onPause: vi.fn(), onResume: vi.fn(), onAbort: vi.fn(), onReport: vi.fn(), onBack: vi.fn(), ...over,
  };
}

/** The grid: the lines made only of status characters. */
const gridLines = (s: Rendered): string[] => s.lines().filter((l) => /^[?*/+-]+$/.test(l));

describe('job screen', () => {
  it('shows state, phase, progress, rate, time left, what is left and the latest events', async () => {
    screen = await renderPanel(React.createElement(JobScreen, props(running)));
    const lines = screen.lines();
    expect(lines[0]).toBe('job-1  port 2  recovery  acquiring');
    expect(lines[1]).toBe('Phase copy pass 1   Rescued 44.60%  892 GB of 2000 GB');
    expect(lines[2]).toBe('Rate 97.4 MB/s   Remaining 3h 25m   Read errors 27');
    expect(lines[3]).toMatch(/^Non-tried 1080 GB  non-trimmed 70\.0 GB  non-scraped 25\.0 GB  bad 61\.4 kB$/);
    expect(screen.text()).toContain('11:20:18 read error at 900.2 GB');
    expect(screen.text()).toContain('p pause  a abort  Esc back');
    expect(frameSize(screen.text()).columns).toBeLessThanOrEqual(80);
    expect(frameSize(screen.text()).rows).toBeLessThanOrEqual(24);
  });

  it('draws the map as a grid of status characters with a legend, and redraws it when the map changes', async () => {
    const size = 80 * 100 * 4096;
    const job: JobView = { ...running, map: [{ status: '+', bytes: size / 2 }, { status: '?', bytes: size / 2 }] };
    screen = await renderPanel(React.createElement(JobScreen, props(job)));
    const before = gridLines(screen);
    expect(before.length).toBeGreaterThanOrEqual(10);
    expect(before.every((l) => l.length === 80)).toBe(true);
    const cells = before.join('');
    expect(cells.slice(0, cells.length / 2)).toMatch(/^\++$/);
    expect(cells.slice(cells.length / 2)).toMatch(/^\?+$/);
    expect(screen.text()).toContain('+ finished  ? non-tried  * non-trimmed  / non-scraped  - bad   1 cell = 29.3 kB');

    const changed: JobView = {
      ...job,
      map: [{ status: '+', bytes: size / 2 }, { status: '-', bytes: 512 }, { status: '/', bytes: size / 4 - 512 }, { status: '?', bytes: size / 4 }],
    };
    await screen.rerender(React.createElement(JobScreen, props(changed)));
    const after = gridLines(screen).join('');
    const n = after.length;
    expect(after.slice(0, n / 2)).toMatch(/^\++$/);
    expect(after[n / 2]).toBe('-');
    expect(after.slice(n / 2 + 1, (3 * n) / 4)).toMatch(/^\/+$/);
    expect(after.slice((3 * n) / 4)).toMatch(/^\?+$/);
  });

  it('uses a taller grid on a taller terminal', async () => {
    screen = await renderPanel(React.createElement(JobScreen, props(running)), { columns: 100, rows: 50 });
    const grid = gridLines(screen);
    expect(grid.length).toBeGreaterThan(30);
    expect(grid[0].length).toBe(100);
    expect(grid.join('')).toContain('-');
  });

  it('pauses on p and resumes a paused job on r, naming why it paused', async () => {
    const p = props(running);
    screen = await renderPanel(React.createElement(JobScreen, p));
    await screen.press('r', 'p');
    expect(p.onResume).not.toHaveBeenCalled();
    expect(p.onPause).toHaveBeenCalledWith('job-1');
    const paused = props({ ...running, state: 'paused', pauseReason: 'drive stopped answering: power-cycle it' });
    await screen.rerender(React.createElement(JobScreen, paused));
    expect(screen.lines()[0]).toBe('job-1  port 2  recovery  PAUSED');
    expect(screen.lines()[1]).toBe('Paused: drive stopped answering: power-cycle it');
    await screen.press('p', 'r');
    expect(paused.onPause).not.toHaveBeenCalled();
    expect(paused.onResume).toHaveBeenCalledWith('job-1');
  });

  it('aborts only after y, and goes back on Esc', async () => {
    const p = props(running);
    screen = await renderPanel(React.createElement(JobScreen, p));
    await screen.press('a');
    expect(screen.text()).toContain('Abort job-1? Its files stay and it can be resumed. y = abort');
    await screen.press('n');
    expect(p.onAbort).not.toHaveBeenCalled();
    await screen.press('a', 'y');
    expect(p.onAbort).toHaveBeenCalledWith('job-1');
    await screen.press(KEYS.esc);
    expect(p.onBack).toHaveBeenCalledOnce();
  });

  it('offers the report of a finished job and no pause or abort', async () => {
    const p = props(SAMPLE_JOBS[1], { hasReport: true });
    screen = await renderPanel(React.createElement(JobScreen, p));
    expect(screen.lines()[0]).toBe('job-2  port 1  forensic  done');
    expect(screen.text()).toContain('v report  Esc back');
    expect(screen.text()).not.toContain('p pause');
    await screen.press('a', 'p', 'v');
    expect(p.onAbort).not.toHaveBeenCalled();
    expect(p.onPause).not.toHaveBeenCalled();
    expect(p.onReport).toHaveBeenCalledWith('job-2');
  });

  it('shows why a job failed', async () => {
    const failed: JobView = { ...running, state: 'failed', message: 'destination full: 0 bytes free on /mnt/images' };
    screen = await renderPanel(React.createElement(JobScreen, props(failed)));
    expect(screen.lines()[0]).toBe('job-1  port 2  recovery  FAILED');
    expect(screen.lines()[1]).toBe('Note: destination full: 0 bytes free on /mnt/images');
  });
});
