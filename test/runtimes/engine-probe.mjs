// What test/runtimes/node-crypto-engine.test.ts asks of each runtime about `engine: 'node'`:
// run here, on the runtime under test, and reported as JSON for the test to compare with
// Node's report of the same run. Everything is deterministic (fixed keys, IVs and texts, fixed
// mutations of tokens) except the IVs the stores draw, which no reported value depends on.
//
// Two ways to turn a key into node:crypto's KeyObject, chosen by the first argument:
//   cryptokey (default)  KeyObject.from(a non-extractable CryptoKey), as the engine once did
//                        with the key ring's window keys (deprecated: DEP0204); kept to tell
//                        that step's failures from the cipher's
//   secret               createSecretKey(the raw bytes), as the engine does with the window
//                        keys it derives with hkdfSync: nothing else, so this run's warnings
//                        are the engine's own
// The stores use the engine as it is, in both.
//
//   bun   test/runtimes/engine-probe.mjs [secret]      prints the report
//   deno  run --allow-env --allow-read test/runtimes/engine-probe.mjs [secret]
//   workerd: engine-probe-worker.mjs answers /?keys=secret or / with the report
//
// It uses the built files (dist/), so run `npm run build` first. The keys below are fixtures.
import { CompactEncrypt, compactDecrypt } from 'jose';
import { chooseEngine, runtimeName } from '../../dist/codec/engine-choice.js';
import { NodeEngine, reachNodeCrypto } from '../../dist/codec/node-engine.js';
import { createSessionStore } from '../../dist/index.js';

const encoder = new TextEncoder();
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (text) => new Uint8Array(text.match(/../g)?.map((h) => Number.parseInt(h, 16)));
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

// A fixed byte stream (xorshift32), the same on every runtime.
function bytesFrom(seed, length) {
  let x = seed >>> 0 || 1;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
// Text with 1- to 4-byte UTF-8 characters, so the engine's utf8 input path is exercised.
function textFrom(seed, chars) {
  const pool = ['a', 'Z', '0', '"', '\\', ' ', 'é', 'ß', '€', '中', '😀', '𝄞', '\u2028', '~'];
  return Array.from(bytesFrom(seed, chars), (b) => pool[b % pool.length]).join('');
}

const GCM = { authTagLength: 16 };
// Each CryptoKey made here, with its bytes, for the `secret` way.
const rawOf = new WeakMap();
async function aesKey(raw, extractable = false) {
  const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', extractable, [
    'encrypt',
    'decrypt',
  ]);
  rawOf.set(key, raw);
  return key;
}
/** node:crypto's KeyObject for a CryptoKey made by aesKey, the chosen way. */
const keyObjectOf = (c, way) => (key) =>
  way === 'secret' ? c.createSecretKey(rawOf.get(key)) : c.KeyObject.from(key);

/**
 * Whether one AES-256-GCM seal works with the KeyObject made each way; KeyObject.from only in
 * the `cryptokey` way, so the `secret` run prints no deprecation of its own.
 */
async function keyPaths(c, way) {
  const raw = bytesFrom(50, 32);
  const tryWith = (makeKey) => {
    try {
      const cipher = c.createCipheriv('aes-256-gcm', makeKey(), new Uint8Array(12), GCM);
      cipher.update(new Uint8Array(1));
      cipher.final();
      return 'works';
    } catch (error) {
      return `threw ${error?.name}: ${error?.message}`;
    }
  };
  if (way === 'secret') return { createSecretKey: tryWith(() => c.createSecretKey(raw)) };
  const nonExtractable = await aesKey(raw, false);
  const extractable = await aesKey(raw, true);
  return {
    'KeyObject.from(non-extractable)': tryWith(() => c.KeyObject.from(nonExtractable)),
    'KeyObject.from(extractable)': tryWith(() => c.KeyObject.from(extractable)),
    createSecretKey: tryWith(() => c.createSecretKey(raw)),
  };
}

