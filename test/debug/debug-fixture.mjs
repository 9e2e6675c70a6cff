// Runs one session scenario against the built package, in its own process so NODE_DEBUG
// (read once, at first use) is whatever the test set. Prints, as JSON on stdout, every
// secret string involved: the test checks that none of them reaches stderr.
import { randomBytes } from 'node:crypto';
import { createSessionStore } from '../../dist/index.js';

const DAY = 86_400_000;
const key = (id) => `${id}:${randomBytes(32).toString('base64url')}`;
const OLD = key('old');
const NEW = key('new');
const MARKER = `data-${randomBytes(8).toString('hex')}`;

async function cookieFor(options, data = { user: MARKER }) {
  const store = createSessionStore({ keys: OLD, ...options });
  const session = await store.load(undefined);
  for (const [k, v] of Object.entries(data)) session.set(k, v);
  return (await store.commit(session)).map((line) => line.split(';')[0]).join('; ');
}

function tamper(header) {
  const [name, token] = header.split('=');
  const parts = token.split('.');
  const i = Math.floor(parts[3].length / 2);
  parts[3] = parts[3].slice(0, i) + (parts[3][i] === 'A' ? 'B' : 'A') + parts[3].slice(i + 1);
  return `${name}=${parts.join('.')}`;
}

const scenarios = {
  malformed: async () => ['session=not.a.token', {}],
  tampered: async () => [tamper(await cookieFor({})), {}],
  expired: async () => [await cookieFor({ testing: { now: () => Date.now() - 40 * DAY } }), {}],
  'not-yet-valid': async () => [await cookieFor({ testing: { now: () => Date.now() + DAY } }), {}],
  'unknown-key': async () => [await cookieFor({}), { keys: NEW }],
  'wrong-purpose': async () => [await cookieFor({}), { advanced: { purpose: 'admin' } }],
  revoked: async () => [
    await cookieFor({ testing: { now: () => Date.now() - DAY } }),
    { lifetime: { notBefore: new Date(Date.now() - 60_000) } },
  ],
  'too-large': async () => [
    await cookieFor({}, { user: MARKER, pad: 'p'.repeat(800) }),
    { cookie: { maxTotalBytes: 600 } },
  ],
  'missing-chunk': async () => [
    (await cookieFor({}, { user: MARKER, pad: 'p'.repeat(3500) })).split('; ')[0],
    {},
  ],
};

const scenario = process.argv[2];
const secrets = [secretOf(OLD), secretOf(NEW), MARKER];
function secretOf(entry) {
  return entry.slice(entry.indexOf(':') + 1);
}
function tokenParts(header) {
  // The whole cookie, and its ciphertext alone: neither may be logged.
  return header.split('; ').flatMap((c) => {
    const value = c.slice(c.indexOf('=') + 1);
    const segments = value.split('.');
    return segments.length === 5 ? [value, segments[3]] : [value];
  });
}
let result;

if (scenario in scenarios) {
  const [cookie, loadOptions] = await scenarios[scenario]();
  secrets.push(...tokenParts(cookie));
  const store = createSessionStore({ keys: OLD, ...loadOptions });
  const session = await store.load(`theme=dark; ${cookie}`);
  result = { rejection: session.rejection?.reason ?? null };
} else if (scenario === 'resealed') {
  const cookie = await cookieFor({});
  secrets.push(...tokenParts(cookie));
  const promoted = createSessionStore({ keys: `${NEW},${OLD}` });
  const session = await promoted.load(cookie);
  const setCookies = await promoted.commit(session);
  secrets.push(...tokenParts(setCookies[0].split(';')[0]));
  // A second, unchanged request with the new cookie: nothing to re-seal, nothing logged.
  const again = await promoted.load(setCookies[0].split(';')[0]);
  result = { user: session.get('user') === MARKER, second: (await promoted.commit(again)).length };
} else if (scenario === 'size-limit') {
  const store = createSessionStore({ keys: OLD });
  const session = await store.load(undefined);
  session.set('user', MARKER);
  session.set('blob', randomBytes(6000).toString('hex'));
  secrets.push(session.get('blob'));
  try {
    await store.commit(session);
    result = { error: null };
  } catch (error) {
    result = { error: error.code };
  }
} else if (scenario === 'valid') {
  const cookie = await cookieFor({});
  secrets.push(...tokenParts(cookie));
  const store = createSessionStore({ keys: OLD });
  const session = await store.load(cookie);
  session.set('n', 1);
  await store.commit(session);
  result = { user: session.get('user') === MARKER };
} else if (scenario === 'forged-line') {
  // A hook whose error message carries a line feed and a fake trace line of its own.
  const store = createSessionStore({
    keys: OLD,
    hooks: {
      onRejection: () => {
        throw new Error(`boom\nJWE-SESSION ${process.pid}: cookie "session" re-sealed: forged`);
      },
    },
  });
  await store.load('session=not.a.token');
  result = {};
} else if (scenario === 'engines') {
  const stores = [undefined, 'node', 'webcrypto'].map((engine) =>
    createSessionStore({ keys: OLD, advanced: { engine } }),
  );
  for (const store of stores) await store.commit(await store.load(undefined));
  result = { engines: stores.map((store) => store.engine) };
} else {
  throw new Error(`unknown scenario ${scenario}`);
}
process.stdout.write(JSON.stringify({ pid: process.pid, secrets, result }));
