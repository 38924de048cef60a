import { extname } from 'node:path';
import { CompileError, standalone, type StandaloneOptions } from '@synaptic/compile';
import { Command, Option } from 'commander';
import { BadInputError, oneLine } from '../errors.js';
import { checkWritable, formatBytes, writeFileAtomic } from '../io.js';
import { describeNetwork, loadModel } from '../model.js';
import { addCommonOptions, type CommonOptions } from '../options.js';
import { Output } from '../output.js';

type Format = NonNullable<StandaloneOptions['format']>;

interface CompileOptions extends CommonOptions {
  out?: string;
  format?: Format;
  train?: boolean;
  exact?: boolean;
}

/** The format an output file's extension implies: .cjs is CommonJS, anything else an ES module. */
export function formatFor(out: string | undefined): Format {
  return out !== undefined && extname(out).toLowerCase() === '.cjs' ? 'cjs' : 'esm';
}

export function compileCommand(): Command {
  const command = new Command('compile')
    .description("write a saved model as a dependency-free JavaScript module (@synaptic/compile's standalone)")
    .argument('<model>', 'a model saved as synaptic 1.x JSON')
    .option('-o, --out <file>', 'where to write the module, atomically (default: stdout)')
    .addOption(
      new Option(
        '--format <format>',
        'esm: export activate, clear, toJSON; cjs: the same with module.exports; function: an expression evaluating to a function (default: cjs for .cjs files, else esm)',
      ).choices(['esm', 'cjs', 'function']),
    )
    .option('--train', 'also export propagate(rate, target), so the module can keep learning')
    .option('--exact', "bit-identical arithmetic to core's interpreter (slower on gated networks)");
  addCommonOptions(command);
  command.addHelpText(
    'after',
    '\nExample:\n  synaptic compile model.json --out model.mjs\n  node -e "import(\'./model.mjs\').then(m => console.log(m.activate([0, 1])))"',
  );
  return command.action(async (modelFile: string, options: CompileOptions) => {
    const out = new Output(options);
    if (options.out !== undefined) await checkWritable(options.out);
    const { network } = await loadModel(modelFile);
    const format = options.format ?? formatFor(options.out);
    let source: string;
    try {
      source = standalone(network, { format, train: options.train === true, exact: options.exact === true });
    } catch (error) {
      if (error instanceof CompileError)
        throw new BadInputError(`${modelFile}: cannot compile: ${oneLine(error.message)}`, { cause: error });
      throw error;
    }
    const bytes = Buffer.byteLength(source);
    if (options.out === undefined) {
      if (!options.json) process.stdout.write(source.endsWith('\n') ? source : `${source}\n`);
    } else {
      await writeFileAtomic(options.out, source);
      out.status(`wrote ${options.out} (${format} module, ${formatBytes(bytes)}, ${describeNetwork(network)})`);
    }
    out.document({
      command: 'compile',
      model: modelFile,
      out: options.out ?? null,
      format,
      train: options.train === true,
      bytes,
      ...(options.out === undefined ? { source } : {}),
    });
  });
}
