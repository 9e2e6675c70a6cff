import { describe, expect, it } from 'vitest';
import { SessionConfigError, SessionValueError } from '../../src/errors.js';
import { memoryRevocationStore } from '../../src/revocation/memory-store.js';
import { Clock } from '../helpers/clock.js';

const HOUR = 3600;

function started(maxEntries?: number) {
  const clock = new Clock();
  const store = memoryRevocationStore({ now: clock.now, ...(maxEntries ? { maxEntries } : {}) });
  return { clock, store };
}

describe('memoryRevocationStore', { timeout: 5000 }, () => {
  it('revokes one session id, and no other', async () => {
    const { store } = started();
    await store.revokeSession('sid-a', HOUR);
    expect(await store.check('sid-a', undefined)).toEqual({
      sessionRevoked: true,
      subjectRevokedBefore: undefined,
    });
    expect(await store.check('sid-b', 'user-1')).toEqual({
      sessionRevoked: false,
      subjectRevokedBefore: undefined,
    });
  });

  it('forgets a revocation once its TTL has passed (read after expiry)', async () => {
    const { clock, store } = started();
    await store.revokeSession('sid-a', HOUR);
    await store.revokeSubject('user-1', 1000, HOUR);
    clock.advance(HOUR - 1);
    expect(await store.check('sid-a', 'user-1')).toEqual({
      sessionRevoked: true,
      subjectRevokedBefore: 1000,
    });
    clock.advance(1);
    expect(await store.check('sid-a', 'user-1')).toEqual({
      sessionRevoked: false,
      subjectRevokedBefore: undefined,
    });
  });

  it("keeps a subject's later cut-off, whichever order the writes come in", async () => {
    const { store } = started();
    await store.revokeSubject('user-1', 2000, HOUR);
    await store.revokeSubject('user-1', 1500, HOUR);
    expect((await store.check('s', 'user-1')).subjectRevokedBefore).toBe(2000);
    await store.revokeSubject('user-1', 2500, HOUR);
    expect((await store.check('s', 'user-1')).subjectRevokedBefore).toBe(2500);
    // Subjects are separate.
    expect((await store.check('s', 'user-2')).subjectRevokedBefore).toBeUndefined();
  });

  it('never shortens how long an entry is kept', async () => {
    const { clock, store } = started();
    await store.revokeSession('sid-a', HOUR);
    await store.revokeSession('sid-a', 60);
    await store.revokeSubject('user-1', 100, HOUR);
    await store.revokeSubject('user-1', 200, 60);
    clock.advance(HOUR - 1);
    expect(await store.check('sid-a', 'user-1')).toEqual({
      sessionRevoked: true,
      subjectRevokedBefore: 200,
    });
  });

  it('a later cut-off with a shorter TTL keeps the longer TTL; an expired old cut-off counts for nothing', async () => {
    const { clock, store } = started();
    await store.revokeSubject('user-1', 5000, 60);
    clock.advance(60);
    await store.revokeSubject('user-1', 100, HOUR);
    expect((await store.check('s', 'user-1')).subjectRevokedBefore).toBe(100);
  });

  describe('at maxEntries', () => {
    it('evicts the entry that expires soonest, not the oldest written', async () => {
      const { store } = started(3);
      await store.revokeSession('long', 3 * HOUR);
      await store.revokeSession('short', HOUR);
      await store.revokeSubject('user-1', 100, 2 * HOUR);
      await store.revokeSession('new', HOUR);
      const revoked = async (id: string) => (await store.check(id, undefined)).sessionRevoked;
      expect(await revoked('short')).toBe(false);
      expect(await revoked('long')).toBe(true);
      expect(await revoked('new')).toBe(true);
      expect((await store.check('x', 'user-1')).subjectRevokedBefore).toBe(100);
    });

    it('drops expired entries first, keeping every live one', async () => {
      const { clock, store } = started(3);
      await store.revokeSession('a', 60);
      await store.revokeSession('b', 60);
      await store.revokeSession('live', HOUR);
      clock.advance(60);
      await store.revokeSession('c', HOUR);
      await store.revokeSession('d', HOUR);
      for (const id of ['live', 'c', 'd']) {
        expect((await store.check(id, undefined)).sessionRevoked, id).toBe(true);
      }
    });

    it('rewriting a held entry evicts nothing', async () => {
      const { store } = started(2);
      await store.revokeSession('a', HOUR);
      await store.revokeSubject('user-1', 1, 2 * HOUR);
      await store.revokeSubject('user-1', 2, 2 * HOUR);
      await store.revokeSession('a', HOUR);
      expect(await store.check('a', 'user-1')).toEqual({
        sessionRevoked: true,
        subjectRevokedBefore: 2,
      });
    });
  });

  it('refuses ids and subjects no store takes, and bad TTLs or cut-offs, by rejecting', async () => {
    const { store } = started();
    const bad = [
      store.revokeSession('', HOUR),
      store.revokeSession('a'.repeat(257), HOUR),
      store.revokeSubject('\uD800', 1, HOUR),
      store.check('sid', ''),
      store.revokeSession('sid', 0),
      store.revokeSession('sid', 1.5),
      store.revokeSubject('user', -1, HOUR),
      store.revokeSubject('user', 1.5, HOUR),
      // @ts-expect-error a number is no id
      store.check(12, undefined),
    ];
    for (const result of await Promise.allSettled(bad)) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(SessionValueError);
    }
    // The longest subject it takes, with characters a key would otherwise mix up.
    const long = `a:b c\n${'é'.repeat(250)}`;
    await expect(store.revokeSubject('user', 1.5, HOUR)).rejects.toThrow(
      'must be whole epoch milliseconds (got 1.5)',
    );
    // Epoch milliseconds, kept to the millisecond.
    await store.revokeSubject('user', 1_768_480_200_700, HOUR);
    expect((await store.check('sid', 'user')).subjectRevokedBefore).toBe(1_768_480_200_700);
    await store.revokeSubject(long, 7, HOUR);
    expect((await store.check('sid', long)).subjectRevokedBefore).toBe(7);
    expect((await store.check('sid', long.slice(0, -1))).subjectRevokedBefore).toBeUndefined();
  });

  it('refuses a bad maxEntries at creation', () => {
    expect(() => memoryRevocationStore({ maxEntries: 0 })).toThrow(SessionConfigError);
    expect(() => memoryRevocationStore({ maxEntries: 1.5 })).toThrow(/maxEntries/);
  });
});
