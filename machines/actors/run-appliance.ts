// Starts the appliance on an environment: the machine with its actors, and the drive feed that
// turns discovery's attach and detach into the machine's DRIVE events, port by port.
import { createActor } from 'xstate';
import type { ActorRefFrom } from 'xstate';
import { applianceMachine, type ApplianceInput } from '../appliance.machine.ts';
import { provideAppliance } from './appliance-actors.ts';
import type { ApplianceEnv } from './appliance-env.ts';

export type ApplianceActor = ActorRefFrom<typeof applianceMachine>;

export interface RunningAppliance {
  readonly actor: ApplianceActor;
  readonly env: ApplianceEnv;
  /** The first listing has been turned into ports. */
  readonly ready: Promise<void>;
  /** Stops the feed and the machine (running jobs save their mapfiles first). */
  stop(): Promise<void>;
}

export function runAppliance(env: ApplianceEnv, input: ApplianceInput = {}): RunningAppliance {
  const log = env.log.child({ component: 'appliance' });
  const actor = createActor(provideAppliance(env), { input });
  actor.start();
  const feed = new AbortController();
  const onPort = new Map<string, string>(); // drive path -> port
  const attach = (drive: Parameters<ApplianceEnv['portOf']>[0]): void => {
    const port = env.portOf(drive);
    if (port === undefined) return;
    onPort.set(drive.path, port);
    log.info({ port, drive: drive.path, serial: drive.serial }, 'drive attached');
    actor.send({ type: 'DRIVE.ATTACHED', port, drive: { path: drive.path, serial: drive.serial } });
  };
  const watch = env.bindings.discovery.watch({
    signal: feed.signal,
    onEvent: (e) => {
      if (e.type === 'attach') attach(e.drive);
      else if (e.type === 'detach') {
        const port = onPort.get(e.drive.path);
        if (port === undefined) return;
        onPort.delete(e.drive.path);
        log.info({ port, drive: e.drive.path }, 'drive detached');
        actor.send({ type: 'DRIVE.DETACHED', port });
      }
    },
  });
  const ready = watch.ready.then((listing) => {
    for (const d of listing.drives) attach(d);
  });
  return {
    actor, env, ready,
    async stop() {
      feed.abort();
      await watch.stopped.catch(() => {});
      for (const { ref } of Object.values(actor.getSnapshot().context.jobs)) {
        if (ref.getSnapshot().status === 'active') ref.send({ type: 'PAUSE' });
      }
      await env.store.settled();
      actor.stop();
    },
  };
}
