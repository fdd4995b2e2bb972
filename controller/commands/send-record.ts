// After an acquisition: hand its record to the lab server's outbox, when one is configured, and
// try once to deliver it. A failure here never changes the acquisition's result: the record is
// safe on disk beside the image, and `imagebox outbox run` keeps trying.
import { readFile } from 'node:fs/promises';
import type { Config } from '../config.ts';
import { deliverOutbox } from '../labserver/deliver.ts';
import { enqueue } from '../labserver/outbox.ts';
import type { Logger } from '../logger.ts';

export async function sendRecord(config: Config, recordJson: string, log: Logger): Promise<string | undefined> {
  if (!config.labServer) return undefined;
  try {
    const q = await enqueue(await readFile(recordJson, 'utf8'));
    log.info({ outbox: q.path, id: q.id, status: q.status }, 'record queued for the lab server');
    const timeout = 2 * (config.labServer.timeoutMs ?? 30_000);
    const s = await deliverOutbox({ signal: AbortSignal.timeout(timeout), config, log });
    return s.delivered.includes(q.id) ? 'Record sent to the lab server.' : 'Record queued for the lab server (imagebox outbox status).';
  } catch (err) {
    log.error({ err }, 'could not queue the record for the lab server');
    return `warning: record not queued for the lab server: ${(err as Error).message}`;
  }
}
