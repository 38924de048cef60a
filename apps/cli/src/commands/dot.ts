import { spawn } from 'node:child_process';
import { extname } from 'node:path';
import { Command } from 'commander';
import { CliError, EXIT } from '../errors.js';
import { checkWritable, formatBytes, writeFileAtomic } from '../io.js';
import { loadModel } from '../model.js';
import { addCommonOptions, type CommonOptions } from '../options.js';
import { Output } from '../output.js';
import { hiddenLayerRoles, nameHiddenLayers } from '../roles.js';

interface DotOptions extends CommonOptions {
  out?: string;
  svg?: boolean;
  edgeConnection?: boolean;
}

/** Runs Graphviz's `dot -Tsvg` on `source`. A missing `dot` is reported as such. */
export function renderSvg(source: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('dot', ['-Tsvg'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(
          new CliError(
            "SVG needs Graphviz's dot, which is not on the PATH: install Graphviz (e.g. apt-get install graphviz), or leave out --svg to get the DOT source",
            EXIT.FAILURE,
          ),
        );
      } else reject(error);
    });
    child.stdin.on('error', () => {
      // dot exited early; its exit code and stderr say why
    });
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(stdout).toString('utf8'));
      else
        reject(
          new CliError(
            `dot -Tsvg failed (exit code ${code}): ${Buffer.concat(stderr).toString('utf8').trim().split('\n')[0] ?? ''}`,
            EXIT.FAILURE,
          ),
        );
    });
    child.stdin.end(source);
  });
}

export function dotCommand(): Command {
  const command = new Command('dot')
    .description(
      "draw a saved model's graph: Graphviz DOT source, or SVG with --svg (needs Graphviz's dot on the PATH)",
    )
    .argument('<model>', 'a model saved as synaptic 1.x JSON')
    .option('-o, --out <file>', 'where to write, atomically (default: stdout); a .svg name implies --svg')
    .option('--svg', "render SVG with Graphviz's dot")
    .option('--edge-connection', "draw gated connections through an intermediate node (1.x's toDot(true))");
  addCommonOptions(command);
  command.addHelpText(
    'after',
    '\nExamples:\n  synaptic dot model.json > model.dot\n  synaptic dot model.json --out model.svg',
  );
  return command.action(async (modelFile: string, options: DotOptions) => {
    const out = new Output(options);
    if (options.out !== undefined) await checkWritable(options.out);
    const { network } = await loadModel(modelFile);
    // LSTM blocks get their gates and memory cells named (other hidden layers stay `hidden K`)
    const dot = nameHiddenLayers(
      network.toDot(options.edgeConnection === true).code,
      hiddenLayerRoles(network.toJSON()),
    );
    const svg = options.svg === true || (options.out !== undefined && extname(options.out).toLowerCase() === '.svg');
    const text = svg ? await renderSvg(dot) : dot;
    if (options.out === undefined) {
      if (!options.json) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    } else {
      await writeFileAtomic(options.out, text);
      out.status(`wrote ${options.out} (${svg ? 'SVG' : 'DOT'}, ${formatBytes(Buffer.byteLength(text))})`);
    }
    out.document({
      command: 'dot',
      model: modelFile,
      format: svg ? 'svg' : 'dot',
      out: options.out ?? null,
      ...(options.out === undefined ? { source: text } : {}),
    });
  });
}
