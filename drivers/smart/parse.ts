// One smartctl run (stdout, exit code, or why it never ran) into a SmartReport. Pure: the real
// binding and the emulated one both end here, so a recorded output parses exactly as a live one.

import { decodeExitStatus, type ExitStatus } from './exit-status.ts';
import { isObj, list, num, str } from './json-access.ts';
import { attributesOf, errorLogOf, hasDriveData, healthOf, identityOf, kindOf } from './parse-data.ts';
import type { SmartData, SmartReport, UnavailableReason } from './types.ts';
import { smartVerdict } from './verdict.ts';

/** What running smartctl gave back. */
export interface SmartctlRun {
  readonly stdout: string;
  readonly stderr: string;
  /** null when it never ran, was killed, or was given up on. */
  readonly exitCode: number | null;
  /** Set when the process could not be started (ENOENT: not installed). */
  readonly spawnError?: { readonly code: string; readonly message: string };
  /** Set when smartctl gave no answer in time and was abandoned. */
  readonly timedOutAfterMs?: number;
}

export interface ParseContext {
  readonly device: string;
  /** Whether the device path existed just after the run (undefined: not checked). */
  readonly deviceExists?: boolean;
  /** smartctl ran as root: "Operation not permitted" then means the device refused pass-through. */
  readonly privileged?: boolean;
}

type Unavailable = Extract<SmartReport, { available: false }>;

function unavailable(ctx: ParseContext, reason: UnavailableReason, note: string, exitStatus?: ExitStatus): Unavailable {
  // A path that is gone explains every other complaint smartctl made about it.
  if (ctx.deviceExists === false && reason !== 'smartctl-missing') {
    return { available: false, device: ctx.device, reason: 'device-gone', note: `${ctx.device} does not exist (smartctl: ${note})`, ...(exitStatus ? { exitStatus } : {}) };
  }
  return { available: false, device: ctx.device, reason, note, ...(exitStatus ? { exitStatus } : {}) };
}

function firstLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
}

/** Why smartctl could not reach the drive, from its error messages (smartmontools 7.x wording). */
function openFailure(errors: readonly string[], ctx: ParseContext): UnavailableReason | undefined {
  const all = errors.join('\n');
  if (/No such device|No such file or directory/i.test(all)) return 'device-gone';
  if (/Permission denied|Error=5\b/i.test(all)) return 'permission-denied';
  // EPERM as root: the kernel refused the pass-through ioctl (virtio disks do); as a user: no CAP_SYS_RAWIO.
  if (/Operation not permitted/i.test(all)) return ctx.privileged ? 'unsupported-device' : 'permission-denied';
  if (/Unable to detect device type|Unknown USB bridge|specify device type|Identity failed|Identify Controller failed|not supported/i.test(all)) {
    return 'unsupported-device';
  }
  return undefined;
}

function notRun(run: SmartctlRun, ctx: ParseContext): Unavailable | undefined {
  if (run.spawnError) {
    return run.spawnError.code === 'ENOENT'
      ? unavailable(ctx, 'smartctl-missing', `smartctl is not installed (${run.spawnError.message}): install smartmontools 7 or later`)
      : unavailable(ctx, 'failed', `smartctl could not be started: ${run.spawnError.message}`);
  }
  if (run.timedOutAfterMs !== undefined) {
    return unavailable(ctx, 'failed', `smartctl gave no answer within ${Math.round(run.timedOutAfterMs / 1000)} s: the drive may be hanging on commands`);
  }
  return undefined;
}

function parseJson(stdout: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
}

export function parseSmartctl(run: SmartctlRun, ctx: ParseContext): SmartReport {
  const early = notRun(run, ctx);
  if (early) return early;
  const json = parseJson(run.stdout);
  if (!isObj(json) || !isObj(json.smartctl)) {
    const said = firstLine(run.stderr) || firstLine(run.stdout) || 'no output';
    // smartctl 6 and older know no --json: "=======> UNRECOGNIZED OPTION: json".
    const why = /UNRECOGNIZED OPTION/i.test(run.stdout) ? 'this smartctl has no --json (needs 7.0 or later)' : said;
    return unavailable(ctx, 'failed', `smartctl printed no JSON (exit ${run.exitCode ?? 'none'}): ${why}`);
  }
  const exitStatus = decodeExitStatus(run.exitCode ?? num(json, 'smartctl', 'exit_status') ?? 0);
  const messages = list(json, 'smartctl', 'messages').map((m) => ({ text: str(m, 'string') ?? '', severity: str(m, 'severity') }));
  const errors = messages.filter((m) => m.severity === 'error').map((m) => m.text);
  const said = errors.join('; ') || exitStatus.meanings.join('; ');

  const kind = kindOf(json);
  if (exitStatus.commandLine || exitStatus.deviceOpenFailed || !kind || !hasDriveData(json)) {
    // Checked before bit 0: smartctl also exits 1 when it cannot tell what a device is.
    const reason = openFailure(errors, ctx);
    if (reason) return unavailable(ctx, reason, said, exitStatus);
    if (exitStatus.commandLine) return unavailable(ctx, 'failed', `smartctl rejected the command line: ${said}`, exitStatus);
    // `-d sat` on something that is not ATA: smartctl opens it, IDENTIFY fails, and (in JSON mode)
    // it says only exit 2 with the device block. Recorded from a loop device with smartctl 7.3.
    if (kind && errors.length === 0) {
      return unavailable(ctx, 'unsupported-device', `${ctx.device} did not answer ${str(json, 'device', 'type') ?? kind} IDENTIFY: not that kind of device, or a bridge without pass-through`, exitStatus);
    }
    return unavailable(ctx, 'failed', `smartctl returned no drive data (exit ${exitStatus.raw}): ${said}`, exitStatus);
  }

  const attributes = attributesOf(json);
  const version = list(json, 'smartctl', 'version').filter((v) => typeof v === 'number');
  const data: SmartData = {
    device: ctx.device,
    kind,
    identity: identityOf(json, kind),
    health: healthOf(json, kind, attributes),
    attributes,
    errorLog: errorLogOf(json, kind),
    exitStatus,
    messages: messages.map((m) => m.text),
    ...(version.length ? { smartctlVersion: version.join('.') } : {}),
  };
  return { available: true, ...data, verdict: smartVerdict(data) };
}
