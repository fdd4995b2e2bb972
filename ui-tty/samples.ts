// Sample view-models: four ports and two jobs as the appliance would show them mid-morning. The
// screen tests and the operator guide's screen captures draw these.
import type { DriveDetailView, JobView, MapRun, PortView, ResultView } from './view-model.ts';

const TB2 = 2_000_398_934_016;

export const SAMPLE_PORTS: readonly PortView[] = [
  {
    port: '1', device: '/dev/sdb', model: 'WDC WD20EARS-00MVWB0', serial: 'WD-WCAZA5718433',
    capacityBytes: TB2, health: 'healthy', healthLine: 'no warning signs in SMART', writeBlock: 'engaged',
    hpa: false, dco: false, state: 'ready',
  },
  {
    port: '2', device: '/dev/sdc', model: 'ST2000DM001-1ER164', serial: 'Z4Z2K8XQ', capacityBytes: TB2,
    health: 'failing', healthLine: '8 pending sectors, 412 reported uncorrectable', writeBlock: 'engaged',
    hpa: false, dco: false, state: 'busy',
  },
  {
    port: '3', device: '/dev/sdd', model: 'Samsung SSD 860 EVO 500GB', serial: 'S3Z1NB0K812345X',
    capacityBytes: 500_107_862_016, health: 'watch', healthLine: '3 reallocated sectors',
    writeBlock: 'not-engaged', hpa: true, dco: false, state: 'ready',
  },
  {
    port: '4', device: '/dev/sde', model: 'TOSHIBA MQ01ABD100', serial: '',
    capacityBytes: 1_000_204_886_016, health: 'unknown', healthLine: 'SMART not read yet',
    writeBlock: 'unknown', hpa: false, dco: false, state: 'identifying',
  },
];

/**
 * A failing drive partway through the copy passes: finished up to 45%, with the damage of one bad
 * head (bands every 9% of the drive) behind, an area skipped ahead at 60%, non-tried beyond.
 */
export function sampleDamagedMap(size: number): MapRun[] {
  const runs: MapRun[] = [];
  const band = Math.floor(size / 100);
  let pos = 0;
  const add = (status: MapRun['status'], bytes: number): void => {
    runs.push({ status, bytes });
    pos += bytes;
  };
  for (let k = 0; k < 5; k++) {
    add('+', Math.floor(size * 0.09) - band);
    add('*', Math.floor(band / 2));
    add('/', Math.floor(band / 4));
    add('-', 4096 * (k + 1));
    add('+', band - Math.floor(band / 2) - Math.floor(band / 4) - 4096 * (k + 1));
  }
  add('?', Math.floor(size * 0.6) - pos);
  add('*', band);
  add('?', size - pos);
  return runs;
}

export const SAMPLE_JOBS: readonly JobView[] = [
  {
    id: 'job-1', port: '2', mode: 'recovery', state: 'acquiring', phase: 'copy pass 1', pct: 44.6,
    rescued: 892_178_000_000, size: TB2, rateBytesPerSec: 97_400_000, etaMs: 3 * 3_600_000 + 25 * 60_000,
    errors: 27, map: sampleDamagedMap(TB2),
    events: [
      '09:12:04 started recovery of port 2 (ST2000DM001, Z4Z2K8XQ)',
      '09:58:31 read error at 180.0 GB: skipping 64 KiB, then doubling',
      '10:41:12 slow area at 540.2 GB: skipped ahead',
      '11:03:55 read timeout at 720.1 GB: source reopened',
      '11:20:18 read error at 900.2 GB: skipping 64 KiB, then doubling',
    ],
  },
  {
    id: 'job-2', port: '1', mode: 'forensic', state: 'done', phase: 'report', pct: 100,
    rescued: TB2, size: TB2, rateBytesPerSec: 0, etaMs: 0, errors: 0, map: [{ status: '+', bytes: TB2 }],
    events: ['07:02:11 started forensic image of port 1', '09:03:40 verified: MD5 and SHA-256 match', '09:03:42 report written'],
  },
];

