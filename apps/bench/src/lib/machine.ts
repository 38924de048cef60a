import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

const require = createRequire(import.meta.url);

export interface MachineInfo {
  cpu: string;
  cores: number;
  totalMemoryBytes: number;
  node: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    totalMemoryBytes: os.totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch} (${os.release()})`,
  };
}

export function formatGiB(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

interface PackageJson {
  name?: unknown;
  version?: unknown;
}

/** The version in an installed package's package.json, resolved from this app. */
export function packageVersion(packageName: string): string {
  const file = require.resolve(`${packageName}/package.json`);
  const json = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  return typeof json.version === 'string' ? json.version : 'unknown';
}

/** Like `packageVersion`, but "not installed" for a package that cannot be resolved. */
export function installedVersion(packageName: string): string {
  try {
    return packageVersion(packageName);
  } catch {
    return 'not installed';
  }
}
