// The job machine's 'report' actor: writes BASE.job.txt durably beside the image and keeps its
// lines for the results screen.
import { fromPromise } from 'xstate';
import { unreadFromMap } from '../../controller/evidence/unread.ts';
import { writeFileDurably } from '../../controller/durable-file.ts';
import { loadMapfile } from '../../controller/rescue/mapfile-save.ts';
import type { ReportInput, ReportResult } from '../appliance-job.types.ts';
import type { ApplianceEnv } from './appliance-env.ts';
import { jobReportLines } from './job-report-text.ts';
import type { ApplianceJobSettings } from './job-settings.ts';

export function reportActor(env: ApplianceEnv) {
  return fromPromise<ReportResult, ReportInput>(async ({ input }) => {
    const settings = input.settings as ApplianceJobSettings;
    const trace = env.store.trace(input.jobId, settings);
    const size = input.acquired.bytesTotal;
    const { map } = await loadMapfile(settings.files.mapfile, size);
    const facts = env.store.facts.get(input.port);
    const sectorSize = facts?.identity.logicalSectorSize ?? 512;
    const lines = jobReportLines({
      input, facts, unread: unreadFromMap(map, sectorSize), startedAt: trace.startedAt, finishedAt: new Date(),
    });
    await writeFileDurably(settings.files.report, `${lines.join('\n')}\n`, { replace: true });
    trace.report = lines;
    env.log.child({ component: 'report', job: input.jobId }).info({ report: settings.files.report }, 'job report written');
    return { paths: [settings.files.report, ...input.acquired.imagePaths] };
  });
}
