// The API reference in docs/api is generated from the TSDoc (`npm run docs:api`, typedoc.json).
// Generated again here into a temporary folder: a stale docs/api fails, and so does an exported
// name without a doc comment (typedoc.json's `validation.notDocumented` with
// `treatValidationWarningsAsErrors` makes TypeDoc exit non-zero).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'jwe-session-api-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function files(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    found.set(relative(dir, path), readFileSync(path, 'utf8'));
  }
  return found;
}

describe('the generated API reference (docs/api)', () => {
  it('is generated without warnings (every exported name documented) and matches docs/api', () => {
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/typedoc/bin/typedoc'), '--out', out],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/warning|error/i);
    expect(run.status).toBe(0);
    const fresh = files(out);
    const checkedIn = files(join(ROOT, 'docs/api'));
    // A name only: the advice is the same for every difference.
    const stale = [...new Set([...fresh.keys(), ...checkedIn.keys()])].filter(
      (name) => fresh.get(name) !== checkedIn.get(name),
    );
    expect(stale, 'docs/api is stale: run `npm run docs:api` and commit docs/api').toEqual([]);
  }, 180_000);
});
