// session.csrfToken() on the store: bound to the session's id (claim `sid`), kept across
// requests, saved even for an empty session, replaced by regenerate(), valid across a key
// rotation while the old key is in the ring; and the crossSite option as the store parses it.
import { describe, expect, it } from 'vitest';
import { portOf } from '../../src/session/port.js';
import type { RequestFacts } from '../../src/session/request-handle.js';
import { keyEntry } from '../helpers/keys.js';
import { makeStore, rejected, thrown, visit } from '../helpers/store.js';

/** A header-less POST (what needs a token with `token: true`) carrying `token` and `cookie`. */
function post(cookie: string, token?: string): RequestFacts {
  return {
    cookie,
    method: 'POST',
    url: '/change',
    header: (name) => (name === 'x-csrf-token' ? token : undefined),
  };
}

describe('session.csrfToken()', () => {
  it('saves an empty session so its id survives, and gives the same token on later requests', async () => {
    const store = makeStore();
    const jar = new Map<string, string>();
    let token = '';
    const first = await visit(store, jar, async (session) => {
      token = await session.csrfToken();
      expect(await session.csrfToken()).toBe(token);
    });
    expect(first.setCookies).toHaveLength(1);
    let again = '';
    const second = await visit(store, jar, async (session) => {
      again = await session.csrfToken();
    });
    expect(again).toBe(token);
    // Nothing changed: the id was already in the cookie.
    expect(second.setCookies).toEqual([]);
  });

  it('is accepted by the check for its session only, and refused after regenerate()', async () => {
    const store = makeStore({ crossSite: { token: true } });
    const port = portOf(store);
    const jar = new Map<string, string>();
    let token = '';
    const { header } = await visit(store, jar, async (session) => {
      token = await session.csrfToken();
    });
    expect((await port.open(post(header, token))).refused).toBeUndefined();
    expect((await port.open(post(header))).refused?.reason).toBe('token-required');
    expect((await port.open(post('', token))).refused?.reason).toBe('token-invalid');
    const after = await visit(store, jar, (session) => session.regenerate({ keepData: true }));
    expect((await port.open(post(after.header, token))).refused?.reason).toBe('token-invalid');
  });

  it('stays valid after a key rotation while the old key is in the ring', async () => {
    const old = makeStore({ keys: keyEntry('old'), crossSite: { token: true } });
    const jar = new Map<string, string>();
    let token = '';
    const { header } = await visit(old, jar, async (session) => {
      token = await session.csrfToken();
    });
    expect(token).toMatch(/^v1\.old\./);
    const rotated = makeStore({
      keys: `${keyEntry('new')},${keyEntry('old')}`,
      crossSite: { token: true },
    });
    expect((await portOf(rotated).open(post(header, token))).refused).toBeUndefined();
    const gone = makeStore({ keys: keyEntry('new'), crossSite: { token: true } });
    expect((await portOf(gone).open(post(header, token))).refused).toBeDefined();
  });

  it('throws SessionCommittedError once committed if the session has no id yet', async () => {
    const store = makeStore();
    // A visitor's session that stored nothing: no seal, so no id.
    const session = await store.load(undefined);
    await store.commit(session);
    const error = (await rejected(() => session.csrfToken())) as { code: string };
    expect(error.code).toBe('ERR_SESSION_COMMITTED');
  });
});

describe('the crossSite option', () => {
  it('is refused at startup when it is neither false nor an object, or names an unknown member', () => {
    for (const [value, pattern] of [
      ['off', /^crossSite: must be false/],
      [true, /^crossSite: must be false/],
      [{ origins: [] }, /^crossSite\.origins: is not an option: did you mean "trustedOrigins"/],
      [{ trustedOrigins: ['https://a.example/'] }, /trailing slash/],
      [{ token: 'yes' }, /^crossSite\.token: must be true or false/],
    ] as const) {
      const error = thrown(() => makeStore({ crossSite: value as never })) as Error;
      expect(error.message).toMatch(pattern);
    }
  });
});