/** Whether process.getBuiltinModule and node:crypto are there, and how they are reached. */
function reach() {
  const proc = globalThis.process;
  let builtin;
  let error;
  try {
    builtin = proc?.getBuiltinModule?.('node:crypto');
  } catch (e) {
    error = String(e?.name ?? e);
  }
  const choice = (() => {
    try {
      return chooseEngine('auto').name;
    } catch (e) {
      return `threw ${e?.name}`;
    }
  })();
  return {
    runtime: runtimeName(),
    globalProcess: typeof proc,
    getBuiltinModule: typeof proc?.getBuiltinModule,
    nodeCrypto: builtin ? 'object' : String(builtin),
    getBuiltinModuleError: error,
    members: builtin
      ? [
          'createCipheriv',
          'createDecipheriv',
          'randomFillSync',
          'randomBytes',
          'hkdfSync',
          'createSecretKey',
        ].filter((name) => typeof builtin[name] === 'function')
      : [],
    reachNodeCrypto: reachNodeCrypto() !== undefined,
    auto: choice,
    // What a store made with no engine set runs on: `store.engine`.
    storeDefault: (() => {
      try {
        return createSessionStore({ keys: K1, testing: { env: {} } }).engine;
      } catch (e) {
        return `threw ${e?.name}`;
      }
    })(),
  };
}

// AES-256-GCM test cases 13, 14 and 16 of McGrew and Viega's GCM specification: the expected
// answers are in the test, so Node is checked too, not only taken as the reference.
const SPEC = [
  { name: 'gcm-spec-13', key: '00'.repeat(32), iv: '00'.repeat(12), aad: '', pt: '' },
  { name: 'gcm-spec-14', key: '00'.repeat(32), iv: '00'.repeat(12), aad: '', pt: '00'.repeat(16) },
  {
    name: 'gcm-spec-16',
    key: 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308',
    iv: 'cafebabefacedbaddecaf888',
    aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    pt: 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
  },
];
const LENGTHS = [0, 1, 2, 3, 15, 16, 17, 31, 32, 33, 64, 255, 1000, 4093, 4096];
const AAD_LENGTHS = [0, 1, 16, 17, 60, 94];

/**
 * Known answers: each vector sealed by node:crypto on this runtime (bytes in, and the engine's
 * utf8-in/base64url-out path), opened again, and sealed by Web Crypto here for comparison.
 */
async function knownAnswers(c, way) {
  const vectors = SPEC.map((v) => ({
    name: v.name,
    key: fromHex(v.key),
    iv: fromHex(v.iv),
    aad: fromHex(v.aad),
    pt: fromHex(v.pt),
  }));
  LENGTHS.forEach((length, i) => {
    vectors.push({
      name: `bytes-${length}`,
      key: bytesFrom(100 + i, 32),
      iv: bytesFrom(200 + i, 12),
      aad: bytesFrom(300 + i, AAD_LENGTHS[i % AAD_LENGTHS.length]),
      pt: bytesFrom(400 + i, length),
    });
    const text = textFrom(500 + i, length);
    vectors.push({
      name: `text-${length}`,
      key: bytesFrom(600 + i, 32),
      iv: bytesFrom(700 + i, 12),
      aad: bytesFrom(800 + i, AAD_LENGTHS[i % AAD_LENGTHS.length]),
      pt: encoder.encode(text),
      text,
    });
  });
  const out = [];
  for (const v of vectors) {
    const cryptoKey = await aesKey(v.key);
    const keyObject = keyObjectOf(c, way)(cryptoKey);
    const cipher = c.createCipheriv('aes-256-gcm', keyObject, v.iv, GCM);
    cipher.setAAD(v.aad);
    const ct = concat(cipher.update(v.pt), cipher.final());
    const tag = new Uint8Array(cipher.getAuthTag());
    const row = { name: v.name, ct: hex(ct), tag: hex(tag) };
    if (v.text !== undefined) {
      // The engine's own calls: utf8 text in, base64url out, the tag through toString.
      const strings = c.createCipheriv('aes-256-gcm', keyObject, v.iv, GCM);
      strings.setAAD(v.aad);
      row.ctText = strings.update(v.text, 'utf8', 'base64url') + strings.final('base64url');
      row.tagText = strings.getAuthTag().toString('base64url');
      const decipher = c.createDecipheriv('aes-256-gcm', keyObject, v.iv, GCM);
      decipher.setAAD(v.aad);
      decipher.setAuthTag(tag);
      const opened = concat(decipher.update(row.ctText, 'base64url'), decipher.final());
      row.reopened = new TextDecoder('utf-8', { fatal: true }).decode(opened) === v.text;
    } else {
      const decipher = c.createDecipheriv('aes-256-gcm', keyObject, v.iv, GCM);
      decipher.setAAD(v.aad);
      decipher.setAuthTag(tag);
      row.reopened = hex(concat(decipher.update(ct), decipher.final())) === hex(v.pt);
    }
    const web = new Uint8Array(
      await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv: v.iv, additionalData: v.aad, tagLength: 128 },
        cryptoKey,
        v.pt,
      ),
    );
    row.sameAsWebCrypto = hex(web) === hex(ct) + hex(tag);
    out.push(row);
  }
  return out;
}

