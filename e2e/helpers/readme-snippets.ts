/**
 * The README's code blocks, so tests can type-check and run them and the README cannot drift
 * from the code. Each block is preceded by a comment that says what it is:
 *
 * - `<!-- file: recipes/… -->`: a file of the repository, which the block must equal;
 * - `<!-- file: readme/… -->`: a file that exists only in the README, which a test writes out
 *   and runs (RUN_BY says which);
 * - `<!-- text -->`: sample output, not code.
 *
 * Shell blocks (`sh`) need no comment: they are commands, not code the package runs.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './recipe-app.ts';

export interface Snippet {
  /** The language of the fence, e.g. `ts`; `''` when none. */
  readonly lang: string;
  readonly code: string;
  /** What the comment before it says: a path, `'text'`, or undefined when there is none. */
  readonly tag: string | undefined;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

/** Every `readme/…` snippet, with the spec that runs it. */
export const RUN_BY: Readonly<Record<string, string>> = {
  'readme/bundler/sw.ts': 'e2e/readme.spec.ts',
  'readme/bundler/build-sw.mjs': 'e2e/readme.spec.ts',
  'readme/bundler/package.json': 'e2e/readme.spec.ts',
  'readme/bundler/main.ts': 'e2e/readme.spec.ts',
  'readme/no-bundler/index.html': 'e2e/readme.spec.ts',
  'readme/no-bundler/sw.js': 'e2e/readme.spec.ts',
  'readme/no-bundler/sw.mjs': 'e2e/readme.spec.ts',
  'readme/workbox/sw.ts': 'e2e/readme.spec.ts',
  'readme/api-tour.ts': 'e2e/readme.spec.ts',
  'readme/inspector.ts': 'e2e/readme.spec.ts',
};

export function parseSnippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith('```'));
    if (end < 0) throw new Error(`README.md:${i + 1}: a code block is not closed`);
    const previous = lines[i - 1] ?? '';
    const tag = /^<!-- (?:file: (\S+)|(text)) -->$/.exec(previous);
    snippets.push({
      lang: open[1] ?? '',
      code: lines.slice(i + 1, end).join('\n') + '\n',
      tag: tag?.[1] ?? tag?.[2],
      line: i + 1,
    });
    i = end;
  }
  return snippets;
}

export async function readmeSnippets(): Promise<Snippet[]> {
  return parseSnippets(await readFile(join(REPO_ROOT, 'README.md'), 'utf8'));
}

/** The code of the README block tagged `file: <path>`. */
export async function readmeFile(path: string): Promise<string> {
  const found = (await readmeSnippets()).filter((snippet) => snippet.tag === path);
  if (found.length !== 1) throw new Error(`README.md has ${found.length} blocks for ${path}`);
  return found[0]?.code ?? '';
}
