// A job's own preflight, just before it reads: the same refusals as `imagebox rescue` and
// `imagebox image` (never the source, never over an image, never beside a finished one), the
// source's size, the destination's free space, the write block now, and whether this resumes.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { imageOutputRefusal } from '../../controller/acquire/image-output-check.ts';
import { exists } from '../../controller/jobs/rescue-mapfile.ts';
import { checkDestination, checkMapfile } from '../../controller/rescue/destination-check.ts';
import { describePath } from '../../drivers/block/device-info.ts';
import { combineWriteBlock } from '../../drivers/blocker/types.ts';
import type { JobActorInput, JobPreflight } from '../appliance-job.types.ts';
import type { ApplianceEnv } from './appliance-env.ts';
import type { ApplianceJobSettings } from './job-settings.ts';

export async function jobPreflight(env: ApplianceEnv, input: JobActorInput): Promise<JobPreflight> {
  const log = env.log.child({ component: 'job', job: input.jobId, port: input.port });
  const { files, request } = input.settings as ApplianceJobSettings;
  if (request.mode !== 'clone') await mkdir(dirname(files.image), { recursive: true });
  await mkdir(dirname(files.mapfile), { recursive: true });
  const opened = await env.openSource(input.source.path);
  try {
    const refusal = await refusalFor(opened.info, input.settings as ApplianceJobSettings);
    if (refusal) {
      log.error({ source: input.source.path, image: files.image, reason: refusal }, 'refused');
      throw new Error(refusal);
    }
    const [destinationFreeBytes, readings, resuming] = await Promise.all([
      request.mode === 'clone' ? Promise.resolve(Infinity) : env.freeBytes(files.image),
      env.bindings.blocker.read(input.source.path),
      exists(files.mapfile),
    ]);
    const writeBlock = combineWriteBlock(readings);
    log.info({ sourceBytes: opened.source.size, destinationFreeBytes, writeBlock, resuming }, 'job preflight');
    return { sourceBytes: opened.source.size, destinationFreeBytes, writeBlock, resuming };
  } finally {
    await opened.source.close().catch(() => {});
  }
}

async function refusalFor(source: Parameters<typeof checkDestination>[0]['source'], s: ApplianceJobSettings): Promise<string | undefined> {
  const { files } = s;
  if (files.forensic) return imageOutputRefusal(files.forensic, source);
  const [dest, mapfile] = await Promise.all([describePath(files.image), describePath(files.mapfile)]);
  const mc = checkMapfile({ source, dest, mapfile });
  if (!mc.ok) return mc.reason;
  const dc = checkDestination({ source, dest, mapfileExists: await exists(files.mapfile), force: false });
  return dc.ok ? undefined : dc.reason;
}
