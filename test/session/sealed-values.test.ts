// store.seal() values carry a purpose of their own, so neither a sealed value nor a session
// cookie opens as the other (issue 14, finding 8): an invite link sealed by the app is not a
// login, and a copied session cookie is not an invite.
import { describe, expect, it } from 'vitest';
import { SessionRejectedError } from '../../src/errors.js';
import { openAsCookie, sealAsCookie } from '../helpers/cookie-oracle.js';
import { makeStore } from '../helpers/store.js';

describe('sealed values and session cookies', () => {
  it('seal() and unseal() round-trip', async () => {
    const store = makeStore();
    expect(await store.unseal(await store.seal({ invite: 'team-7' }))).toEqual({
      invite: 'team-7',
    });
  });

  it('a sealed value is refused as a session cookie (wrong-purpose), cache or not', async () => {
    for (const cacheSize of [0, 1000]) {
      const store = makeStore({ advanced: { cacheSize } });
      const sealed = await store.seal({ userId: 'alice' });
      // Opened as a sealed value first, so a cache (if any) has seen it.
      expect(await store.unseal(sealed)).toEqual({ userId: 'alice' });
      const session = await store.load(`session=${sealed}`);
      expect(session.isNew).toBe(true);
      expect(session.get('userId')).toBeUndefined();
      expect(session.rejection?.reason).toBe('wrong-purpose');
    }
  });

  it('a session cookie is refused by unseal() (wrong-purpose), cache or not', async () => {
    for (const cacheSize of [0, 1000]) {
      const store = makeStore({ advanced: { cacheSize } });
      // Sealed by a commit, so it is in the token cache when there is one.
      const cookie = await sealAsCookie(store, { userId: 'alice' });
      expect(await openAsCookie(store, cookie)).toEqual({ userId: 'alice' });
      const opened = await store.unseal(cookie);
      expect(opened).toBeInstanceOf(SessionRejectedError);
      expect((opened as SessionRejectedError).reason).toBe('wrong-purpose');
    }
  });

  it('keeps the app purpose apart too', async () => {
    const store = makeStore({ advanced: { purpose: 'shop' } });
    const sealed = await store.seal({ a: 1 });
    expect((await store.load(`session=${sealed}`)).rejection?.reason).toBe('wrong-purpose');
    expect(await store.unseal(sealed)).toEqual({ a: 1 });
    // And a sealed value of one purpose does not open in another.
    const other = makeStore({ advanced: { purpose: 'admin' } });
    expect(((await other.unseal(sealed)) as SessionRejectedError).reason).toBe('wrong-purpose');
  });
});
