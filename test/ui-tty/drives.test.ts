import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DrivesScreen, type DrivesScreenProps } from '../../ui-tty/screens/drives.ts';
import { SAMPLE_PORTS } from '../../ui-tty/samples.ts';
import { frameSize, KEYS, renderPanel, type Rendered } from './render.ts';

let screen: Rendered | undefined;
afterEach(() => screen?.unmount());

function props(over: Partial<DrivesScreenProps> = {}): DrivesScreenProps {
  return {
    ports: SAMPLE_PORTS, runningJobs: 0,
    onOpen: vi.fn(), onNewJob: vi.fn(), onJobs: vi.fn(), onQuit: vi.fn(), ...over,
  };
}

const row = (s: Rendered, port: string): string => s.lines().find((l) => l.slice(2).startsWith(`${port} `)) ?? '';

describe('drives screen', () => {
  it('shows each port with model, serial, size, verdict, write block and hidden areas in words', async () => {
    screen = await renderPanel(React.createElement(DrivesScreen, props()));
    expect(screen.lines()[0]).toMatch(/PORT\s+MODEL\s+SERIAL\s+SIZE\s+HEALTH\s+BLOCKED\s+HIDDEN\s+STATE/);
    expect(row(screen, '1')).toMatch(/WDC WD20EARS-0~\s+WD-WCAZA5718433 2\.00 TB healthy yes\s+-\s+ready/);
    expect(row(screen, '2')).toMatch(/ST2000DM001-1E~.*Z4Z2K8XQ.*2\.00 TB FAILING yes\s+-\s+busy/);
    expect(row(screen, '3')).toMatch(/500 GB WATCH\s+NO\s+HPA\s+ready/);
    expect(row(screen, '4')).toMatch(/1\.00 TB unknown unknown -\s+identify/);
    expect(screen.text()).toContain('Enter details');
  });

  it('fits an 80x25 console, and the selected drive\'s verdict is spelled out below the table', async () => {
    screen = await renderPanel(React.createElement(DrivesScreen, props()));
    expect(frameSize(screen.text()).columns).toBeLessThanOrEqual(80);
    expect(frameSize(screen.text()).rows).toBeLessThanOrEqual(24);
    expect(screen.lines()[1].startsWith('> 1 ')).toBe(true);
    await screen.press(KEYS.down);
    expect(row(screen, '2').startsWith('> ')).toBe(true);
    expect(screen.text()).toContain('Health FAILING: 8 pending sectors, 412 reported uncorrectable');
  });

  it('gives the model and serial more room on a wider terminal', async () => {
    screen = await renderPanel(React.createElement(DrivesScreen, props()), { columns: 120, rows: 40 });
    expect(row(screen, '3')).toContain('Samsung SSD 860 EVO 500GB');
    expect(row(screen, '3')).toContain('S3Z1NB0K812345X');
  });

  it('opens the selected port, starts a job only on a ready drive, lists jobs', async () => {
    const p = props();
    screen = await renderPanel(React.createElement(DrivesScreen, p));
    await screen.press(KEYS.down, KEYS.down, KEYS.enter);
    expect(p.onOpen).toHaveBeenCalledWith('3');
    await screen.press('n');
    expect(p.onNewJob).toHaveBeenCalledWith('3');
    await screen.press(KEYS.up, 'n');
    expect(p.onNewJob).toHaveBeenCalledTimes(1);
    expect(screen.text()).toContain('Port 2 is busy: a new job needs a ready drive.');
    await screen.press('j');
    expect(p.onJobs).toHaveBeenCalledOnce();
  });

  it('quits at once with no job running, and asks first when jobs run', async () => {
    const idle = props();
    screen = await renderPanel(React.createElement(DrivesScreen, idle));
    await screen.press('q');
    expect(idle.onQuit).toHaveBeenCalledOnce();
    screen.unmount();

    const busy = props({ runningJobs: 2 });
    screen = await renderPanel(React.createElement(DrivesScreen, busy));
    await screen.press('q');
    expect(screen.text()).toContain('2 jobs are running. Quit the panel? y = quit');
    await screen.press('x');
    expect(busy.onQuit).not.toHaveBeenCalled();
    expect(screen.text()).toContain('q quit');
    await screen.press('q', 'y');
    expect(busy.onQuit).toHaveBeenCalledOnce();
  });

  it('says so when no drive is attached', async () => {
    screen = await renderPanel(React.createElement(DrivesScreen, props({ ports: [] })));
    expect(screen.text()).toContain('No drives attached.');
  });

  it('shows a port whose drive could not be checked as FAULTED, with the reason, and starts no job on it', async () => {
    const faulted = { ...SAMPLE_PORTS[0], state: 'faulted' as const, health: 'unknown' as const, healthLine: 'could not be checked: identify timed out' };
    const p = props({ ports: [faulted] });
    screen = await renderPanel(React.createElement(DrivesScreen, p));
    expect(row(screen, '1')).toMatch(/unknown yes\s+-\s+FAULTED/);
    expect(screen.text()).toContain('Health unknown: could not be checked: identify timed out');
    await screen.press('n');
    expect(p.onNewJob).not.toHaveBeenCalled();
    expect(screen.text()).toContain('Port 1 is FAULTED: a new job needs a ready drive.');
  });
});
