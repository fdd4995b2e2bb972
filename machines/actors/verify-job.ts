// Verifying a finished job. A forensic image is read back through its reader: every chunk or
// frame checked, the whole image re-hashed against what the acquisition computed. A recovery's
// mapfile, as saved on disk, must agree with what the run reported, and the image must hold the
// whole drive (unread sectors as holes).
import { stat } from 'node:fs/promises';
import { openImage } from '../../controller/acquire/open-image.ts';
import { verifyImage } from '../../controller/acquire/verify-image.ts';
import type { Algo } from '../../controller/evidence/algorithms.ts';
import { loadMapfile } from '../../controller/rescue/mapfile-save.ts';
import { formatBytes } from '../../controller/units.ts';
import type { VerifyInput, VerifyResult } from '../appliance-job.types.ts';
import type { ApplianceEnv } from './appliance-env.ts';
import type { ApplianceJobSettings } from './job-settings.ts';

export async function verifyJob(env: ApplianceEnv, input: VerifyInput, signal: AbortSignal): Promise<VerifyResult> {
  const { files } = input.settings as ApplianceJobSettings;
  const log = env.log.child({ component: 'verify', job: input.jobId });
  const result = files.forensic ? await verifyForensic(files.forensic.first, files.forensic.format, input, signal) : await verifyRecovery(files, input);
  log.info(result, 'verified');
  return result;
}

async function verifyForensic(first: string, format: Parameters<typeof openImage>[1], input: VerifyInput, signal: AbortSignal): Promise<VerifyResult> {
  const img = await openImage(first, format);
  try {
    const r = await verifyImage(img, { signal, expected: input.acquired.hashes as Partial<Record<Algo, string>> });
    return r.ok
      ? { ok: true, summary: `image verified: ${r.checked.join('; ')}` }
      : { ok: false, summary: `image does NOT verify: ${r.problems.map((p) => p.message).join('; ')}` };
  } finally {
    await img.reader.close();
  }
}

async function verifyRecovery(files: ApplianceJobSettings['files'], input: VerifyInput): Promise<VerifyResult> {
  const size = input.acquired.bytesTotal;
  const { map } = await loadMapfile(files.mapfile, size);
  const unread = size - map.bytes('+');
  const problems: string[] = [];
  if (unread !== input.acquired.unreadBytes) problems.push(`the mapfile says ${unread} bytes unread, the run said ${input.acquired.unreadBytes}`);
  const st = await stat(files.image);
  if (st.isFile() && st.size < size) problems.push(`the image holds ${st.size} bytes of the drive's ${size}`);
  if (problems.length) return { ok: false, summary: `mapfile disagrees: ${problems.join('; ')}` };
  return { ok: true, summary: `mapfile agrees: ${formatBytes(size - unread)} rescued, ${formatBytes(unread)} unread` };
}
