// `imagebox outbox ...` as its own process, for the restart tests (controller/cli.ts does not
// route to it yet).
import { outboxCommand } from '../../../controller/labserver/outbox-command.ts';

outboxCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`imagebox: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = (err as { exitCode?: number }).exitCode ?? 4;
  },
);
