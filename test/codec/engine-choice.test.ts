// chooseEngine and runtimeName on the globals each runtime really has (as the runtime tests
// found them: Bun, Deno and workerd all report a process.versions.node and a release name of
// "node"), and on this Node. What 'auto' picks on the real runtimes is checked there too,
// by test/runtimes/node-crypto-engine.test.ts.
import { describe, expect, it } from 'vitest';
import { chooseEngine, type RuntimeScope, runtimeName } from '../../src/codec/engine-choice.js';
import { NodeEngine } from '../../src/codec/node-engine.js';
import { SessionConfigError } from '../../src/errors.js';

const getBuiltinModule = process.getBuiltinModule.bind(process) as (id: string) => unknown;
const nodeProcess = (extra: Record<string, unknown> = {}) => ({
  versions: { node: '22.23.4', ...extra },
  release: { name: 'node' },
  getBuiltinModule,
});

const scopes = {
  node: { process: nodeProcess(), navigator: { userAgent: 'Node.js/22' } },
  bun: { process: nodeProcess({ bun: '1.4.5' }), Bun: {} },
  deno: { process: nodeProcess({ deno: '2.9.6' }), Deno: {} },
  // From compatibility date 2026-08-04 (nodejs_compat by default): a process, node:crypto.
  workerd: { process: nodeProcess(), navigator: { userAgent: 'Cloudflare-Workers' } },
  // Before it: no process at all.
  oldWorkerd: { navigator: { userAgent: 'Cloudflare-Workers' } },
  browser: { navigator: { userAgent: 'Mozilla/5.0' } },
  // Something else that lends itself node:crypto under Node's names.
  lookalike: { process: { versions: { node: '22.0.0' }, getBuiltinModule } },
} satisfies Record<string, RuntimeScope>;

function configError(run: () => unknown): SessionConfigError | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof SessionConfigError) return error;
    throw error;
  }
  return undefined;
}

describe('runtimeName', () => {
  it('tells each runtime apart, though they all look like Node', () => {
    expect(runtimeName(scopes.node)).toBe('node');
    expect(runtimeName(scopes.bun)).toBe('bun');
    expect(runtimeName(scopes.deno)).toBe('deno');
    expect(runtimeName(scopes.workerd)).toBe('workerd');
    expect(runtimeName(scopes.oldWorkerd)).toBe('workerd');
    expect(runtimeName(scopes.browser)).toBe('other');
    expect(runtimeName(scopes.lookalike)).toBe('other');
    expect(runtimeName({})).toBe('other');
  });

  it('knows either mark of Bun and of Deno', () => {
    expect(runtimeName({ process: nodeProcess({ bun: '1.4.5' }) })).toBe('bun');
    expect(runtimeName({ process: nodeProcess(), Bun: {} })).toBe('bun');
    expect(runtimeName({ process: nodeProcess({ deno: '2.9.6' }) })).toBe('deno');
    expect(runtimeName({ Deno: {} })).toBe('deno');
  });

  it('is node here', () => {
    expect(runtimeName()).toBe('node');
  });
});

describe("chooseEngine('auto')", () => {
  it('is node:crypto on Node, Bun and Deno', () => {
    for (const scope of [scopes.node, scopes.bun, scopes.deno]) {
      const chosen = chooseEngine('auto', scope);
      expect(chosen.name).toBe('node');
      expect(chosen.engine).toBeInstanceOf(NodeEngine);
    }
    expect(chooseEngine('auto').name).toBe('node');
  });

  it('is Web Crypto on workerd, though node:crypto is there, and on anything unchecked', () => {
    for (const scope of [scopes.workerd, scopes.oldWorkerd, scopes.browser, scopes.lookalike, {}]) {
      expect(chooseEngine('auto', scope)).toEqual({ name: 'webcrypto', engine: undefined });
    }
  });

  it('is Web Crypto on a Node without process.getBuiltinModule (before 20.16), or where it throws', () => {
    const { getBuiltinModule: _, ...older } = nodeProcess();
    expect(chooseEngine('auto', { process: older }).name).toBe('webcrypto');
    const throwing = {
      ...nodeProcess(),
      getBuiltinModule: () => {
        throw new Error('denied');
      },
    };
    expect(chooseEngine('auto', { process: throwing }).name).toBe('webcrypto');
  });
});

describe("chooseEngine('node') and ('webcrypto')", () => {
  it("'webcrypto' is Web Crypto everywhere, Node included", () => {
    for (const scope of Object.values(scopes)) {
      expect(chooseEngine('webcrypto', scope)).toEqual({ name: 'webcrypto', engine: undefined });
    }
  });

  it("'node' is node:crypto wherever it can be reached and works, unchecked runtimes included", () => {
    for (const scope of [scopes.node, scopes.bun, scopes.deno, scopes.lookalike]) {
      expect(chooseEngine('node', scope).engine).toBeInstanceOf(NodeEngine);
    }
  });

  it("'node' without node:crypto is a configuration error naming advanced.engine", () => {
    for (const scope of [scopes.oldWorkerd, scopes.browser, {}]) {
      const error = configError(() => chooseEngine('node', scope));
      expect(error).toMatchObject({ setting: 'advanced.engine', code: 'ERR_SESSION_CONFIG' });
      expect(error?.message).toMatch(/^advanced.engine: 'node' needs node:crypto/);
    }
  });

  it("'node' on workerd is a configuration error, not a seal that throws on every request", () => {
    const error = configError(() => chooseEngine('node', scopes.workerd));
    expect(error).toMatchObject({ setting: 'advanced.engine' });
    expect(error?.message).toMatch(/workerd/);
  });
});
