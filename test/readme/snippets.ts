// Every code block of README.md and docs/**/*.md (docs/api is generated, and has none to run),
// found the same way for every page, so a page added later is covered without a test edit.
// A block's language decides what is done with it: ts, tsx, js and mjs blocks are type-checked
// as the files of one project per page; a block whose first line is a comment naming a path
// (`// app/page.tsx: …`) is saved under that path, so the page's blocks import each other as
// they say. JavaScript blocks are type-checked too (checkJs), unless they are run. An HTML comment on the line before the fence asks for more:
//   <!-- snippet: run -->    the block is executed with node (no keys: a development store);
//   <!-- snippet: serve -->  the block is started as a server on $PORT with SESSION_KEYS and
//                            driven over HTTP: GET / counts visits, POST /logout ends the session.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type Mode = 'check' | 'run' | 'serve';

export interface Snippet {
  /** The page, relative to the repository root (`docs/hono.md`). */
  readonly page: string;
  /** 1-based line of the opening fence, for messages. */
  readonly line: number;
  readonly lang: 'ts' | 'tsx' | 'js' | 'mjs';
  readonly code: string;
  /** Where the block is saved, relative to its page's folder. */
  readonly file: string;
  readonly mode: Mode;
}

const CODE_LANGS = new Set(['ts', 'tsx', 'js', 'mjs']);
const MARKER = /^<!--\s*snippet:\s*(run|serve)\s*-->$/;
const FILE_COMMENT = /^\/\/ ([\w.[\]()@/-]+\.(?:ts|tsx|js|mjs))\b/;

/** README.md and every Markdown page under docs/ but the generated API reference. */
export function pages(): string[] {
  const found = ['README.md'];
  for (const entry of readdirSync(join(ROOT, 'docs'), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
    const page = relative(ROOT, join(entry.parentPath, entry.name));
    if (!page.startsWith('docs/api/')) found.push(page);
  }
  return found.sort();
}

/** The code blocks of one page, in order. */
export function snippetsOf(page: string): Snippet[] {
  const lines = readFileSync(join(ROOT, page), 'utf8').split('\n');
  const found: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i] as string);
    if (!open) continue;
    const close = lines.indexOf('```', i + 1);
    if (close === -1) throw new Error(`${page}:${i + 1}: a code block that is never closed`);
    const lang = open[1] as string;
    const code = `${lines.slice(i + 1, close).join('\n')}\n`;
    let before = i - 1;
    while (before >= 0 && (lines[before] as string).trim() === '') before--;
    const marker = MARKER.exec((lines[before] ?? '').trim());
    if (CODE_LANGS.has(lang)) {
      const named = FILE_COMMENT.exec(code);
      found.push({
        page,
        line: i + 1,
        lang: lang as Snippet['lang'],
        code,
        file: named?.[1] ?? `snippet-${i + 1}.${lang}`,
        mode: (marker?.[1] as Mode | undefined) ?? 'check',
      });
    } else if (marker) {
      throw new Error(`${page}:${i + 1}: a snippet marker on a block of language "${lang}"`);
    }
    i = close;
  }
  return found;
}
