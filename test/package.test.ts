import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('package surface', () => {
  it('exports exactly the public names (grow it on purpose, not by accident)', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "SessionError",
        "createSessionStore",
        "errors",
      ]
    `);
  });

  it('exports at most 18 names from the root, types included (issue 22)', () => {
    const file = join(root, 'src/index.ts');
    const program = ts.createProgram([file], { strict: true, noEmit: true });
    const checker = program.getTypeChecker();
    const module = checker.getSymbolAtLocation(program.getSourceFile(file) as ts.SourceFile);
    const names = checker.getExportsOfModule(module as ts.Symbol).map((s) => s.name);
    expect(names.length).toBeLessThanOrEqual(18);
    expect(names.sort()).toMatchInlineSnapshot(`
      [
        "AnySessionData",
        "CookieInfo",
        "JsonSafe",
        "JsonValue",
        "RejectionReason",
        "RevocationStore",
        "Session",
        "SessionData",
        "SessionError",
        "SessionErrorCode",
        "SessionEvent",
        "SessionLifetime",
        "SessionStore",
        "SessionStoreOptions",
        "StandardSchemaV1",
        "createSessionStore",
        "errors",
      ]
    `);
  });

  it('exports exactly the public names from every adapter entry', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const surfaces: Record<string, string[]> = {};
    for (const [subpath, target] of Object.entries<Record<string, string> | string>(pkg.exports)) {
      if (typeof target === 'string' || subpath === '.') continue;
      const source = (target.default as string)
        .replace('./dist/', '../src/')
        .replace(/\.js$/, '.ts');
      surfaces[subpath] = Object.keys(await import(source)).sort();
    }
    expect(surfaces).toMatchInlineSnapshot(`
      {
        "./astro": [
          "astroSession",
        ],
        "./express": [
          "sessionMiddleware",
        ],
        "./fastify": [
          "SessionServerError",
          "default",
          "fastifySession",
        ],
        "./fetch": [
          "withSessionFetch",
        ],
        "./hono": [
          "honoSession",
        ],
        "./iron-session": [
          "migrateIronSession",
        ],
        "./jar": [
          "sessionFromJar",
        ],
        "./next": [
          "getSession",
          "requireSessionKeys",
          "sessionProxy",
        ],
        "./node": [
          "withSession",
        ],
        "./react-router": [
          "createJweSessionStorage",
          "reactRouterSession",
        ],
        "./redis": [
          "redisRevocationStore",
        ],
        "./sveltekit": [
          "sveltekitSession",
        ],
      }
    `);
  });

  it('has only jose and cookie as runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['cookie', 'jose']);
  });

  it('keeps node:* imports out of the core (only adapters/ and cli/ may use them)', () => {
    const offenders = sources(join(root, 'src'))
      .map((file) => relative(join(root, 'src'), file))
      .filter((file) => !file.startsWith('adapters/') && !file.startsWith('cli/'))
      .filter((file) =>
        /from ['"]node:|require\(['"]node:/.test(readFileSync(join(root, 'src', file), 'utf8')),
      );
    expect(offenders).toEqual([]);
  });

  it('reaches node:crypto at run time only in the opt-in node engine, and nothing else', () => {
    const core = sources(join(root, 'src'))
      .map((file) => relative(join(root, 'src'), file))
      .filter((file) => !file.startsWith('adapters/') && !file.startsWith('cli/'));
    const reaching = core.filter((file) =>
      /getBuiltinModule(\?\.)?\(|\bimport\(\s*['"`]node:|\brequire\s*\(/.test(
        readFileSync(join(root, 'src', file), 'utf8'),
      ),
    );
    expect(reaching).toEqual(['codec/node-engine.ts']);
    const text = readFileSync(join(root, 'src/codec/node-engine.ts'), 'utf8');
    const modules = [...text.matchAll(/getBuiltinModule\?\.\(\s*'([^']+)'/g)].map((m) => m[1]);
    expect(modules).toEqual(['node:crypto']);
  });

  it('maps every export subpath to a built file with types first', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    for (const [subpath, target] of Object.entries<Record<string, string> | string>(pkg.exports)) {
      if (typeof target === 'string') continue;
      expect(Object.keys(target)[0], subpath).toBe('types');
      const source = (target.default as string).replace('./dist/', 'src/').replace(/\.js$/, '.ts');
      expect(statSync(join(root, source)).isFile(), `${subpath} -> ${source}`).toBe(true);
    }
  });
});
