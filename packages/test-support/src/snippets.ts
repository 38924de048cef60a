/**
 * The code blocks of a README: every ```ts block is a program that must run as written; a ```text
 * block right after one (nothing but blank lines between) is what it must print with console.log,
 * line for line, where `...` in a line stands for any text (for digits past the ones shown).
 */
export interface Snippet {
  /** The README's path, and the line the block starts on, for messages. */
  where: string;
  code: string;
  /** The printed lines it must produce, if the README shows them. */
  output: string[] | null;
}

export function readmeSnippets(markdown: string, file: string): Snippet[] {
  const lines = markdown.split('\n');
  const blocks: Array<{ info: string; start: number; end: number; body: string[] }> = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)/.exec(lines[i]);
    if (!open) continue;
    let j = i + 1;
    while (j < lines.length && !lines[j].startsWith('```')) j++;
    blocks.push({ info: open[1], start: i, end: j, body: lines.slice(i + 1, j) });
    i = j;
  }
  const snippets: Snippet[] = [];
  blocks.forEach((block, k) => {
    if (block.info !== 'ts') return;
    const next = blocks[k + 1];
    const between = next ? lines.slice(block.end + 1, next.start) : [];
    const output = next && next.info === 'text' && between.every((l) => l.trim() === '') ? next.body : null;
    snippets.push({ where: `${file}:${block.start + 1}`, code: block.body.join('\n'), output });
  });
  return snippets;
}

/** Whether printed lines match the README's: the same count, each equal, `...` matching any text. */
export function matchesOutput(printed: string[], expected: string[]): boolean {
  if (printed.length !== expected.length) return false;
  return expected.every((line, i) => {
    const pattern = line
      .split('...')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    return new RegExp(`^${pattern}$`).test(printed[i]);
  });
}
