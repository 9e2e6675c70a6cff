// The README's examples for the features beyond the peers are run, not just read: each ```ts
// block of that section is transpiled and executed against the built package, so an example
// that stopped working fails here.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
// Inside the package, so `jwe-session` resolves to this package's build and `zod` to its
// devDependency; .scratch/ is ignored by git.
const scratch = join(root, '.scratch', 'readme-examples');

function section(readme: string, title: string): string {
  const start = readme.indexOf(`## ${title}\n`);
  if (start === -1) throw new Error(`README has no section "${title}"`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...section(readme, 'Beyond the peers').matchAll(/```ts\n([\s\S]*?)```/g)].map(
  (m) => m[1] as string,
);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('README examples (beyond the peers)', () => {
  it('has examples to run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    expect(existsSync(join(root, 'dist/index.js'))).toBe(true);
  });

  it('type-check under the strict settings of this repository', () => {
    mkdirSync(scratch, { recursive: true });
    const files = blocks.map((code, i) => {
      const file = join(scratch, `typed-${i + 1}.ts`);
      writeFileSync(file, `${code}\nexport {};\n`);
      return file;
    });
    const program = ts.createProgram(files, {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
      noEmit: true,
      skipLibCheck: true,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  });

  it.each(blocks.map((code, i) => [i + 1, code] as const))('example %i runs', (i, code) => {
    mkdirSync(scratch, { recursive: true });
    const js = ts.transpileModule(code, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const file = join(scratch, `example-${i}.mjs`);
    writeFileSync(file, js);
    // No keys in the environment: the store uses a random one (and says so on stderr).
    execFileSync(process.execPath, [file], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  });
});
