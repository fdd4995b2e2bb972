// Every recorded output through the shared parse, checked against the values in the recording.

import { describe, expect, it } from 'vitest';
import { parseSmartctl } from '../../../drivers/smart/parse.ts';
import { parseAvailable, parseFixture } from './fixtures.ts';

describe('parse: ATA drives', () => {
  it('a healthy SATA hard drive (WDC WD140EDFZ): identity, counters, self-tests', () => {
    const r = parseAvailable('ataHealthy');
    expect(r.kind).toBe('sat');
    expect(r.identity).toEqual({
      model: 'WDC WD140EDFZ-11A0VA0',
      serial: '9RK1XXXX',
      firmware: '81.00A81',
      capacityBytes: 14000519643136,
      logicalSectorSize: 512,
      physicalSectorSize: 4096,
      rotationRpm: 5400,
      interface: 'SATA 3.2 (6.0 Gb/s)',
      deviceType: 'sat',
    });
    expect(r.health).toMatchObject({
      passed: true,
      reallocatedSectors: 0,
      pendingSectors: 0,
      offlineUncorrectable: 0,
      crcErrors: 0,
      powerOnHours: 1730,
      temperatureCelsius: 32,
      selfTestErrors: 0,
      lastSelfTest: { type: 'Short offline', passed: true, lifetimeHours: 1708 },
    });
    expect(r.attributes).toHaveLength(18);
    expect(r.attributes.find((a) => a.id === 194)).toMatchObject({ rawString: '32 (Min/Max 24/38)', raw: 163210330144 });
    expect(r.errorLog).toEqual({ count: 0, recent: [] });
    expect(r.exitStatus.raw).toBe(0);
    expect(r.smartctlVersion).toBe('7.0');
  });

  it('a failing drive behind a USB JMicron bridge: overall FAILED, 1975 reallocated, 8 pending, 56 logged errors', () => {
    const r = parseAvailable('usbFailed');
    expect(r.kind).toBe('sat');
    expect(r.identity).toMatchObject({
      model: 'Hitachi HDS721050DLE630',
      serial: 'MSK423Y20S3HBC',
      firmware: 'MS1OA650',
      capacityBytes: 500107862016,
      physicalSectorSize: 4096,
      deviceType: 'usbjmicron',
      usbBridge: 'USB JMicron',
      interface: 'SATA 3.0 (1.5 Gb/s now, 6.0 Gb/s max) via USB JMicron',
    });
    expect(r.health).toMatchObject({
      passed: false,
      reallocatedSectors: 1975,
      pendingSectors: 8,
      offlineUncorrectable: 0,
      crcErrors: 0,
      powerOnHours: 65592,
      temperatureCelsius: 25,
      selfTestErrors: 3,
      attributesBelowThreshold: [{ id: 5, name: 'Reallocated_Sector_Ct', when: 'now' }],
    });
    expect(r.errorLog.count).toBe(56);
    expect(r.errorLog.recent.map((e) => e.number)).toEqual([56, 55, 54, 53, 52]);
    // The LBA comes from smartctl's description: the registers hold only its low 28 bits (16087784).
    expect(r.errorLog.recent[0]).toEqual({ number: 56, lifetimeHours: 61957, description: 'Error: IDNF at LBA = 0x06f57ae8 = 116751080', lba: 116751080 });
    expect(r.exitStatus.raw).toBe(216);
  });

  it('a SATA SSD read with -d sat: rotation 0, attributes without thresholds, no pending count', () => {
    const r = parseAvailable('satSsd');
    expect(r.identity).toMatchObject({ model: 'WDC  WDS400T1R0A-68A4W0', rotationRpm: 0, capacityBytes: 4000787030016, deviceType: 'sat' });
    expect(r.health.pendingSectors).toBeUndefined();
    expect(r.health).toMatchObject({ passed: true, reallocatedSectors: 0, powerOnHours: 8244, temperatureCelsius: 27, reportedUncorrectable: 0 });
    expect(r.attributes.find((a) => a.id === 5)?.threshold).toBeUndefined();
    expect(r.attributes.find((a) => a.id === 232)?.threshold).toBe(4);
    expect(r.smartctlVersion).toBe('7.3');
  });

  it('a Seagate with one reallocated sector (smartctl_exporter recording, keys sorted)', () => {
    const r = parseAvailable('satReallocated');
    expect(r.identity).toMatchObject({ model: 'ST3500418AS', rotationRpm: 7200, interface: 'SATA 2.6 (3.0 Gb/s)' });
    expect(r.health).toMatchObject({ passed: true, reallocatedSectors: 1, pendingSectors: 0, powerOnHours: 44670, temperatureCelsius: 32, commandTimeouts: 1 });
  });
});

