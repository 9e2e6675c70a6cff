import { describe, expect, it } from 'vitest';
import type { Jar } from '../helpers/browser-jar.js';
import { Clock } from '../helpers/clock.js';
import { headerOf } from '../helpers/forge.js';
import { keyEntry } from '../helpers/keys.js';
import { makeStore, visit } from '../helpers/store.js';

const IDLE = 4000;
const ABSOLUTE = 10_000;

function setup(refreshAfter = 0.25) {
  const clock = new Clock();
  const store = makeStore(
    { lifetime: { idleTimeout: IDLE, absoluteTimeout: ABSOLUTE, refreshAfter, clockTolerance: 0 } },
    clock,
  );
  return { clock, store };
}

async function begin(store: ReturnType<typeof setup>['store']) {
  const jar: Jar = new Map();
  await visit(store, jar, (s) => s.set('user', 'ada'));
  return jar;
}

describe('rolling refresh', () => {
  it('sends no Set-Cookie before the refresh share of the idle window, and one after', async () => {
    const { clock, store } = setup(0.25);
    const jar = await begin(store);
    const start = clock.seconds;
    clock.advance(IDLE * 0.25 - 1);
    expect((await visit(store, jar)).setCookies).toEqual([]);
    clock.advance(1);
    const refreshed = await visit(store, jar);
    expect(refreshed.setCookies).toHaveLength(1);
    // The idle deadline moved: now + idle.
    const { session } = await visit(store, jar);
    expect(session.cookie?.expiresAt.getTime()).toBe((start + IDLE * 0.25 + IDLE) * 1000);
    expect(session.createdAt?.getTime()).toBe(start * 1000);
  });

  it('keeps an active session alive past its first idle deadline', async () => {
    const { clock, store } = setup(0.25);
    const jar = await begin(store);
    for (let i = 0; i < 4; i++) {
      clock.advance(IDLE * 0.5);
      expect((await visit(store, jar)).session.get('user')).toBe('ada');
    }
    // 2 × IDLE after the start and still alive: it was refreshed.
    clock.advance(IDLE * 0.5);
    expect((await visit(store, jar)).session.rejection).toBeUndefined();
  });

  it('without a refresh, the session expires at its idle deadline', async () => {
    const { clock, store } = setup(1);
    const jar = await begin(store);
    clock.advance(IDLE * 0.9);
    expect((await visit(store, jar)).setCookies).toEqual([]);
    clock.advance(IDLE * 0.1 + 1);
    const { session } = await visit(store, jar);
    expect(session.rejection?.reason).toBe('expired');
    expect(session.rejection?.detail).toBe('idle lifetime has passed');
  });

  it('never extends the absolute lifetime, however active the session', async () => {
    const { clock, store } = setup(0);
    const jar = await begin(store);
    const start = clock.seconds;
    let last = 0;
    while (clock.seconds - start < ABSOLUTE - 500) {
      clock.advance(500);
      const { session } = await visit(store, jar, (s) => s.set('user', `ada${clock.seconds}`));
      expect(session.rejection).toBeUndefined();
      last = session.cookie?.expiresAt.getTime() as number;
      expect(last).toBeLessThanOrEqual((start + ABSOLUTE) * 1000);
    }
    expect(last).toBe((start + ABSOLUTE) * 1000);
    clock.advance(start + ABSOLUTE + 1 - clock.seconds);
    const { session } = await visit(store, jar);
    expect(session.rejection?.reason).toBe('expired');
    expect(session.isNew).toBe(true);
  });

  it('gives the cookie a Max-Age matching the capped expiry', async () => {
    const { clock, store } = setup(0);
    const jar = await begin(store);
    clock.advance(3000);
    expect((await visit(store, jar)).setCookies[0]).toMatch(/; Max-Age=4000;/);
    clock.advance(3000);
    await visit(store, jar);
    clock.advance(3000);
    // 9000 s in: the idle deadline would be 13000, but the absolute one is 10000.
    expect((await visit(store, jar)).setCookies[0]).toMatch(/; Max-Age=1000;/);
  });
});

describe('re-seal after an old key', () => {
  it('re-seals an unchanged session sealed with a non-primary key, with the primary key', async () => {
    const clock = new Clock();
    const old = makeStore({ keys: keyEntry('old') }, clock);
    const jar: Jar = new Map();
    await visit(old, jar, (s) => s.set('user', 'ada'));
    expect(headerOf(jar.get('session') as string).kid).toMatch(/^old\./);

    const rotated = makeStore({ keys: `${keyEntry('new')},${keyEntry('old')}` }, clock);
    const first = await visit(rotated, jar);
    expect(first.session.get('user')).toBe('ada');
    expect(first.session.cookie?.keyId).toBe('new');
    expect(first.setCookies).toHaveLength(1);
    expect(headerOf(jar.get('session') as string).kid).toMatch(/^new\./);
    // Once moved, no more writes; and the old key can leave the ring.
    expect((await visit(rotated, jar)).setCookies).toEqual([]);
    const final = makeStore({ keys: keyEntry('new') }, clock);
    expect((await visit(final, jar)).session.get('user')).toBe('ada');
  });

  it('does not re-seal a session already under the primary key', async () => {
    const clock = new Clock();
    const store = makeStore({ keys: `${keyEntry('new')},${keyEntry('old')}` }, clock);
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.set('user', 'ada'));
    expect((await visit(store, jar)).setCookies).toEqual([]);
  });
});

describe('at the very end of the absolute lifetime', () => {
  it('a change accepted within the clock tolerance clears the cookie instead of writing a dead one', async () => {
    const clock = new Clock();
    const store = makeStore(
      { lifetime: { idleTimeout: 3600, absoluteTimeout: 3600, clockTolerance: 30 } },
      clock,
    );
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.set('a', 1));
    clock.advance(3610);
    const { session, setCookies } = await visit(store, jar, (s) => s.set('a', 2));
    expect(session.rejection).toBeUndefined();
    expect(setCookies).toHaveLength(1);
    expect(setCookies[0]).toMatch(/^session=; Max-Age=0;/);
    expect(setCookies.join()).not.toMatch(/Max-Age=-/);
    expect(jar.size).toBe(0);
  });
});

describe('lifetime defaults', () => {
  it('an idle timeout longer than the default absolute one is not silently capped', async () => {
    const clock = new Clock();
    const idle = 40 * 24 * 3600;
    const store = makeStore({ lifetime: { idleTimeout: idle } }, clock);
    const { session, setCookies } = await visit(store, new Map(), (s) => s.set('a', 1));
    expect(setCookies[0]).toContain(`; Max-Age=${idle};`);
    expect(session.cookie?.expiresAt.getTime()).toBe(clock.ms + idle * 1000);
  });
});
