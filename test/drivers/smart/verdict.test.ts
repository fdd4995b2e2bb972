// The verdict on every recorded drive, then each threshold at its edge (on a recorded drive's
// data with one figure changed, so the rest stays real).

import { describe, expect, it } from 'vitest';
import { HDD_HOT_CELSIUS, OLD_HDD_HOURS, SSD_HOT_CELSIUS, smartVerdict } from '../../../drivers/smart/verdict.ts';
import type { SmartData, SmartHealth } from '../../../drivers/smart/types.ts';
import { parseAvailable, type FixtureName } from './fixtures.ts';

const shorts = (name: FixtureName): string[] => parseAvailable(name).verdict.reasons.map((r) => r.short);

function withHealth(name: FixtureName, h: Partial<SmartHealth>, more: Partial<SmartData> = {}): SmartData {
  const r = parseAvailable(name);
  return { ...r, ...more, health: { ...r.health, ...h } };
}

describe('verdict on recorded drives', () => {
  it('healthy drives of each kind are healthy, with no reasons and no advice', () => {
    for (const name of ['ataHealthy', 'satSsd', 'nvmeHealthy', 'scsi'] as const) {
      const v = parseAvailable(name).verdict;
      expect([name, v.level, v.reasons, v.advice]).toEqual([name, 'healthy', [], []]);
    }
  });

  it('the failing USB drive: failing, worst reasons first, then what to watch', () => {
    const v = parseAvailable('usbFailed').verdict;
    expect(v.level).toBe('failing');
    expect(v.reasons.map((r) => [r.level, r.short])).toEqual([
      ['failing', 'overall SMART FAILED'],
      ['failing', 'Reallocated_Sector_Ct below threshold'],
      ['failing', '8 pending sectors'],
      ['watch', '1,975 reallocated sectors'],
      ['watch', '56 logged errors'],
      ['watch', 'self-test errors'],
      ['watch', '65,592 hours powered on'],
    ]);
    expect(v.advice[0]).toMatch(/^Image in recovery mode first/);
    expect(v.advice.join(' ')).toMatch(/no extended self-test or surface scan/);
  });

  it('one reallocated sector on a five-year-old Seagate: watch', () => {
    const v = parseAvailable('satReallocated').verdict;
    expect(v.level).toBe('watch');
    expect(shorts('satReallocated')).toEqual(['1 reallocated sector', '44,670 hours powered on']);
    expect(v.advice).toEqual(['Image normally with read timeouts, and read SMART again afterwards: rising counts mean it is deteriorating.']);
  });

  it('NVMe media errors: failing, though its overall status says PASSED; its error log entries alone are not a reason', () => {
    const r = parseAvailable('nvmeMediaErrors');
    expect(r.health.passed).toBe(true);
    expect(r.verdict.level).toBe('failing');
    expect(shorts('nvmeMediaErrors')).toEqual(['7 media errors']);
  });
});

describe('verdict thresholds', () => {
  it('one pending sector is enough for failing; none is healthy', () => {
    expect(smartVerdict(withHealth('ataHealthy', { pendingSectors: 1 })).level).toBe('failing');
    expect(smartVerdict(withHealth('ataHealthy', { pendingSectors: 0 })).level).toBe('healthy');
    expect(smartVerdict(withHealth('ataHealthy', { offlineUncorrectable: 1 })).level).toBe('failing');
  });

  it('CRC errors are watch, with advice about the cable or bridge', () => {
    const v = smartVerdict(withHealth('ataHealthy', { crcErrors: 108 }));
    expect(v.level).toBe('watch');
    expect(v.reasons[0].short).toBe('108 CRC errors');
    expect(v.advice.some((a) => a.startsWith('Check or replace the cable or USB bridge'))).toBe(true);
  });

  it('hard drive temperature: watch from 50 °C; flash from 70 °C', () => {
    expect(HDD_HOT_CELSIUS).toBe(50);
    expect(smartVerdict(withHealth('ataHealthy', { temperatureCelsius: HDD_HOT_CELSIUS - 1 })).level).toBe('healthy');
    expect(smartVerdict(withHealth('ataHealthy', { temperatureCelsius: HDD_HOT_CELSIUS })).level).toBe('watch');
    expect(smartVerdict(withHealth('satSsd', { temperatureCelsius: 60 })).level).toBe('healthy');
    expect(smartVerdict(withHealth('nvmeHealthy', { temperatureCelsius: SSD_HOT_CELSIUS })).level).toBe('watch');
  });

  it('power-on hours: watch from five years on a hard drive, never on flash', () => {
    expect(smartVerdict(withHealth('ataHealthy', { powerOnHours: OLD_HDD_HOURS - 1 })).level).toBe('healthy');
    expect(smartVerdict(withHealth('ataHealthy', { powerOnHours: OLD_HDD_HOURS })).level).toBe('watch');
    expect(smartVerdict(withHealth('satSsd', { powerOnHours: OLD_HDD_HOURS * 2 })).level).toBe('healthy');
  });

  it('NVMe critical warnings: spare, reliability and read-only are failing; temperature is watch', () => {
    expect(smartVerdict(withHealth('nvmeHealthy', { criticalWarning: 0b0001 })).reasons[0].short).toBe('spare below threshold');
    expect(smartVerdict(withHealth('nvmeHealthy', { criticalWarning: 0b0100 })).level).toBe('failing');
    expect(smartVerdict(withHealth('nvmeHealthy', { criticalWarning: 0b1000 })).level).toBe('failing');
    expect(smartVerdict(withHealth('nvmeHealthy', { criticalWarning: 0b0010 })).level).toBe('watch');
    expect(smartVerdict(withHealth('nvmeHealthy', { percentageUsed: 100 })).level).toBe('watch');
  });

  it('SCSI: uncorrected read errors are failing, grown defects watch', () => {
    expect(smartVerdict(withHealth('scsi', { uncorrectedReadErrors: 2 })).reasons[0].short).toBe('2 uncorrected read errors');
    expect(smartVerdict(withHealth('scsi', { grownDefects: 12 })).level).toBe('watch');
  });

  it('a newest self-test that hit a read failure is failing; older failures are watch', () => {
    const failed = { type: 'Extended offline', passed: false, status: 'Completed: read failure', lifetimeHours: 4 };
    expect(smartVerdict(withHealth('ataHealthy', { lastSelfTest: failed })).reasons.map((r) => r.short)).toEqual(['last self-test: read failure']);
    expect(smartVerdict(withHealth('ataHealthy', { selfTestErrors: 2 })).level).toBe('watch');
  });

  it('no health figures at all (SMART disabled, a bridge that hides it): unknown, treated as failing in the advice', () => {
    const r = parseAvailable('ataHealthy');
    const bare: SmartData = { ...r, attributes: [], health: { attributesBelowThreshold: [] } };
    const v = smartVerdict(bare);
    expect(v.level).toBe('unknown');
    expect(v.reasons.map((x) => x.level)).toEqual(['unknown']);
    expect(v.advice[0]).toMatch(/recovery mode/);
  });

  it('smartctl exit bit 2 (a command failed) adds a caution without changing the level', () => {
    const r = parseAvailable('ataHealthy');
    const v = smartVerdict({ ...r, exitStatus: { ...r.exitStatus, raw: 4, commandFailed: true } });
    expect(v.level).toBe('healthy');
    expect(v.advice).toEqual(['Some SMART commands failed (smartctl exit bit 2): these figures may be incomplete.']);
  });
});