/** Where opening fails, step by step, for each way a sealed message can be wrong. */
async function refusals(c, way) {
  const raw = bytesFrom(900, 32);
  const key = keyObjectOf(c, way)(await aesKey(raw));
  const otherKey = keyObjectOf(c, way)(await aesKey(bytesFrom(901, 32)));
  const iv = bytesFrom(902, 12);
  const aad = encoder.encode('eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwia2lkIjoiazEuMSJ9');
  const pt = encoder.encode('{"d":{"user":"alice"}}');
  const cipher = c.createCipheriv('aes-256-gcm', key, iv, GCM);
  cipher.setAAD(aad);
  const ct = concat(cipher.update(pt), cipher.final());
  const tag = new Uint8Array(cipher.getAuthTag());
  const flip = (bytes, at) => {
    const copy = bytes.slice();
    copy[at] ^= 1;
    return copy;
  };
  const cases = {
    authentic: {},
    'tag: last bit flipped': { tag: flip(tag, 15) },
    'tag: first bit flipped': { tag: flip(tag, 0) },
    'tag: truncated to 15 bytes': { tag: tag.subarray(0, 15) },
    'tag: truncated to 12 bytes': { tag: tag.subarray(0, 12) },
    'tag: truncated to 8 bytes': { tag: tag.subarray(0, 8) },
    'tag: truncated to 4 bytes': { tag: tag.subarray(0, 4) },
    'tag: 17 bytes': { tag: concat(tag, new Uint8Array(1)) },
    'tag: never set': { tag: null },
    'aad: one bit flipped': { aad: flip(aad, aad.length - 1) },
    'aad: one byte short': { aad: aad.subarray(0, aad.length - 1) },
    'aad: not set': { aad: null },
    'ciphertext: one bit flipped': { ct: flip(ct, 3) },
    'ciphertext: one byte short': { ct: ct.subarray(0, ct.length - 1) },
    'iv: one bit flipped': { iv: flip(iv, 11) },
    'key: another': { key: otherKey },
  };
  const out = {};
  for (const [name, change] of Object.entries(cases)) {
    let step = 'createDecipheriv';
    try {
      const d = c.createDecipheriv('aes-256-gcm', change.key ?? key, change.iv ?? iv, GCM);
      step = 'setAAD';
      if (change.aad !== null) d.setAAD(change.aad ?? aad);
      step = 'setAuthTag';
      if (change.tag !== null) d.setAuthTag(change.tag ?? tag);
      step = 'update';
      const head = d.update(change.ct ?? ct);
      step = 'final';
      const opened = concat(head, d.final());
      out[name] = hex(opened) === hex(pt) ? 'opened' : 'opened to other bytes';
    } catch {
      out[name] = `refused at ${step}`;
    }
  }
  return out;
}