export const SAMPLE_DETAILS: Readonly<Record<string, DriveDetailView>> = {
  '2': {
    port: '2',
    verdict: 'failing',
    reasons: [
      '8 sectors are pending: the drive could not read them and is waiting for a rewrite.',
      '412 read errors reached the host (reported uncorrectable): the surface is degrading.',
      '120 sectors were reallocated to spares in the past.',
    ],
    advice: [
      'Image it now, once: every hour of spinning may cost more sectors.',
      'Use the recovery strategy "smart" so bad areas are probed, not scraped.',
      'Do not run SMART self-tests or file system checks on it.',
    ],
    hiddenAreas: ['HPA: none (visible 3,907,029,168 sectors = native)', 'DCO: none reported'],
    identity: [
      { label: 'Model', value: 'ST2000DM001-1ER164' },
      { label: 'Serial', value: 'Z4Z2K8XQ' },
      { label: 'Firmware', value: 'CC26' },
      { label: 'Capacity', value: '2.00 TB (3,907,029,168 sectors)' },
      { label: 'Sectors', value: '512 bytes logical, 4096 physical' },
      { label: 'Interface', value: 'SATA 6.0 Gb/s, 7200 rpm' },
      { label: 'Device', value: '/dev/sdc on port 2' },
    ],
    smart: [
      { id: '1', name: 'Raw_Read_Error_Rate', value: '082', threshold: '006', raw: '181236592', flag: 'ok' },
      { id: '5', name: 'Reallocated_Sector_Ct', value: '097', threshold: '010', raw: '120', flag: 'watch' },
      { id: '9', name: 'Power_On_Hours', value: '074', threshold: '000', raw: '23411', flag: 'ok' },
      { id: '10', name: 'Spin_Retry_Count', value: '100', threshold: '097', raw: '0', flag: 'ok' },
      { id: '12', name: 'Power_Cycle_Count', value: '098', threshold: '020', raw: '2287', flag: 'ok' },
      { id: '187', name: 'Reported_Uncorrect', value: '001', threshold: '000', raw: '412', flag: 'failing' },
      { id: '188', name: 'Command_Timeout', value: '100', threshold: '000', raw: '0 0 4', flag: 'ok' },
      { id: '194', name: 'Temperature_Celsius', value: '036', threshold: '000', raw: '36 (Min/Max 17/48)', flag: 'ok' },
      { id: '197', name: 'Current_Pending_Sector', value: '100', threshold: '000', raw: '8', flag: 'failing' },
      { id: '198', name: 'Offline_Uncorrectable', value: '100', threshold: '000', raw: '8', flag: 'failing' },
      { id: '199', name: 'UDMA_CRC_Error_Count', value: '200', threshold: '000', raw: '0', flag: 'ok' },
    ],
  },
};

export const SAMPLE_RESULTS: Readonly<Record<string, ResultView>> = {
  'job-2': {
    jobId: 'job-2',
    lines: [
      'Acquisition report: case-0412-ev03',
      '==================================',
      '', 'Case', '----',
      '  Case number:     0412', '  Evidence number: EV-03', '  Examiner:        R. Lindqvist',
      '', 'Source', '------',
      '  Device:        /dev/sdb (port 1)', '  Model:         WDC WD20EARS-00MVWB0',
      '  Serial number: WD-WCAZA5718433', '  Capacity:      2,000,398,934,016 bytes (3,907,029,168 sectors)',
      '', 'HPA / DCO', '---------', '  HPA present: no', '  DCO present: no',
      '', 'Write blocking', '--------------', '  State:           engaged', '  How established: kernel read-only flag',
      '  Verified:        yes',
      '', 'Times', '-----', '  Started:      2025-11-22T07:02:11Z', '  Ended:        2025-11-22T09:03:42Z',
      '  Duration:     2h 1m 31s', '  Average rate: 274.2 MB/s',
      '', 'Result and hashes', '-----------------',
      '  MD5 of the image: 7f1c2a9e0b6d4c13a8e5f2b9d0c4e6a1',
      '  SHA-256 of the image: 3b9a41c07d5e8f26a1b4c9d0e7f3a25c6b8d1e4f7a0c3b6d9e2f5a8b1c4d7e0f',
      '  Every sector of the source was read: the image is complete.',
      '', 'Verification', '------------', '  The image was read back: MD5 and SHA-256 match.',
    ],
  },
};
