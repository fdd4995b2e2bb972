import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DriveDetailScreen, detailLines } from '../../ui-tty/screens/drive-detail.ts';
import { SAMPLE_DETAILS } from '../../ui-tty/samples.ts';
import type { DriveDetailView } from '../../ui-tty/view-model.ts';
import { frameSize, KEYS, renderPanel, type Rendered } from './render.ts';

let screen: Rendered | undefined;
afterEach(() => screen?.unmount());

const failing = SAMPLE_DETAILS['2'];

describe('drive detail screen', () => {
  it('puts the verdict, its reasons and the advice first', async () => {
    screen = await renderPanel(React.createElement(DriveDetailScreen, { port: '2', detail: failing, onBack: vi.fn() }));
    const lines = screen.lines();
    expect(lines[0]).toBe('Verdict: FAILING');
    expect(lines[1]).toBe('  - 8 sectors are pending: the drive could not read them and is waiting for a');
    expect(lines[2]).toBe('     rewrite.');
    expect(screen.text()).toContain('  1. Image it now, once: every hour of spinning may cost more sectors.');
    expect(screen.text()).toContain('  HPA: none (visible 3,907,029,168 sectors = native)');
    expect(frameSize(screen.text()).columns).toBeLessThanOrEqual(80);
    expect(frameSize(screen.text()).rows).toBeLessThanOrEqual(24);
  });

  it('scrolls to the SMART table, which flags attributes in words', async () => {
    screen = await renderPanel(React.createElement(DriveDetailScreen, { port: '2', detail: failing, onBack: vi.fn() }));
    expect(screen.text()).toMatch(/-- lines 1-22 of \d+, PgDn for more --/);
    await screen.press(KEYS.pageDown, KEYS.pageDown);
    const text = screen.text();
    expect(text).toMatch(/ID ATTRIBUTE\s+VALUE THRESH FLAG\s+RAW/);
    expect(text).toMatch(/197 Current_Pending_Sector\s+100\s+000\s+FAILING 8/);
    expect(text).toMatch(/  5 Reallocated_Sector_Ct\s+097\s+010\s+WATCH\s+120/);
    expect(text).toMatch(/194 Temperature_Celsius\s+036\s+000\s+36 \(Min\/Max 17\/48\)/);
    expect(text).not.toContain('Verdict: FAILING');
    await screen.press(KEYS.home);
    expect(screen.lines()[0]).toBe('Verdict: FAILING');
  });

  it('keeps every line within the width', () => {
    for (const width of [80, 60]) {
      for (const line of detailLines(failing, width)) expect(line.text.length).toBeLessThanOrEqual(width);
    }
  });

  it('says when a drive has no SMART data and no hidden-area check', () => {
    const bare: DriveDetailView = { ...failing, verdict: 'unknown', reasons: [], advice: [], smart: [], hiddenAreas: [] };
    const texts = detailLines(bare, 80).map((l) => l.text);
    expect(texts[0]).toBe('Verdict: unknown');
    expect(texts).toContain('  none reported');
    expect(texts).toContain('  not checked');
    expect(texts).not.toContain('Advice');
  });

  it('goes back on Esc, and says so when the port has no details', async () => {
    const onBack = vi.fn();
    screen = await renderPanel(React.createElement(DriveDetailScreen, { port: '4', detail: undefined, onBack }));
    expect(screen.text()).toContain('No details for port 4');
    await screen.press(KEYS.esc);
    expect(onBack).toHaveBeenCalledOnce();
  });
});