function randomness(c) {
  const buffer = new Uint8Array(12);
  const returned = c.randomFillSync(buffer);
  const first = hex(buffer);
  c.randomFillSync(buffer);
  return {
    // The engine seals with what randomFillSync returns: the drawn bytes, not a copy of them
    // (the same array on Node, Bun and Deno; a new view of its memory on workerd).
    returnsItsArgument: returned === buffer,
    returnsItsMemory: returned.buffer === buffer.buffer && returned.length === 12,
    fills: first !== '00'.repeat(12),
    differs: first !== hex(buffer),
  };
}

/**
 * The engine itself with a fixed IV: its tokens are compared byte for byte with Node's, and
 * opened by jose here; jose's tokens are opened by the engine here.
 */
async function engineTokens(c, way) {
  const iv = bytesFrom(1000, 12);
  const fixed = {
    createCipheriv: c.createCipheriv.bind(c),
    createDecipheriv: c.createDecipheriv.bind(c),
    hkdfSync: c.hkdfSync.bind(c),
    createSecretKey: c.createSecretKey.bind(c),
    randomBytes: c.randomBytes.bind(c),
    randomFillSync: (buffer) => {
      buffer.set(iv);
      return buffer;
    },
  };
  const engine = new NodeEngine(fixed);
  const key = await aesKey(bytesFrom(1001, 32));
  const keyObject = keyObjectOf(c, way)(key);
  const header = { alg: 'dir', enc: 'A256GCM', kid: 'k1.493208' };
  const texts = ['', 'a', '{"d":{"a":1}}', textFrom(1002, 40), textFrom(1003, 3000)];
  const out = [];
  for (const text of texts) {
    const token = engine.seal(keyObject, header, text);
    let joseOpened;
    try {
      const { plaintext } = await compactDecrypt(token, key);
      joseOpened = new TextDecoder().decode(plaintext) === text;
    } catch {
      joseOpened = false;
    }
    const fromJose = await new CompactEncrypt(encoder.encode(text))
      .setProtectedHeader(header)
      .encrypt(key);
    const parts = token.split('.');
    // 12 of the tag's 16 bytes: refused by the engine's own length check, whatever
    // setAuthTag would make of it.
    const shortTag = [...parts.slice(0, 4), parts[4].slice(0, 16)];
    out.push({
      token,
      refusesTruncatedTag: engine.open(keyObject, shortTag) === undefined,
      joseOpened,
      engineOpened: engine.open(keyObject, token.split('.')) === text,
      engineOpenedJose: engine.open(keyObject, fromJose.split('.')) === text,
      sameHeaderAsJose: fromJose.split('.')[0] === token.split('.')[0],
    });
  }
  return out;
}

// Fixtures, not secrets: two ring keys and a second secret under the first id.
const K1 = 'k1:kGdTNwjeQIJoteVlpRmJuYkXbjy9ZaAewtb7e69JgGo';
const K2 = 'k2:ZCKoDQEoA7_w4tsT6DjafASIFtKQc2x5TLBDppx09PI';
const K1_OTHER = 'k1:SeD-UCd0Sqk7JXTjvbGLkrgweTMPeJbnRS0vKM9OR30';
const NOW = 1_775_000_000_000;
const store = (keys, engine) =>
  createSessionStore({
    keys,
    advanced: { engine, cacheSize: 0 },
    testing: { env: {}, now: () => NOW },
  });
const reasonOf = (opened) => (opened instanceof Error ? opened.reason : 'opened');

