// Recorded smartctl outputs (test/fixtures/smart/README.md says where each comes from), and the
// one way tests parse them: as the bindings do, stdout plus the exit code smartctl returned.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSmartctl, type ParseContext } from '../../../drivers/smart/parse.ts';
import type { AvailableSmartReport, SmartReport } from '../../../drivers/smart/types.ts';

export const FIXTURE_DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'smart');

export const RECORDED = {
  ataHealthy: 'scrutiny-ata-wdc-healthy.json',
  usbFailed: 'scrutiny-usb-jmicron-hitachi-failed.json',
  satSsd: 'netdata-sat-wdc-ssd.json',
  satReallocated: 'exporter-sat-seagate-reallocated.json',
  nvmeHealthy: 'scrutiny-nvme-intel-healthy.json',
  nvmeMediaErrors: 'scrutiny-nvme-samsung-media-errors.json',
  scsi: 'netdata-scsi-sas-hgst.json',
  loopAuto: 'loop0-autodetect.json',
  loopSat: 'loop0-sat.json',
  loopSatDenied: 'loop0-sat-nobody-denied.json',
  sdzGone: 'sdz-gone.json',
  sdzSatGone: 'sdz-sat-gone.json',
  noSuchPath: 'no-such-path-autodetect.json',
  vdaSatEperm: 'vda-sat-eperm.json',
} as const;

export type FixtureName = keyof typeof RECORDED;

export function fixtureText(name: FixtureName): string {
  return readFileSync(join(FIXTURE_DIR, RECORDED[name]), 'utf8');
}

/** The exit code smartctl returned with this output (it prints it as smartctl.exit_status). */
export function fixtureExit(name: FixtureName): number {
  return (JSON.parse(fixtureText(name)) as { smartctl: { exit_status: number } }).smartctl.exit_status;
}

export function parseFixture(name: FixtureName, ctx: Partial<ParseContext> = {}): SmartReport {
  return parseSmartctl(
    { stdout: fixtureText(name), stderr: '', exitCode: fixtureExit(name) },
    { device: '/dev/sdx', deviceExists: true, privileged: true, ...ctx },
  );
}

export function parseAvailable(name: FixtureName): AvailableSmartReport {
  const r = parseFixture(name);
  if (!r.available) throw new Error(`${name} parsed as unavailable: ${r.reason} ${r.note}`);
  return r;
}
