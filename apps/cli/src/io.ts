import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
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
import { markRenaming, recordSavedFile, trackTemporaryFile, untrackTemporaryFile } from './interrupt.js';

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Reads a UTF-8 text file; a missing or unreadable file is bad input naming the file. */
/** V8's longest string (2^29 − 24 characters): a text file longer than this cannot be read as one. */
export const MAX_TEXT_BYTES = 0x1fffffe8;

export async function readText(path: string, what: string): Promise<string> {
  const info = await stat(path).catch(() => null);
  if (info?.isFile() && info.size > MAX_TEXT_BYTES)
    throw new BadInputError(
      `${path}: ${formatBytes(info.size)} is more than the ${formatBytes(MAX_TEXT_BYTES)} a JSON or CSV file can be here (one JavaScript string)`,
    );
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

/** No model or data file nests arrays or objects this deep; a file that does is reported, not recursed into. */
export const MAX_JSON_DEPTH = 1000;

/** The offset where `[` or `{` first opens level `limit + 1` (outside strings), or -1. Linear. */
export function tooDeep(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/** Where JSON.parse failed, found with jsonc-parser's scanner (V8's messages often omit the position). */
function locateJsonError(text: string): string | null {
  // jsonc-parser's parser recurses once per level: find a too-deep nesting first, in one pass
  const deep = tooDeep(text, MAX_JSON_DEPTH);
  if (deep !== -1) {
    const { line, column } = lineColumn(text, deep);
    return `line ${line}, column ${column}: invalid JSON: nested more than ${MAX_JSON_DEPTH} levels deep`;
  }
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
 * and `path` is not a directory, not a special file (`/dev/null`, `/proc/version`) and not
 * read-only. Returns the resolved path, its directory and the mode to write with (an existing
 * file's, else the default).
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
  if (existing && !existing.isFile())
    throw new BadInputError(`${path}: cannot write: it is not a regular file (a device, pipe or socket)`);
  // the write bits, not access(): root may write anything, but a read-only file says "keep me"
  if (existing && (existing.mode & 0o222) === 0)
    throw new BadInputError(`${path}: cannot write: the file is read-only (chmod u+w it, or choose another name)`);
  return { target, dir, mode: existing ? existing.mode & 0o777 : 0o666 };
}

/** What `writeFileAtomic` writes: text, bytes, or text in pieces (a model too large for one string). */
export type FileContent = string | Uint8Array | Iterable<string>;

const TEMPORARY = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** Whether process `pid` is running (signal 0 tests for it without sending anything). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

/**
 * Removes the temporary files that earlier runs writing `target` left behind when they were
 * killed outright (SIGKILL, a power cut), where no handler could delete them: those of
 * processes that no longer run. Returns how many were removed.
 */
export async function removeStaleTemporaryFiles(target: string): Promise<number> {
  const dir = dirname(target);
  const name = basename(target);
  const entries = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const entry of entries) {
    const match = TEMPORARY.exec(entry);
    if (!match || match[1] !== name || isRunning(Number(match[2]))) continue;
    await rm(join(dir, entry), { force: true });
    removed++;
  }
  return removed;
}

function writeFailure(path: string, error: unknown): BadInputError {
  const code = errnoCode(error);
  const reason =
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? 'permission denied'
      : code === 'ENOSPC'
        ? 'no space left on the device'
        : code === 'EDQUOT'
          ? 'disk quota exceeded'
          : code === 'ENOENT'
            ? 'files cannot be created in its directory'
            : `${code ?? 'error'}: ${error instanceof Error ? error.message : String(error)}`;
  return new BadInputError(`${path}: cannot write: ${reason}`, { cause: error });
}

/**
 * Writes `content` to `path` atomically: into a temporary file in the same directory, flushed
 * to disk, then renamed over `path`. A run that fails or is interrupted leaves `path` as it was
 * (or absent), never truncated; the temporary file is removed (and those of killed runs with it).
 * Content given in pieces is written piece by piece, so its size is not bounded by a string's.
 */
export async function writeFileAtomic(path: string, content: FileContent): Promise<void> {
  const { target, dir, mode } = await checkWritable(path);
  await removeStaleTemporaryFiles(target);
  const temporary = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  trackTemporaryFile(temporary, path);
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      if (typeof content === 'string' || content instanceof Uint8Array) await handle.writeFile(content);
      else for (const piece of content) await handle.write(piece);
      await handle.sync();
    } finally {
      await handle.close();
    }
    markRenaming(temporary);
    await rename(temporary, target);
    recordSavedFile(path);
  } catch (error) {
    await rm(temporary, { force: true });
    if (errnoCode(error) !== undefined) throw writeFailure(path, error);
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