const b64 = (text) => btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
const unb64 = (text) => atob(text.replaceAll('-', '+').replaceAll('_', '/'));
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The fixed attacks on a token: the same on every runtime, whatever its IV. */
function attacks(token) {
  const parts = token.split('.');
  const header = JSON.parse(unb64(parts[0]));
  const withParts = (changes) => parts.map((p, i) => changes[i] ?? p).join('.');
  const flipped = (s) => {
    const part = parts[s];
    const at = part.length >> 1;
    const other = ALPHABET[(ALPHABET.indexOf(part[at]) + 1) % 64];
    return withParts({ [s]: part.slice(0, at) + other + part.slice(at + 1) });
  };
  const [, window] = header.kid.split('.');
  return {
    'header: one character changed': flipped(0),
    'encrypted key: not empty': withParts({ 1: 'AAAA' }),
    'iv: one character changed': flipped(2),
    'ciphertext: one character changed': flipped(3),
    'tag: one character changed': flipped(4),
    'tag: truncated to 12 bytes': withParts({ 4: parts[4].slice(0, 16) }),
    'tag: truncated to 15 bytes': withParts({ 4: parts[4].slice(0, 20) }),
    'ciphertext: last 4 characters cut': withParts({ 3: parts[3].slice(0, -4) }),
    'kid: another key of the ring': withParts({
      0: b64(JSON.stringify({ ...header, kid: `k2.${window}` })),
    }),
    'kid: a key not in the ring': withParts({
      0: b64(JSON.stringify({ ...header, kid: `zz.${window}` })),
    }),
    'kid: another window': withParts({
      0: b64(JSON.stringify({ ...header, kid: `k1.${Number(window) - 1}` })),
    }),
    'header: members reordered': withParts({
      0: b64(JSON.stringify({ enc: header.enc, alg: header.alg, kid: header.kid })),
    }),
    'header: a member added': withParts({ 0: b64(JSON.stringify({ ...header, cty: 'x' })) }),
    'header: alg changed': withParts({ 0: b64(JSON.stringify({ ...header, alg: 'A256KW' })) }),
  };
}

/** The stores on both engines here: each opens the other's, and refuses every attack. */
async function stores() {
  const node = store(`${K1},${K2}`, 'node');
  const web = store(`${K1},${K2}`, 'webcrypto');
  const otherSecret = store(K1_OTHER, 'node');
  const value = { user: 'alice', text: textFrom(1100, 60), list: [1, 2.5, null, true] };
  const fromNode = await node.seal(value);
  const fromWeb = await web.seal(value);
  const same = (opened) => JSON.stringify(opened) === JSON.stringify(value);
  const result = {
    nodeOpensNode: same(await node.unseal(fromNode)),
    webOpensNode: same(await web.unseal(fromNode)),
    nodeOpensWeb: same(await node.unseal(fromWeb)),
    otherSecretOnNode: reasonOf(await otherSecret.unseal(fromNode)),
    otherSecretOnWeb: reasonOf(await otherSecret.unseal(fromWeb)),
    attacks: {},
  };
  for (const [sealer, token] of [
    ['node', fromNode],
    ['webcrypto', fromWeb],
  ]) {
    for (const [name, attacked] of Object.entries(attacks(token))) {
      result.attacks[`${sealer} token, ${name}`] = {
        node: reasonOf(await node.unseal(attacked)),
        webcrypto: reasonOf(await web.unseal(attacked)),
      };
    }
  }
  return result;
}

/** The whole report; what node:crypto is missing, or throws, is reported rather than thrown. */
export async function probe(way = 'cryptokey') {
  const report = { reach: reach(), way };
  const c = reachNodeCrypto();
  if (c === undefined) return report;
  for (const [name, part] of [
    ['keyPaths', () => keyPaths(c, way)],
    ['knownAnswers', () => knownAnswers(c, way)],
    ['refusals', () => refusals(c, way)],
    ['randomness', () => randomness(c)],
    ['engineTokens', () => engineTokens(c, way)],
    ['stores', stores],
  ]) {
    try {
      report[name] = await part();
    } catch (error) {
      report[name] = { threw: `${error?.name}: ${error?.message}` };
    }
  }
  return report;
}

// Run as a script (node, bun, deno): print the report. Imported by the worker: nothing.
const script = globalThis.process?.argv?.[1];
if (script && import.meta.url.endsWith(`/${script.split(/[\\/]/).pop()}`)) {
  probe(globalThis.process.argv[2]).then((report) => console.log(JSON.stringify(report)));
}
