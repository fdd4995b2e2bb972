// A record as a job would build it, for the evidence tests.
import type { Algo } from '../../../controller/evidence/algorithms.ts';
import { createRecord, type RecordInput } from '../../../controller/evidence/record.ts';
import type { UnreadSummary } from '../../../controller/evidence/record-schema.ts';

export const HOST = { hostname: 'bench-1', os: 'Debian GNU/Linux 12 (bookworm)', kernel: 'Linux 6.1.0 #1 SMP', arch: 'x64' };
export const TOOL = { name: 'imagebox', version: '0.1.0', commandLine: 'imagebox acquire /dev/sdb case1.img' };

export function makeRecord(
  unread: UnreadSummary,
  hashes: Partial<Record<Algo, string>>,
  over: Partial<RecordInput> = {},
) {
  return createRecord({
    case: { caseNumber: '2024-117', evidenceNumber: 'E-3', examiner: 'A. Examiner', description: 'Laptop disk <Toshiba> & co', notes: 'seized 3 May' },
    tool: TOOL,
    host: HOST,
    source: {
      path: '/dev/sdb',
      identity: { model: 'TOSHIBA MQ01ABD050', serial: 'X1234', firmware: 'AX001U', capacityBytes: 1048576, logicalSectorSize: 512, physicalSectorSize: 4096 },
      smart: { healthPassed: false, reallocatedSectors: 1200, pendingSectors: 34 },
      hpaDco: { hpaPresent: false, dcoPresent: false, imaged: 'visible' },
      writeBlock: { state: 'software', method: 'kernel read-only flag set and read back', verified: true },
    },
    imaged: { sizeBytes: 1048576, sectorSize: 512 },
    settings: { format: 'raw', retries: 1, hashes: 'md5,sha256' },
    output: { format: 'raw', segments: [] },
    start: new Date('2024-05-03T10:00:00Z'),
    end: new Date('2024-05-03T10:00:02Z'),
    hashes,
    unread,
    ...over,
  });
}
