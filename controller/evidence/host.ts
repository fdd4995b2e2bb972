// Who made the image: this tool's name and version, and the machine it ran on.

import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { HostInfo, ToolInfo } from './record-schema.ts';

export function toolInfo(commandLine?: string): ToolInfo {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version, ...(commandLine === undefined ? {} : { commandLine }) };
}

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (m) return m[1];
  } catch {
    // No os-release (not Linux, or a minimal container): fall back to the kernel's name.
  }
  return os.type();
}

export function hostInfo(): HostInfo {
  return { hostname: os.hostname(), os: osName(), kernel: `${os.type()} ${os.release()} ${os.version()}`, arch: os.arch() };
}
