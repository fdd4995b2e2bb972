// The one bridge from the machines to the drivers and the controller: every actor the port and job
// machines name, built from one ApplianceEnv (the host's, or the emulated appliance's).
import { applianceMachine } from '../appliance.machine.ts';
import { applianceJobMachine } from '../appliance-job.machine.ts';
import { portMachine } from '../port.machine.ts';
import { acquireActor } from './acquire-actor.ts';
import type { ApplianceEnv } from './appliance-env.ts';
import { jobActors } from './job-actors.ts';
import { portActors } from './port-actors.ts';
import { reportActor } from './report-actor.ts';

export function provideAppliance(env: ApplianceEnv) {
  const port = portMachine.provide({ actors: portActors(env) });
  const job = applianceJobMachine.provide({ actors: { ...jobActors(env), acquire: acquireActor(env), report: reportActor(env) } });
  return applianceMachine.provide({ actors: { port, job } });
}
