// The emulated binding: a stand-in for smartctl that answers from recorded `smartctl --json`
// outputs, per device path, and fails the way smartctl 7.3 fails (same messages, same exit codes,
// checked against recordings in test/fixtures/smart/). Its answers go through the same reader and
// parse as the real binding's, so a test on it exercises everything but the spawn.

import type { Logger } from '../../controller/logger.ts';
import type { SmartctlRun } from './parse.ts';
import { smartBinding, type SmartctlRunner } from './reader.ts';
import type { SmartBinding } from './types.ts';

export type EmulatedSmartDevice =
  /** A drive answering with this recorded stdout; exit code from its smartctl.exit_status. */
  | {
      readonly output: string;
      /** A USB bridge smartctl does not know: it answers only when asked with `-d` this type. */
      readonly requiresDeviceType?: string;
      /** The bridge's USB id as smartctl prints it ("0x152d:0x0578 (0x209)"). */
      readonly usbId?: string;
    }
  /** A node smartctl cannot talk SMART to (loop device, virtual disk), one this user may not open, or a drive that never answers. */
  | { readonly state: 'unsupported' | 'denied' | 'hang' };

export interface EmulatedSmartOptions {
  readonly devices?: Readonly<Record<string, EmulatedSmartDevice>>;
  /** false: smartctl is not installed (spawn ENOENT). */
  readonly installed?: boolean;
  readonly privileged?: boolean;
  readonly timeoutMs?: number;
  readonly log?: Logger;
  readonly now?: () => Date;
}

export interface Pluggable {
  /** Attach a device (or replace what answers at that path). */
  plug(path: string, device: EmulatedSmartDevice): void;
  /** Detach it: the path is gone, as after pulling a USB cable. */
  unplug(path: string): void;
}

export type EmulatedSmart = SmartBinding & Pluggable;

/** What smartctl 7.3 appends to the name in its messages for a `-d` type ("/dev/sdz [SAT]"). */
const TYPE_LABELS: Record<string, string> = {
  sat: ' [SAT]',
  usbjmicron: ' [USB JMicron]',
  usbcypress: ' [USB Cypress]',
  usbprolific: ' [USB Prolific]',
  usbsunplus: ' [USB Sunplus]',
};

/** Names smartctl's Linux auto-detection recognises without opening anything; others it cannot type. */
const AUTO_TYPED = /^\/dev\/(sd|hd|nvme|sg|scsi|sr|bus\/)/;

function asctime(d: Date): string {
  const [wd, , mon, , time] = d.toUTCString().replace(',', '').split(' ');
  return `${wd} ${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${time} ${d.getUTCFullYear()} UTC`;
}

function parseArgs(args: readonly string[]): { device: string; deviceType?: string } {
  let deviceType: string | undefined;
  let device = '';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-d') deviceType = args[++i];
    else if (!args[i].startsWith('-')) device = args[i];
  }
  return { device, deviceType };
}

/** The emulated smartctl itself: what it prints and exits with, for the shared reader to parse. */
export function createEmulatedSmartctl(opts: EmulatedSmartOptions = {}): SmartctlRunner & Pluggable {
  const devices = new Map(Object.entries(opts.devices ?? {}));
  const now = opts.now ?? (() => new Date());

  /** smartctl's JSON envelope around an answer that carries no drive data. */
  const envelope = (args: readonly string[], exit: number, message?: string, device?: object): SmartctlRun => {
    const t = now();
    const out = {
      json_format_version: [1, 0],
      smartctl: {
        version: [7, 3],
        svn_revision: '5338',
        platform_info: 'emulated',
        build_info: '(imagebox emulated smartctl)',
        argv: ['smartctl', ...args],
        ...(message ? { messages: [{ string: message, severity: 'error' }] } : {}),
        exit_status: exit,
      },
      local_time: { time_t: Math.floor(t.getTime() / 1000), asctime: asctime(t) },
      ...(device ? { device } : {}),
    };
    return { stdout: JSON.stringify(out), stderr: '', exitCode: exit };
  };

  const openFailed = (args: readonly string[], device: string, type: string | undefined, why: string): SmartctlRun =>
    envelope(args, 2, `Smartctl open device: ${device}${TYPE_LABELS[type ?? ''] ?? ''} failed: ${why}`);

  return {
    privileged: opts.privileged ?? true,

    async run(args, signal) {
      if (opts.installed === false) {
        return { stdout: '', stderr: '', exitCode: null, spawnError: { code: 'ENOENT', message: 'spawn smartctl ENOENT' } };
      }
      const { device, deviceType } = parseArgs(args);
      const d = devices.get(device);
      const typed = deviceType !== undefined || AUTO_TYPED.test(device);
      if (!d || ('state' in d && d.state === 'denied')) {
        if (!typed) return envelope(args, 1, `${device}: Unable to detect device type`);
        return openFailed(args, device, deviceType, d ? 'Permission denied' : 'No such device');
      }
      if ('state' in d) {
        if (d.state === 'hang') {
          await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
          return { stdout: '', stderr: '', exitCode: null };
        }
        if (!deviceType) return envelope(args, 1, `${device}: Unable to detect device type`);
        // Recorded from `smartctl --json=c -x -d sat` on a loop device: IDENTIFY fails, exit 2, no message.
        return envelope(args, 2, undefined, {
          name: device,
          info_name: `${device}${TYPE_LABELS[deviceType] ?? ''}`,
          type: deviceType,
          protocol: deviceType === 'nvme' ? 'NVMe' : deviceType === 'scsi' ? 'SCSI' : 'ATA',
        });
      }
      if (d.requiresDeviceType && deviceType !== d.requiresDeviceType) {
        return envelope(args, 1, `${device}: Unknown USB bridge [${d.usbId ?? '0x0000:0x0000'}]`);
      }
      // smartctl's exit code is the exit_status it printed; a recording that is not JSON exits 0, as a broken smartctl might.
      const exit = Number(/"exit_status"\s*:\s*(\d+)/.exec(d.output)?.[1] ?? 0);
      return { stdout: d.output, stderr: '', exitCode: exit };
    },

    async exists(path) {
      return devices.has(path);
    },

    plug(path, device) {
      devices.set(path, device);
    },

    unplug(path) {
      devices.delete(path);
    },
  };
}

export function createEmulatedSmart(opts: EmulatedSmartOptions = {}): EmulatedSmart {
  const smartctl = createEmulatedSmartctl(opts);
  const binding = smartBinding(smartctl, { timeoutMs: opts.timeoutMs, log: opts.log });
  return { read: (device, o) => binding.read(device, o), plug: smartctl.plug, unplug: smartctl.unplug };
}

