import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import {
  parse as parseJsonc,
  parseTree,
  findNodeAtLocation,
  printParseErrorCode,
  type ParseError,
  type JSONPath,
} from 'jsonc-parser';
import { BadInputError, show } from './errors.js';
import { trackTemporaryFile, untrackTemporaryFile } from './interrupt.js';

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Reads a UTF-8 text file; a missing or unreadable file is bad input naming the file. */
export async function readText(path: string, what: string): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') throw new BadInputError(`${path}: no such file (expected ${what})`, { cause: error });
    if (code === 'EISDIR') throw new BadInputError(`${path}: is a directory (expected ${what})`, { cause: error });
    if (code === 'EACCES' || code === 'EPERM') throw new BadInputError(`${path}: permission denied`, { cause: error });
    throw new BadInputError(`${path}: cannot read: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

const JSON_PROBLEMS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':'",
  CommaExpected: "expected ','",
  CloseBraceExpected: "expected ',' or '}'",
  CloseBracketExpected: "expected ',' or ']'",
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'incomplete number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

/** Where JSON.parse failed, found with jsonc-parser's scanner (V8's messages often omit the position). */
function locateJsonError(text: string): string | null {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return null;
  const { line, column } = lineColumn(text, first.offset);
  const code = printParseErrorCode(first.error);
  const problem = JSON_PROBLEMS[code] ?? code;
  const found =
    first.offset >= text.length
      ? 'the end of the file'
      : show(text.slice(first.offset, first.offset + Math.max(1, Math.min(first.length, 12))));
  return `line ${line}, column ${column}: invalid JSON: ${problem}, found ${found}`;
}

/** JSON.parse, with a one-line error naming the file, line and column. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (text.trim() === '') throw new BadInputError(`${file}: the file is empty (expected JSON)`, { cause: error });
    const where = locateJsonError(text);
    const fallback = `invalid JSON: ${error instanceof Error ? error.message : String(error)}`;
    throw new BadInputError(`${file}: ${where ?? fallback}`, { cause: error });
  }
}

/** The line where the value at `path` (e.g. `[3, 'input', 1]`) starts in a JSON text, if it can be found. */
export function lineOfJsonPath(text: string, path: JSONPath): number | null {
  try {
    const tree = parseTree(text);
    const node = tree && findNodeAtLocation(tree, path);
    return node ? lineColumn(text, node.offset).line : null;
  } catch {
    return null;
  }
}

/**
 * Checks, before any long work, that `path` can be written: its directory exists and is writable,
 * and `path` is not a directory. Returns the resolved path, its directory and the mode to write with
 * (an existing file's, else the default).
 */
export async function checkWritable(path: string): Promise<{ target: string; dir: string; mode: number }> {
  const target = resolve(path);
  const dir = dirname(target);
  const info = await stat(dir).catch(() => null);
  if (!info) throw new BadInputError(`${path}: cannot write: the directory ${dir} does not exist`);
  if (!info.isDirectory()) throw new BadInputError(`${path}: cannot write: ${dir} is not a directory`);
  try {
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new BadInputError(`${path}: cannot write: permission denied in ${dir}`, { cause: error });
  }
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) throw new BadInputError(`${path}: is a directory (expected a file name to write)`);
  return { target, dir, mode: existing ? existing.mode & 0o777 : 0o666 };
}

/**
 * Writes `content` to `path` atomically: into a temporary file in the same directory, flushed
 * to disk, then renamed over `path`. A run that fails or is interrupted leaves `path` as it was
 * (or absent), never truncated; the temporary file is removed.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const { target, dir, mode } = await checkWritable(path);
  const temporary = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  trackTemporaryFile(temporary);
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    const code = errnoCode(error);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      throw new BadInputError(`${path}: cannot write: permission denied`, { cause: error });
    if (code === 'ENOSPC')
      throw new BadInputError(`${path}: cannot write: no space left on the device`, { cause: error });
    throw error;
  } finally {
    untrackTemporaryFile(temporary);
  }
}

/** A size in bytes for messages: `1.7 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
