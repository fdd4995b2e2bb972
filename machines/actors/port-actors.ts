// The port machine's actors: who the drive is (the kernel's listing), what the box can learn of it
// before reading (SMART, HPA/DCO, write block: the same facts `imagebox inspect` gathers), and a
// watch on its write block for as long as it is attached.
import { fromCallback, fromPromise } from 'xstate';
import { gatherDriveFacts } from '../../controller/preflight/drive-facts.ts';
import { combineWriteBlock, type WriteBlockReading } from '../../drivers/blocker/types.ts';
import { summarizeHiddenAreas } from '../../drivers/ata/summary.ts';
import { smartSummaryLine } from '../../drivers/smart/summary.ts';
import type { DriveIdentity, PortActorInput, PortPreflight, WriteBlockChanged } from '../port.machine.ts';
import type { ApplianceEnv } from './appliance-env.ts';

export function portActors(env: ApplianceEnv) {
  const log = env.log.child({ component: 'port' });
  return {
    identify: fromPromise<DriveIdentity, PortActorInput>(async ({ input }) => {
      const { drives } = await env.bindings.discovery.list();
      const d = drives.find((x) => x.path === input.drive.path);
      if (!d) throw new Error(`${input.drive.path} is no longer listed by the kernel`);
      return { serial: d.serial, model: d.model, sizeBytes: d.size, logicalSectorSize: d.logicalSectorSize, transport: d.transport };
    }),

    preflight: fromPromise<PortPreflight, PortActorInput & { identity: DriveIdentity }>(async ({ input, signal }) => {
      const t = env.factsTimeoutMs;
      const timeouts = t === undefined ? undefined : { discovery: t, smart: t, ata: t, writeBlock: t };
      const facts = await gatherDriveFacts(input.drive.path, env.bindings, { signal, log, timeouts });
      env.store.facts.set(input.port, facts);
      const smartVerdict = facts.smart.available ? facts.smart.verdict.level : 'unknown';
      log.info({ port: input.port, drive: input.drive.path, writeBlock: facts.writeBlock.verdict, smart: smartVerdict }, 'port preflight');
      return {
        writeBlock: facts.writeBlock.verdict,
        smartVerdict,
        smartSummary: smartSummaryLine(facts.smart),
        hiddenAreas: summarizeHiddenAreas(facts.hidden),
      };
    }),

    // Every method is watched; the port's state is their combined verdict, sent only when it moves.
    watchWriteBlock: fromCallback<WriteBlockChanged, PortActorInput>(({ input, sendBack }) => {
      const stop = new AbortController();
      const latest = new Map<string, WriteBlockReading>();
      let said: string | undefined;
      const watch = async (): Promise<void> => {
        const baseline = await env.bindings.blocker.read(input.drive.path);
        for (const r of baseline) latest.set(r.method, r);
        said = combineWriteBlock(baseline);
        await env.bindings.blocker.watch(input.drive.path, { signal: stop.signal, baseline }, (change) => {
          if (change.to === undefined) latest.delete(change.method);
          else latest.set(change.method, change.reading);
          const state = combineWriteBlock([...latest.values()]);
          if (state === said) return;
          said = state;
          log.info({ port: input.port, method: change.method, from: change.from, to: change.to, state }, 'write block changed');
          sendBack({ type: 'WRITE_BLOCK.CHANGED', state });
        });
      };
      watch().catch((err: unknown) => log.warn({ port: input.port, err }, 'write-block watch ended'));
      return () => stop.abort();
    }),
  };
}
