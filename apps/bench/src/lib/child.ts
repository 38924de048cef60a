import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** tsx's loader as an absolute URL, so `--import` works whatever the child's working directory. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * The children's tsconfig, without the root's `paths`: under those, tsx would map the
 * `import '@synaptic/core'` inside @synaptic/compile's dist to core's TypeScript sources, a second
 * copy of core beside the dist one the workers load (compiled networks would then be rebuilt on
 * every call, their structure epoch never matching).
 */
const WORKER_TSCONFIG = fileURLToPath(new URL('../../tsconfig.worker.json', import.meta.url));

export interface WorkerRun {
  /** Absolute path of a .ts worker script. */
  script: string;
  args: string[];
  timeoutMs: number;
  /** Node flags placed before `--import tsx`, e.g. `--expose-gc`. */
  nodeArgs?: string[];
}

export type WorkerOutcome =
  | { kind: 'ok'; result: unknown; wallMs: number }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'error'; message: string };

/** The last stdout line that parses as a JSON object: a worker's result (peers may print other lines). */
function lastJsonLine(stdout: string): unknown {
  const lines = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{'));
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const value: unknown = JSON.parse(lines[i]);
      if (value !== null && typeof value === 'object') return value;
    } catch {
      // not JSON, keep looking
    }
  }
  return undefined;
}

function tail(text: string, max = 600): string {
  const t = text.trim();
  return t.length > max ? `…${t.slice(t.length - max)}` : t;
}

/**
 * Runs a TypeScript worker in a fresh `node` process (through tsx) and returns the JSON object
 * it printed last. The child is killed (SIGKILL) after `timeoutMs`. Never rejects.
 */
export function runTsWorker(run: WorkerRun): Promise<WorkerOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    const finish = (outcome: WorkerOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };

    const child = spawn(process.execPath, [...(run.nodeArgs ?? []), '--import', TSX_LOADER, run.script, ...run.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TSX_TSCONFIG_PATH: WORKER_TSCONFIG },
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, run.timeoutMs);

    child.on('error', (err) => finish({ kind: 'error', message: `could not start node: ${err.message}` }));
    child.on('close', (code, signal) => {
      if (timedOut) return finish({ kind: 'timeout', afterMs: run.timeoutMs });
      if (code !== 0) {
        const why = signal ? `killed by ${signal}` : `exit code ${code}`;
        return finish({ kind: 'error', message: `${why}${stderr.trim() ? `: ${tail(stderr)}` : ''}` });
      }
      const result = lastJsonLine(stdout);
      if (result === undefined)
        return finish({
          kind: 'error',
          message: `no JSON result on stdout${stderr.trim() ? `; stderr: ${tail(stderr)}` : ''}`,
        });
      finish({ kind: 'ok', result, wallMs: performance.now() - started });
    });
  });
}
