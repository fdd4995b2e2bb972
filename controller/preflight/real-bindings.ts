// The host's bindings for gatherDriveFacts: lsblk/sysfs discovery, smartctl, hdparm, and the
// kernel flag and USB bridges for write-blocking.

import { hdparmBinding } from '../../drivers/ata/hdparm-binding.ts';
import { linuxWriteBlockProbe } from '../../drivers/blocker/linux-probe.ts';
import { linuxDiscovery } from '../../drivers/discovery/linux.ts';
import { smartctlBinding } from '../../drivers/smart/smartctl.ts';
import type { Logger } from '../logger.ts';
import type { DriveBindings } from './drive-facts-types.ts';

export interface RealBindingOptions {
  /**
   * Where to look for smartctl and hdparm (PATH syntax). Default: $PATH plus the sbin
   * directories. Set, it is the only place looked in.
   */
  readonly toolPath?: string;
  readonly log?: Logger;
}

export function realBindings(opts: RealBindingOptions = {}): DriveBindings {
  const { toolPath, log } = opts;
  return {
    discovery: linuxDiscovery(),
    smart: smartctlBinding({ log, ...(toolPath !== undefined ? { env: { ...process.env, PATH: toolPath } } : {}) }),
    ata: hdparmBinding(toolPath !== undefined ? { searchPath: toolPath } : {}),
    blocker: linuxWriteBlockProbe({ log, usbHotplug: false }),
  };
}
