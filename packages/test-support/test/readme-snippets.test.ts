/**
 * Every README's ```ts blocks run as written (against the packages' sources), and print what the
 * README shows after them. Each snippet is written to .snippets/ and imported as a module.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { format } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { matchesOutput, readmeSnippets } from '../src/snippets.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const scratch = fileURLToPath(new URL('../.snippets', import.meta.url));
const readmes = [
  'README.md',
  ...['packages', 'apps'].flatMap((dir) =>
    readdirSync(join(root, dir))
      .map((name) => `${dir}/${name}/README.md`)
      .filter((file) => existsSync(join(root, file))),
  ),
];

mkdirSync(scratch, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const snippets = readmes.flatMap((file) => readmeSnippets(readFileSync(join(root, file), 'utf8'), file));

describe('README snippets', () => {
  it('there are some, in every package README', () => {
    for (const pkg of ['core', 'trainer', 'architect', 'compile'])
      expect(snippets.some((s) => s.where.startsWith(`packages/${pkg}/README.md`))).toBe(true);
  });

  it.each(snippets.map((s) => [s.where, s] as const))('%s runs as written', async (where, snippet) => {
    const file = join(scratch, `${where.replace(/[/:.]/g, '_')}.ts`);
    writeFileSync(file, `${snippet.code}\nexport {};\n`);
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      // what console.log would print, line by line
      printed.push(...format(...args).split('\n'));
    });
    try {
      await import(pathToFileURL(file).href);
    } finally {
      log.mockRestore();
    }
    if (snippet.output !== null) {
      expect(
        matchesOutput(printed, snippet.output),
        `${relative(root, file)} printed:\n${printed.join('\n')}\nthe README shows:\n${snippet.output.join('\n')}`,
      ).toBe(true);
    }
  });
});