describe('parse: NVMe and SCSI', () => {
  it('a healthy NVMe (Intel 660p): health log figures, sector size from the namespace', () => {
    const r = parseAvailable('nvmeHealthy');
    expect(r.kind).toBe('nvme');
    expect(r.identity).toMatchObject({ model: 'INTEL SSDPEKNW010T8', serial: 'BTNH93710FS91P0B', firmware: '002C', capacityBytes: 1024209543168, logicalSectorSize: 512, interface: 'NVMe' });
    expect(r.health).toMatchObject({ passed: true, mediaErrors: 0, criticalWarning: 0, availableSparePercent: 100, percentageUsed: 0, powerOnHours: 2401, temperatureCelsius: 36 });
    expect(r.attributes).toEqual([]);
    expect(r.errorLog.count).toBe(0);
  });

  it('an NVMe (Samsung 970 EVO) with 7 media errors and 62 error log entries', () => {
    const r = parseAvailable('nvmeMediaErrors');
    expect(r.identity).toMatchObject({ model: 'Samsung SSD 970 EVO 500GB', serial: 'S466NX0M776250H', capacityBytes: 500107862016 });
    expect(r.health).toMatchObject({ mediaErrors: 7, percentageUsed: 3, availableSparePercent: 99, powerOnHours: 12798 });
    expect(r.errorLog.count).toBe(62);
  });

  it('a SAS disk: transport, grown defects, uncorrected errors from the counter log', () => {
    const r = parseAvailable('scsi');
    expect(r.kind).toBe('scsi');
    expect(r.identity).toMatchObject({ interface: 'SAS (SPL-4)', capacityBytes: 4000787030016, rotationRpm: 7200, deviceType: 'scsi' });
    expect(r.health).toMatchObject({ passed: true, grownDefects: 0, uncorrectedReadErrors: 0, powerOnHours: 1641, temperatureCelsius: 34 });
  });
});

describe('parse: when smartctl cannot read the drive', () => {
  it('a loop device (recorded here): unsupported-device, quoting smartctl', () => {
    const r = parseFixture('loopAuto');
    expect(r).toMatchObject({ available: false, reason: 'unsupported-device', note: '/dev/loop0: Unable to detect device type' });
  });

  it('-d sat on a loop device: exit 2 with no message, read as unsupported', () => {
    const r = parseFixture('loopSat', { device: '/dev/loop0' });
    expect(r).toMatchObject({ available: false, reason: 'unsupported-device' });
    if (!r.available) expect(r.note).toMatch(/^\/dev\/loop0 did not answer sat IDENTIFY/);
  });

  it('a user who may not open the node: permission-denied (recorded as nobody)', () => {
    expect(parseFixture('loopSatDenied')).toMatchObject({ available: false, reason: 'permission-denied', note: expect.stringContaining('Permission denied') });
  });

  it('EPERM on a virtio disk: the device refusing pass-through as root, a permission problem otherwise', () => {
    expect(parseFixture('vdaSatEperm', { privileged: true })).toMatchObject({ reason: 'unsupported-device' });
    expect(parseFixture('vdaSatEperm', { privileged: false })).toMatchObject({ reason: 'permission-denied' });
  });

  it('a vanished /dev/sdz: device-gone, with and without -d sat', () => {
    expect(parseFixture('sdzGone')).toMatchObject({ reason: 'device-gone', note: 'Smartctl open device: /dev/sdz failed: No such device' });
    expect(parseFixture('sdzSatGone')).toMatchObject({ reason: 'device-gone' });
  });

  it('a path smartctl cannot type is device-gone once it is known not to exist', () => {
    expect(parseFixture('noSuchPath', { deviceExists: true })).toMatchObject({ reason: 'unsupported-device' });
    const r = parseFixture('noSuchPath', { device: '/dev/imagebox-no-such-path', deviceExists: false });
    expect(r).toMatchObject({ reason: 'device-gone' });
    if (!r.available) expect(r.note).toBe('/dev/imagebox-no-such-path does not exist (smartctl: /dev/imagebox-no-such-path: Unable to detect device type)');
  });

  it('no smartctl, a hang, or output that is not JSON: never throws, says which', () => {
    const ctx = { device: '/dev/sda' };
    expect(parseSmartctl({ stdout: '', stderr: '', exitCode: null, spawnError: { code: 'ENOENT', message: 'spawn smartctl ENOENT' } }, ctx)).toMatchObject({
      reason: 'smartctl-missing',
      note: expect.stringContaining('install smartmontools'),
    });
    expect(parseSmartctl({ stdout: '', stderr: '', exitCode: null, timedOutAfterMs: 60_000 }, ctx)).toMatchObject({
      reason: 'failed',
      note: 'smartctl gave no answer within 60 s: the drive may be hanging on commands',
    });
    // What smartctl 6.x prints for --json.
    const old = parseSmartctl({ stdout: '=======> UNRECOGNIZED OPTION: json=c\n', stderr: '', exitCode: 1 }, ctx);
    expect(old).toMatchObject({ reason: 'failed', note: expect.stringContaining('needs 7.0 or later') });
    expect(parseSmartctl({ stdout: '{"smartctl": 3', stderr: 'oops', exitCode: 4 }, ctx)).toMatchObject({ reason: 'failed', note: 'smartctl printed no JSON (exit 4): oops' });
  });
});
