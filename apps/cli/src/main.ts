/**
 * The command line's body, loaded by cli.ts. See README.md.
 *
 * Exit codes: 0 done; 1 failed (training diverged, a tool missing, a bug); 2 bad input (files,
 * options, sizes); 130 interrupted by Ctrl-C or SIGTERM, with nothing half-written.
 */
import { CommanderError } from 'commander';
import { BadInputError, describeError, EXIT } from './errors.js';
import { installSignalHandlers } from './interrupt.js';
import { buildProgram } from './program.js';
import { describeStdoutFailure, flushStdout, watchStdout } from './stdout.js';

const debug = process.argv.includes('--debug') || process.env.SYNAPTIC_DEBUG === '1';

// `synaptic run model.json | head`: a closed pipe ends the run quietly; any other failure to
// write stdout (a full disk) is remembered and makes the command fail (see stdout.ts)
watchStdout();

async function main(argv: string[]): Promise<number> {
  installSignalHandlers();
  try {
    const program = buildProgram();
    // `synaptic frobnicate` would otherwise reach the default command as "too many arguments"
    const first = argv[2];
    const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
    if (first !== undefined && !first.startsWith('-') && first !== 'help' && !names.includes(first)) {
      throw new BadInputError(
        `unknown command ${JSON.stringify(first)} (commands: ${names.join(', ')}; see synaptic --help)`,
      );
    }
    await program.parseAsync(argv);
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed the message (or the help / version) already
      return error.exitCode === 0 ? EXIT.OK : EXIT.BAD_INPUT;
    }
    const { message, exitCode } = describeError(error);
    process.stderr.write(`synaptic: ${message}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return exitCode;
  }
}

const status = await main(process.argv);
// let stdout drain, then leave even if a library left a handle open; output that could not be
// written (ENOSPC) is a failure, never a success
const failure = await flushStdout();
const code = failure && status === EXIT.OK ? EXIT.FAILURE : status;
// (a command that failed has said why already, in its one line)
if (failure && status === EXIT.OK) process.stderr.write(`synaptic: ${describeStdoutFailure(failure)}\n`);
process.exitCode = code;
process.exit(code);
