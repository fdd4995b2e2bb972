import { describe, expect, it } from 'vitest';
import type { SmartSummary } from '../../../controller/evidence/record-schema.ts';
import { smartRecordSummary, smartSummaryLine } from '../../../drivers/smart/summary.ts';
import { parseAvailable, parseFixture } from './fixtures.ts';

describe('one-line SMART summary', () => {
  it('says the level, then the worst reasons', () => {
    expect(smartSummaryLine(parseAvailable('usbFailed'))).toBe(
      'FAILING: overall SMART FAILED, Reallocated_Sector_Ct below threshold, 8 pending sectors (+4 more)',
    );
    expect(smartSummaryLine(parseAvailable('satReallocated'))).toBe('WATCH: 1 reallocated sector, 44,670 hours powered on');
    expect(smartSummaryLine(parseAvailable('nvmeMediaErrors'))).toBe('FAILING: 7 media errors');
  });

  it('a healthy drive shows its hours and temperature', () => {
    expect(smartSummaryLine(parseAvailable('ataHealthy'))).toBe('HEALTHY: passed, 1,730 h, 32 °C');
    expect(smartSummaryLine(parseAvailable('nvmeHealthy'))).toBe('HEALTHY: passed, 2,401 h, 36 °C');
  });

  it('an unreadable drive says why', () => {
    expect(smartSummaryLine(parseFixture('sdzGone'))).toBe('NO SMART: device gone');
    expect(smartSummaryLine(parseFixture('loopSatDenied'))).toBe('NO SMART: permission denied');
    expect(smartSummaryLine(parseFixture('loopAuto'))).toBe('NO SMART: not supported by the device');
  });
});

describe('SMART summary for the acquisition record', () => {
  it("fits record-schema's SmartSummary and carries the figures the drive reported", () => {
    const s: SmartSummary = smartRecordSummary(parseAvailable('usbFailed'));
    expect(s).toEqual({
      healthPassed: false,
      powerOnHours: 65592,
      reallocatedSectors: 1975,
      pendingSectors: 8,
      offlineUncorrectable: 0,
      temperatureCelsius: 25,
      note: 'FAILING: overall SMART FAILED, Reallocated_Sector_Ct below threshold, 8 pending sectors (+4 more)',
      verdict: 'failing',
      reasons: expect.arrayContaining(["The drive's own health check says it is failing.", '8 sectors cannot be read now; expect read errors there.']),
      kind: 'sat',
      crcErrors: 0,
      errorLogCount: 56,
      smartctlExitStatus: 216,
      smartctlVersion: '7.1',
    });
  });

  it('leaves out what the drive does not report (no ATA counters on NVMe) and survives JSON', () => {
    const s = smartRecordSummary(parseAvailable('nvmeHealthy'));
    expect(Object.keys(s)).not.toContain('pendingSectors');
    expect(s).toMatchObject({ healthPassed: true, mediaErrors: 0, verdict: 'healthy', reasons: [] });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('an unavailable read says so in the note', () => {
    expect(smartRecordSummary(parseFixture('sdzGone'))).toEqual({
      verdict: 'unavailable',
      reasons: ['device-gone'],
      note: 'NO SMART: device gone: Smartctl open device: /dev/sdz failed: No such device',
      smartctlExitStatus: 2,
    });
  });
});
