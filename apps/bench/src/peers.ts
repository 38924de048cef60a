/**
 * Loads one system inside a worker process and adapts it to a common network interface.
 * The peers are untyped CommonJS packages: the small interfaces below describe the part used.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SystemId } from './systems.js';

const require = createRequire(import.meta.url);

export interface BenchNetwork {
  activate(input: number[]): number[];
  propagate(rate: number, target: number[]): void;
}

export type PerceptronFactory = (input: number, hidden: number, output: number) => BenchNetwork;

/** synaptic 1.x: `new Architect.Perceptron(...)`, a Network. */
interface Synaptic1Network {
  activate(input: number[]): number[];
  propagate(rate: number, target: number[]): void;
  setOptimize(optimize: boolean): void;
}
interface Synaptic1Module {
  Architect: { Perceptron: new (...layers: number[]) => Synaptic1Network };
}

/** neataptic: `new architect.Perceptron(...)`, a Network; propagate(rate, momentum, update, target). */
interface NeatapticNetwork {
  activate(input: number[]): number[];
  propagate(rate: number, momentum: number, update: boolean, target: number[]): void;
}
interface NeatapticModule {
  architect: { Perceptron: new (...layers: number[]) => NeatapticNetwork };
}

type CoreModule = typeof import('@synaptic/core');

/** @synaptic/core's built ESM entry (packages/core/dist/index.js), not its TypeScript sources. */
export function coreDistEntry(): string {
  const pkg = require.resolve('@synaptic/core/package.json');
  const entry = join(dirname(pkg), 'dist', 'index.js');
  if (!existsSync(entry)) {
    throw new Error(`${entry} does not exist: build it first (pnpm --filter @synaptic/core build)`);
  }
  return entry;
}

type CompileModule = typeof import('@synaptic/compile');

/** @synaptic/compile's built ESM entry (packages/compile/dist/index.js), not its TypeScript sources. */
export function compileDistEntry(): string {
  const pkg = require.resolve('@synaptic/compile/package.json');
  const entry = join(dirname(pkg), 'dist', 'index.js');
  if (!existsSync(entry)) {
    throw new Error(
      `${entry} does not exist: build it first (pnpm --filter @synaptic/core --filter @synaptic/compile build)`,
    );
  }
  return entry;
}

type ArchitectModule = typeof import('@synaptic/architect');

/** @synaptic/architect's built ESM entry (packages/architect/dist/index.js). */
export function architectDistEntry(): string {
  const pkg = require.resolve('@synaptic/architect/package.json');
  const entry = join(dirname(pkg), 'dist', 'index.js');
  if (!existsSync(entry)) {
    throw new Error(`${entry} does not exist: build it first (pnpm --filter @synaptic/architect... build)`);
  }
  return entry;
}

/** @synaptic/architect from its built dist (it imports core by package name: the same instance as `loadCore`). */
export async function loadArchitect(): Promise<ArchitectModule> {
  return (await import(pathToFileURL(architectDistEntry()).href)) as ArchitectModule;
}

type TrainerModule = typeof import('@synaptic/trainer');

/** @synaptic/trainer from its built dist (it imports core by package name: the same instance as `loadCore`). */
export async function loadTrainer(): Promise<TrainerModule> {
  const pkg = require.resolve('@synaptic/trainer/package.json');
  const entry = join(dirname(pkg), 'dist', 'index.js');
  if (!existsSync(entry))
    throw new Error(`${entry} does not exist: build it first (pnpm --filter @synaptic/trainer... build)`);
  return (await import(pathToFileURL(entry).href)) as TrainerModule;
}

/** @synaptic/core from its built dist. */
export async function loadCore(): Promise<CoreModule> {
  return (await import(pathToFileURL(coreDistEntry()).href)) as CoreModule;
}

/**
 * @synaptic/compile from its built dist. It imports @synaptic/core by package name, which resolves
 * (through the workspace symlink) to the same dist file as `loadCore`: one module instance.
 */
export async function loadCompile(): Promise<CompileModule> {
  return (await import(pathToFileURL(compileDistEntry()).href)) as CompileModule;
}

export async function loadPerceptron(id: SystemId): Promise<PerceptronFactory> {
  switch (id) {
    case 'this': {
      const { Layer, Network } = await loadCore();
      return (i, h, o) => {
        const a = new Layer(i);
        const b = new Layer(h);
        const c = new Layer(o);
        a.project(b);
        b.project(c);
        const net = new Network({ input: a, hidden: [b], output: c });
        return {
          activate: (x) => net.activate(x),
          propagate: (rate, y) => net.propagate(rate, y),
        };
      };
    }
    case 'synaptic1': {
      const synaptic = require('synaptic') as Synaptic1Module;
      return (i, h, o) => {
        const net = new synaptic.Architect.Perceptron(i, h, o);
        // 1.x's optimizer would generate megabytes of code on the first activate
        net.setOptimize(false);
        return {
          activate: (x) => net.activate(x),
          propagate: (rate, y) => net.propagate(rate, y),
        };
      };
    }
    case 'neataptic': {
      const neataptic = require('neataptic') as NeatapticModule;
      return (i, h, o) => {
        const net = new neataptic.architect.Perceptron(i, h, o);
        return {
          activate: (x) => net.activate(x),
          propagate: (rate, y) => net.propagate(rate, 0, true, y),
        };
      };
    }
  }
}
