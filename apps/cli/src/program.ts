import { createRequire } from 'node:module';
import { Command } from 'commander';
import { benchCommand } from './commands/bench.js';
import { compileCommand } from './commands/compile.js';
import { dotCommand } from './commands/dot.js';
import { evalCommand } from './commands/eval.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { runCommand } from './commands/run.js';
import { tasksCommand } from './commands/tasks.js';
import { defaultRunCommand, trainCommand } from './commands/train.js';
import { oneLine } from './errors.js';

/** The version in apps/cli/package.json (dist/cli.js sits one folder below it). */
export function version(): string {
  try {
    const pkg = createRequire(import.meta.url)('../package.json') as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Commander's error lines ("error: ...", a suggestion on the next line) as one line. */
function formatCommanderError(text: string): string {
  return `synaptic: ${oneLine(text.replace(/^error:\s*/, ''))}\n`;
}

/** Every command: errors as one line, and no process.exit from commander (cli.ts picks the exit code). */
function configure(command: Command): Command {
  command.exitOverride();
  command.configureOutput({ outputError: (text, write) => write(formatCommanderError(text)) });
  command.showSuggestionAfterError(true);
  command.commands.forEach(configure);
  return command;
}

export function buildProgram(): Command {
  const program = new Command('synaptic')
    .description(
      'Neural networks from the command line, with the synaptic 1.x library in TypeScript (@synaptic/*).\n' +
        'Without a command: train a 784-100-10 digit classifier on real MNIST digits (the mnist command).',
    )
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help (also after any command: synaptic train --help)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  synaptic                                        MNIST digits: train, test, draw, save model.json',
        '  synaptic train --data xor --out xor.json        train a perceptron on XOR',
        '  synaptic train --data set.csv --arch perceptron:4,8,3 --epochs 200',
        '  synaptic eval model.json --data mnist',
        "  echo '[0,1]' | synaptic run xor.json",
        '  synaptic compile xor.json --out xor.mjs',
        '  synaptic dot xor.json --out xor.svg',
        '  synaptic tasks all',
        '',
        'Exit codes: 0 done, 1 failed (training diverged, a tool missing), 2 bad input, 130 interrupted (Ctrl-C).',
      ].join('\n'),
    );
  program.addCommand(defaultRunCommand(), { isDefault: true });
  program.addCommand(trainCommand());
  program.addCommand(evalCommand());
  program.addCommand(runCommand());
  program.addCommand(compileCommand());
  program.addCommand(dotCommand());
  program.addCommand(exportCommand());
  program.addCommand(importCommand());
  program.addCommand(tasksCommand());
  program.addCommand(benchCommand());
  return configure(program);
}
