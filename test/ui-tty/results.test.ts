import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ResultsScreen, reportLines } from '../../ui-tty/screens/results.ts';
import { SAMPLE_RESULTS } from '../../ui-tty/samples.ts';
import type { ResultView } from '../../ui-tty/view-model.ts';
import { frameSize, KEYS, renderPanel, type Rendered } from './render.ts';

let screen: Rendered | undefined;
afterEach(() => screen?.unmount());

const report = SAMPLE_RESULTS['job-2'];

describe('results screen', () => {
  it('shows the top of the report and where the window is', async () => {
    screen = await renderPanel(React.createElement(ResultsScreen, { jobId: 'job-2', result: report, onBack: vi.fn() }));
    const lines = screen.lines();
    expect(lines[0]).toBe('Acquisition report: case-0412-ev03');
    expect(lines[22]).toMatch(/^-- lines 1-22 of \d+, PgDn for more --$/);
    expect(frameSize(screen.text()).columns).toBeLessThanOrEqual(80);
    expect(frameSize(screen.text()).rows).toBeLessThanOrEqual(24);
  });

  it('scrolls by page and by line, and stops at the ends', async () => {
    screen = await renderPanel(React.createElement(ResultsScreen, { jobId: 'job-2', result: report, onBack: vi.fn() }));
    await screen.press(KEYS.pageDown);
    expect(screen.lines()[0]).toBe(report.lines[22]);
    await screen.press(KEYS.pageDown, KEYS.pageDown, KEYS.pageDown);
    expect(screen.text()).toContain('The image was read back: MD5 and SHA-256 match.');
    expect(screen.text()).toMatch(/-- lines \d+-\d+ of \d+ --/);
    await screen.press(KEYS.pageUp, KEYS.up);
    const before = screen.lines();
    await screen.press(KEYS.down);
    expect(screen.lines().slice(0, 21)).toEqual(before.slice(1, 22));
    await screen.press(KEYS.home, KEYS.up);
    expect(screen.lines()[0]).toBe('Acquisition report: case-0412-ev03');
  });

  it('wraps a line wider than the screen, keeping its indent', () => {
    const lines = reportLines(report, 60).map((l) => l.text);
    const at = lines.findIndex((l) => l.startsWith('  SHA-256 of the image:'));
    expect(lines[at]).toBe('  SHA-256 of the image:');
    expect(lines[at + 1]).toBe('    3b9a41c07d5e8f26a1b4c9d0e7f3a25c6b8d1e4f7a0c3b6d9e2f5a8b');
    expect(lines[at + 2]).toBe('    1c4d7e0f');
    expect(lines.every((l) => l.length <= 60)).toBe(true);
  });

  it('goes back on Esc and says when there is no report yet', async () => {
    const onBack = vi.fn();
    const none: ResultView | undefined = undefined;
    screen = await renderPanel(React.createElement(ResultsScreen, { jobId: 'job-1', result: none, onBack }));
    expect(screen.text()).toContain('No report for job-1 yet.');
    await screen.press(KEYS.esc);
    expect(onBack).toHaveBeenCalledOnce();
  });
});
