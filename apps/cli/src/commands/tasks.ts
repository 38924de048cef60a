import { Worker } from 'node:worker_threads';
import { Argument, Command } from 'commander';
import { BadInputError, CliError, EXIT, InterruptedError } from '../errors.js';
import { interruptible, interruption } from '../interrupt.js';
import { addCommonOptions, positiveInteger, seedValue, type CommonOptions } from '../options.js';
import { Output } from '../output.js';
import { formatError, formatSeconds, Progress } from '../progress.js';
import { table } from '../render.js';
import { TASK_NAMES, TASKS, type TaskName, type TaskRequest, type TaskSummary, type WorkerMessage } from '../tasks.js';

interface TasksOptions extends CommonOptions {
  iterations?: number;
  seed: number;
  compile: boolean;
}

/** Runs one task in a worker thread, with a progress bar; Ctrl-C terminates the worker. */
function runInWorker(request: TaskRequest, out: Output): Promise<TaskSummary> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./tasks-worker.js', import.meta.url), { workerData: request });
    const progress = new Progress(TASKS[request.task].unit, out.quiet);
    let started = 0;
    let settled = false;
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      progress.stop();
      interruption.removeEventListener('abort', onAbort);
      action();
    };
    const onAbort = (): void => {
      void worker.terminate();
      finish(() => reject(new InterruptedError(`interrupted during the ${request.task} task; the tasks save nothing`)));
    };
    if (interruption.aborted) return onAbort();
    interruption.addEventListener('abort', onAbort);
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'start':
          started = performance.now();
          progress.start(message.total, { label: request.task, error: NaN, speed: 0 });
          break;
        case 'progress': {
          const seconds = (performance.now() - started) / 1000;
          progress.update(message.iterations, {
            error: message.error,
            speed: message.iterations / Math.max(seconds, 1e-9),
          });
          progress.note(
            `${request.task}: ${message.iterations.toLocaleString('en-US')} ${TASKS[request.task].unit}, error ${formatError(message.error)}`,
          );
          break;
        }
        case 'done':
          progress.setTotal(message.summary.iterations);
          progress.update(message.summary.iterations);
          progress.note(`${request.task}: ${message.summary.verdict}`, true);
          finish(() => resolve(message.summary));
          void worker.terminate();
          break;
        case 'failed':
          finish(() =>
            reject(
              Object.assign(
                new CliError(
                  `the ${request.task} task failed: ${message.message}`,
                  message.synaptic ? EXIT.BAD_INPUT : EXIT.FAILURE,
                ),
                {
                  stack: message.stack,
                },
              ),
            ),
          );
          break;
      }
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) =>
      finish(() => reject(new CliError(`the ${request.task} task's worker stopped (exit code ${code})`, EXIT.FAILURE))),
    );
  });
}

export function tasksCommand(): Command {
  const command = new Command('tasks')
    .description(
      "run the Trainer's built-in tasks (XOR, distracted sequence recall, embedded Reber grammar, timing) with progress, then a table of results",
    )
    .addArgument(new Argument('[task]', 'which task').choices([...TASK_NAMES, 'all']).default('all'))
    .option(
      '--iterations <n>',
      'iterations of each task instead of its default (xor: 100000 epochs, dsr: 250000 sequences, erg: 20000 strings, timing: 200 epochs); tasks stop earlier once learned',
      positiveInteger,
    )
    .option('--seed <n>', "seed of the initial weights and of the tasks' random sequences", seedValue, 1)
    .option('--no-compile', "train on core's interpreter instead of compiled code");
  addCommonOptions(command);
  command.addHelpText(
    'after',
    `\nTasks:\n${TASK_NAMES.map((t) => `  ${t.padEnd(7)} ${TASKS[t].network}: ${TASKS[t].description}`).join('\n')}\n\nExample:\n  synaptic tasks xor\n  synaptic tasks all --json`,
  );
  return command.action(async (task: TaskName | 'all', options: TasksOptions) => {
    const out = new Output(options);
    if (task !== 'all' && !TASK_NAMES.includes(task)) throw new BadInputError(`unknown task ${JSON.stringify(task)}`);
    const names: TaskName[] = task === 'all' ? [...TASK_NAMES] : [task];
    const summaries: TaskSummary[] = [];
    await interruptible(async () => {
      for (const name of names) {
        out.status(`${name}: ${TASKS[name].network}, ${TASKS[name].description}`);
        summaries.push(
          await runInWorker(
            { task: name, iterations: options.iterations, seed: options.seed, compile: options.compile },
            out,
          ),
        );
      }
    });
    out.result(
      table(
        ['task', 'network', 'iterations', 'error', 'result', 'time'],
        summaries.map((s) => [
          s.task,
          s.network,
          s.iterations.toLocaleString('en-US'),
          formatError(s.error),
          s.verdict,
          formatSeconds(s.seconds),
        ]),
        [false, false, true, true, false, true],
      ),
    );
    out.document({ command: 'tasks', seed: options.seed, tasks: summaries });
  });
}
