// Compares the three safe-at-volume JWE defaults the design considered, on the same payloads,
// interleaved in one run: ops/s (median of rounds) and token bytes.
//   node bench/algorithms.js [--rounds 5] [--ops 400]
import { parseArgs } from 'node:util';
import { CompactEncrypt, compactDecrypt } from 'jose';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, ops: { type: 'string', default: '400' } },
});
const ROUNDS = Number(values.rounds);
const OPS = Number(values.ops);

const encoder = new TextEncoder();
function cart(bytes) {
  const items = [];
  while (JSON.stringify({ items }).length < bytes) {
    items.push({
      sku: `SKU-${items.length}`,
      name: `Widget ${items.length}`,
      qty: 2,
      price: 19.99,
    });
  }
  return { items };
}
const payloads = {
  small: { uid: 'u_8f3a2c', name: 'Ada Lovelace', role: 'admin' },
  medium: cart(1000),
  large: cart(3000),
};

const raw = crypto.getRandomValues(new Uint8Array(32));
const aesGcm = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
const aesKw = await crypto.subtle.importKey('raw', raw, 'AES-KW', false, ['wrapKey', 'unwrapKey']);
const cbcKey = crypto.getRandomValues(new Uint8Array(64));
const base = await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveKey']);
const windowKey = await crypto.subtle.deriveKey(
  { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('salt'), info: encoder.encode('window/1') },
  base,
  { name: 'AES-GCM', length: 256 },
  false,
  ['encrypt', 'decrypt'],
);

const systems = {
  'dir + A256GCM, per-hour HKDF key (default)': {
    header: { alg: 'dir', enc: 'A256GCM', kid: 'k20261126.493812' },
    key: windowKey,
  },
  'A256KW + A256GCM': { header: { alg: 'A256KW', enc: 'A256GCM', kid: 'k20261126' }, key: aesKw },
  'dir + A256CBC-HS512': {
    header: { alg: 'dir', enc: 'A256CBC-HS512', kid: 'k20261126' },
    key: cbcKey,
  },
  'dir + A256GCM, one key (no volume limit fix)': {
    header: { alg: 'dir', enc: 'A256GCM', kid: 'k20261126' },
    key: aesGcm,
  },
};

const seal = (s, p) =>
  new CompactEncrypt(encoder.encode(JSON.stringify(p))).setProtectedHeader(s.header).encrypt(s.key);

async function rate(fn) {
  const start = performance.now();
  for (let i = 0; i < OPS; i++) await fn(i);
  return (OPS / (performance.now() - start)) * 1000;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const rows = [];
for (const [size, payload] of Object.entries(payloads)) {
  const results = {};
  for (const [name, s] of Object.entries(systems)) {
    const token = await seal(s, payload);
    const back = JSON.parse(
      new TextDecoder().decode((await compactDecrypt(token, s.key)).plaintext),
    );
    if (JSON.stringify(back) !== JSON.stringify(payload))
      throw new Error(`${name} did not round-trip`);
    const pool = await Promise.all(Array.from({ length: OPS }, () => seal(s, payload)));
    results[name] = { bytes: token.length, pool, seal: [], unseal: [] };
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, s] of Object.entries(systems)) {
      const res = results[name];
      res.seal.push(await rate(() => seal(s, payload)));
      res.unseal.push(await rate((i) => compactDecrypt(res.pool[i], s.key)));
    }
  }
  for (const [name, res] of Object.entries(results)) {
    rows.push([
      size,
      name,
      Math.round(median(res.seal)),
      Math.round(median(res.unseal)),
      res.bytes,
    ]);
  }
}
console.log(`Node ${process.version}, ${ROUNDS} interleaved rounds of ${OPS} ops, medians\n`);
console.log('| payload | algorithm | seal ops/s | unseal ops/s | token bytes |');
console.log('|---|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
