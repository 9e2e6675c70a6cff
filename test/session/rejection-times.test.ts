// A rejection of an authentic token says what the token held (key, created, expires), so an
// operator can answer "why was I logged out?"; a forged or foreign one says nothing of the kind.
import { describe, expect, it } from 'vitest';
import { SessionRejectedError } from '../../src/errors.js';
import { Clock } from '../helpers/clock.js';
import { keyEntry } from '../helpers/keys.js';
import { makeStore, TEST_KEYS } from '../helpers/store.js';

const HOUR = 3600;

describe('session.rejection.sealed', () => {
  it('gives key, creation and expiry of an authentic token just past its idle lifetime', async () => {
    const clock = new Clock();
    const store = makeStore(
      { lifetime: { idleTimeout: 2 * HOUR, absoluteTimeout: 3 * HOUR } },
      clock,
    );
    const created = clock.seconds;
    const token = await store.seal({ n: 1 });
    // Within the hour after expiry: later, the key window alone turns it away, undecrypted.
    clock.advance(2 * HOUR + 60);
    const rejected = await store.unseal(token);
    expect(rejected).toBeInstanceOf(SessionRejectedError);
    const { reason, sealed } = rejected as SessionRejectedError;
    expect(reason).toBe('expired');
    expect(sealed).toEqual({
      keyId: 'k1',
      issuedAt: new Date(created * 1000),
      expiresAt: new Date((created + 2 * HOUR) * 1000),
      createdAt: new Date(created * 1000),
    });
  });

  it('caps the reported expiry at the absolute lifetime', async () => {
    const clock = new Clock();
    const store = makeStore({ lifetime: { notBefore: new Date(clock.ms + 1000) } }, clock);
    const sealer = makeStore(
      { lifetime: { idleTimeout: 10 * HOUR, absoluteTimeout: 30 * HOUR } },
      clock,
    );
    const token = await sealer.seal({ n: 1 });
    const rejected = (await store.unseal(token)) as SessionRejectedError;
    expect(rejected.reason).toBe('revoked');
    // The store that reads it enforces its own 30-day absolute lifetime; idle is the token's.
    expect(rejected.sealed?.expiresAt).toEqual(new Date((clock.seconds + 10 * HOUR) * 1000));
  });

  it('says nothing for a token that did not decrypt (tampered, unknown key)', async () => {
    const store = makeStore();
    const token = await store.seal({ n: 1 });
    const flipped = `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`;
    const tampered = (await store.unseal(flipped)) as SessionRejectedError;
    expect(tampered.reason).toBe('tampered');
    expect(tampered.sealed).toBeUndefined();
    const other = makeStore({ keys: keyEntry('other') });
    const unknown = (await other.unseal(token)) as SessionRejectedError;
    expect(unknown.reason).toBe('unknown-key');
    expect(unknown.sealed).toBeUndefined();
    expect(TEST_KEYS).not.toBe(keyEntry('other'));
  });
});
