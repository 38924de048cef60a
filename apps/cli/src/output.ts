/** Options every command takes. */
export interface CommonOptions {
  json?: boolean;
  quiet?: boolean;
  debug?: boolean;
}

/**
 * Where things go:
 * - results for people (accuracy, tables, drawings) go to stdout, unless --quiet or --json;
 * - status lines (what is loading, what was saved) and progress go to stderr, unless --quiet;
 * - with --json, stdout carries one JSON document and nothing else.
 * Errors always go to stderr (see cli.ts).
 */
export class Output {
  readonly json: boolean;
  readonly quiet: boolean;

  constructor(options: CommonOptions) {
    this.json = options.json === true;
    this.quiet = options.quiet === true;
  }

  status(line: string): void {
    if (!this.quiet) process.stderr.write(`${line}\n`);
  }

  result(text: string): void {
    if (!this.quiet && !this.json) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  document(value: unknown): void {
    if (this.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }
}
