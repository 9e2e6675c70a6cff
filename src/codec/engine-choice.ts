// Which engine seals and opens. `engine: 'auto'` takes node:crypto only on a runtime whose
// node:crypto was checked to make the engine's tokens byte for byte as Node does and to refuse
// the same forgeries (test/runtimes/node-crypto-engine.test.ts), and where the engine is the
// faster one (bench/engines.js). Having node:crypto is not enough: Bun, Deno and workerd each
// ship their own implementation behind that name, so the runtime is identified, and any other
// keeps Web Crypto, which is correct everywhere and only slower.
import { SessionConfigError } from '../errors.js';
import { NodeEngine, type ProcessLike, reachNodeCrypto } from './node-engine.js';

export type EngineChoice = 'auto' | 'node' | 'webcrypto';
export type EngineName = 'node' | 'webcrypto';
export type RuntimeName = 'node' | 'bun' | 'deno' | 'workerd' | 'other';

export interface ChosenEngine {
  /** What was chosen, for reporting. */
  readonly name: EngineName;
  /** The node:crypto engine, or undefined for jose on Web Crypto. */
  readonly engine: NodeEngine | undefined;
}

/** The globals the choice looks at: `globalThis`, unless a test passes another. */
export interface RuntimeScope {
  readonly process?: ProcessLike & {
    readonly versions?: Readonly<Record<string, string | undefined>>;
    readonly release?: { readonly name?: string };
  };
  readonly Bun?: unknown;
  readonly Deno?: unknown;
  readonly navigator?: { readonly userAgent?: string };
}

// Same tokens and refusals as Node's, and 5-7x faster per seal and open than Web Crypto there.
const AUTO_NODE: ReadonlySet<RuntimeName> = new Set<RuntimeName>(['node', 'bun', 'deno']);

const WEB_CRYPTO: ChosenEngine = { name: 'webcrypto', engine: undefined };

const NO_NODE_CRYPTO =
  "'node' needs node:crypto through process.getBuiltinModule (Node 20.16 or later); this runtime has none: use 'auto' (the default) or 'webcrypto'";
// workerd has node:crypto (nodejs_compat, the default from compatibility date 2026-08-04) but
// its AES-GCM differs from Node's where it matters (setAuthTag takes a truncated tag), and no
// store there was checked on it: refused when the store is made.
const WORKERD_NODE_CRYPTO =
  "'node' is not supported on workerd: its node:crypto is not Node's (it accepts truncated GCM tags). Use 'auto' (the default) or 'webcrypto'";

/**
 * The runtime, told apart by what each sets and the others do not copy: Bun, Deno and workerd
 * all have a `process.versions.node` and a `process.release.name` of "node".
 */
export function runtimeName(scope: RuntimeScope = globalThis as RuntimeScope): RuntimeName {
  const proc = scope.process;
  if (scope.navigator?.userAgent === 'Cloudflare-Workers') return 'workerd';
  if (scope.Deno !== undefined || proc?.versions?.deno !== undefined) return 'deno';
  if (scope.Bun !== undefined || proc?.versions?.bun !== undefined) return 'bun';
  if (proc?.release?.name === 'node' && typeof proc.versions?.node === 'string') return 'node';
  return 'other';
}

/**
 * The engine for an `engine` setting. 'node' where it cannot work is a SessionConfigError
 * naming `engine`; 'auto' there (or anywhere not checked) is Web Crypto.
 */
export function chooseEngine(
  choice: EngineChoice,
  scope: RuntimeScope = globalThis as RuntimeScope,
): ChosenEngine {
  if (choice === 'webcrypto') return WEB_CRYPTO;
  const runtime = runtimeName(scope);
  if (choice === 'auto' && !AUTO_NODE.has(runtime)) return WEB_CRYPTO;
  // `?? {}`: no process in the scope means none, not the global one reachNodeCrypto defaults to.
  const nodeCrypto = reachNodeCrypto(scope.process ?? {});
  if (nodeCrypto === undefined) {
    if (choice === 'auto') return WEB_CRYPTO;
    throw new SessionConfigError('advanced.engine', NO_NODE_CRYPTO);
  }
  if (runtime === 'workerd') throw new SessionConfigError('advanced.engine', WORKERD_NODE_CRYPTO);
  return { name: 'node', engine: new NodeEngine(nodeCrypto) };
}
