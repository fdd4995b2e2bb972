import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobRequest } from '../../ui-tty/job-request.ts';
import { NewJobScreen } from '../../ui-tty/screens/new-job.ts';
import { SAMPLE_PORTS } from '../../ui-tty/samples.ts';
import { frameSize, KEYS, renderPanel, type Rendered } from './render.ts';

let screen: Rendered | undefined;
afterEach(() => screen?.unmount());

const port = SAMPLE_PORTS[2];

async function wizard(): Promise<{ s: Rendered; onSubmit: ReturnType<typeof vi.fn>; onCancel: ReturnType<typeof vi.fn> }> {
  const onSubmit = vi.fn();
  const onCancel = vi.fn();
  screen = await renderPanel(React.createElement(NewJobScreen, { port, onSubmit, onCancel }));
  return { s: screen, onSubmit, onCancel };
}

const fits = (s: Rendered): void => {
  expect(frameSize(s.text()).columns).toBeLessThanOrEqual(80);
  expect(frameSize(s.text()).rows).toBeLessThanOrEqual(24);
};

describe('new-job wizard', () => {
  it('walks a forensic job through every step and emits the request', async () => {
    const { s, onSubmit } = await wizard();
    expect(s.text()).toContain('Step 1 of 5: What kind of job');
    expect(s.text()).toContain('> (*) Forensic image');
    fits(s);
    await s.press(KEYS.enter);
    expect(s.text()).toContain('Step 2 of 5: Where it goes');
    await s.type('/mnt/evidence/c12/disk3.E01');
    expect(s.text()).toContain('> Destination    /mnt/evidence/c12/disk3.E01_');
    await s.press(KEYS.enter);
    expect(s.text()).toContain('> Format         [E01]  raw   split   zst');
    expect(s.text()).toContain('EnCase 6: compressed, opens in every forensic suite');
    fits(s);
    await s.press(KEYS.down, KEYS.down, KEYS.space); // SHA-1 on
    await s.press(KEYS.down, KEYS.down);
    await s.type('0412');
    await s.press(KEYS.down);
    await s.type('EV-03');
    await s.press(KEYS.down);
    await s.type('R. Lindqvisx');
    await s.press(KEYS.backspace);
    await s.type('t');
    expect(s.text()).toContain('  Notes');
    fits(s);
    await s.press(KEYS.enter);
    expect(s.text()).toContain('Step 4 of 5: How to read a damaged drive');
    expect(s.text()).toContain('> Strategy        ddrescue  [smart]');
    await s.press(KEYS.enter);
    expect(s.text()).toContain('Step 5 of 5: Check and start');
    expect(s.text()).toContain('  Format       E01 (EnCase 6), hashes MD5, SHA-1, SHA-256');
    expect(s.text()).toContain('  Case         0412 / EV-03 / R. Lindqvist');
    expect(s.text()).toContain('  WARNING: the write block of port 3 is NOT engaged.');
    fits(s);
    expect(onSubmit).not.toHaveBeenCalled();
    await s.press(KEYS.enter);
    expect(onSubmit).toHaveBeenCalledOnce();
    expect(onSubmit.mock.calls[0][0]).toEqual({
      port: '3', mode: 'forensic', destination: '/mnt/evidence/c12/disk3.E01',
      forensic: {
        format: 'e01', hashes: ['md5', 'sha1', 'sha256'],
        case: { caseNumber: '0412', evidenceNumber: 'EV-03', examiner: 'R. Lindqvist', notes: '' },
      },
      recovery: { strategy: 'smart', retries: 5, readTimeoutSec: 30, scrape: 'sample' },
    } satisfies JobRequest);
  });

  it('builds a recovery job without forensic settings; the strategy brings its own defaults', async () => {
    const { s, onSubmit } = await wizard();
    await s.press(KEYS.down);
    expect(s.text()).toContain('> (*) Recovery');
    await s.press(KEYS.enter);
    expect(s.text()).toContain('Step 2 of 4');
    await s.type('/srv/rescue/sdd.img');
    await s.press(KEYS.enter);
    await s.press(KEYS.left);
    expect(s.text()).toContain('> Strategy       [ddrescue]  smart');
    expect(s.text()).toContain('Retries        < 0 > passes');
    await s.press(KEYS.right);
    expect(s.text()).toContain('> Strategy        ddrescue  [smart]');
    expect(s.text()).toContain('Retries        < 5 > passes');
    expect(s.text()).toContain('[sample]');
    await s.press(KEYS.down, KEYS.left, KEYS.left, KEYS.down, KEYS.backspace, KEYS.backspace);
    await s.type('45');
    await s.press(KEYS.down, KEYS.left);
    expect(s.text()).toContain('> Scrape         [all]  sample   none');
    expect(s.text()).toContain('Read every sector of the failed areas once');
    await s.press(KEYS.enter, KEYS.enter);
    expect(onSubmit.mock.calls[0][0]).toEqual({
      port: '3', mode: 'recovery', destination: '/srv/rescue/sdd.img', forensic: null,
      recovery: { strategy: 'smart', retries: 3, readTimeoutSec: 45, scrape: 'all' },
    } satisfies JobRequest);
  });

  it('will not go on without a destination or a hash, nor start with no read timeout', async () => {
    const { s, onSubmit } = await wizard();
    await s.press(KEYS.enter, KEYS.enter);
    expect(s.text()).toContain('Step 2 of 5');
    expect(s.text()).toContain('Enter where the image goes.');
    await s.type('x.E01');
    expect(s.text()).not.toContain('Enter where the image goes.');
    await s.press(KEYS.enter, KEYS.down, KEYS.space, KEYS.down, KEYS.down, KEYS.space, KEYS.enter);
    expect(s.text()).toContain('Choose at least one hash.');
    expect(s.text()).toContain('Step 3 of 5');
    await s.press(KEYS.up, KEYS.space, KEYS.enter, KEYS.down, KEYS.down, KEYS.backspace, KEYS.backspace, KEYS.enter);
    expect(s.text()).toContain('The read timeout must be at least 1 s.');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('goes back a step on Esc keeping what was typed, and cancels from the first step', async () => {
    const { s, onCancel } = await wizard();
    await s.press(KEYS.down, KEYS.down, KEYS.enter);
    expect(s.text()).toContain('The target drive, e.g. /dev/sdf');
    await s.type('/dev/sdf');
    await s.press(KEYS.enter);
    expect(s.text()).toContain('Step 3 of 4: How to read a damaged drive');
    await s.press(KEYS.esc);
    expect(s.text()).toContain('> Destination    /dev/sdf_');
    await s.press(KEYS.enter, KEYS.enter);
    expect(s.text()).toContain('  WARNING: everything on /dev/sdf will be overwritten.');
    await s.press(KEYS.esc, KEYS.esc, KEYS.esc);
    expect(s.text()).toContain('Step 1 of 4');
    expect(onCancel).not.toHaveBeenCalled();
    await s.press(KEYS.esc);
    expect(onCancel).toHaveBeenCalledOnce();
  });

  it('takes letters that are keys elsewhere as text', async () => {
    const { s } = await wizard();
    await s.press(KEYS.enter);
    await s.type('q n j p a');
    expect(s.text()).toContain('> Destination    q n j p a_');
  });

  it('starts from a proposed destination, takes it away for a clone and gives it back after', async () => {
    const onSubmit = vi.fn();
    screen = await renderPanel(React.createElement(NewJobScreen, { port, onSubmit, onCancel: vi.fn(), proposedDestination: '/srv/img/port3-S3Z1-20251122-1124' }));
    await screen.press(KEYS.down, KEYS.down); // clone
    await screen.press(KEYS.enter);
    expect(screen.text()).toContain('> Destination    _');
    expect(screen.text()).toContain('The target drive');
    await screen.press(KEYS.esc, KEYS.up); // recovery
    await screen.press(KEYS.enter);
    expect(screen.text()).toContain('> Destination    /srv/img/port3-S3Z1-20251122-1124_');
  });
});
