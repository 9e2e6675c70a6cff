// Per-session lifetimes ("remember me"): a session shortens its own lifetimes, the choice is
// carried in its token, and every later request enforces it. Never beyond the store's.
import { parseSetCookie } from 'cookie';
import { describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/errors.js';
import type { SessionLifetimeOptions } from '../../src/session/lifetime.js';
import type { Jar } from '../helpers/browser-jar.js';
import { Clock } from '../helpers/clock.js';
import { forge } from '../helpers/forge.js';
import { makeStore, thrown, visit } from '../helpers/store.js';

const HOUR = 3600;
const DAY = 24 * HOUR;

function maxAgeOf(lines: readonly string[]): number | undefined {
  expect(lines).toHaveLength(1);
  return parseSetCookie(lines[0] as string).maxAge;
}

describe('session.options()', () => {
  it("reports the store's lifetimes until the session chooses its own", async () => {
    const store = makeStore({ lifetime: { idleTimeout: 2 * DAY, absoluteTimeout: 10 * DAY } });
    const session = await store.load('');
    expect(session.options()).toEqual({
      persistent: true,
      idleTimeout: 2 * DAY,
      absoluteTimeout: 10 * DAY,
    });
    expect(session.options({ idleTimeout: HOUR })).toEqual({
      persistent: true,
      idleTimeout: HOUR,
      absoluteTimeout: 10 * DAY,
    });
  });

  it('"remember me" off: a browser-session cookie whose short idle lifetime holds on every later request', async () => {
    const clock = new Clock();
    const store = makeStore({ lifetime: { clockTolerance: 0 } }, clock);
    const jar: Jar = new Map();
    const login = await visit(store, jar, (s) => {
      s.set('user', 'ada');
      s.options({ persistent: false, idleTimeout: HOUR });
    });
    expect(maxAgeOf(login.setCookies)).toBeUndefined();
    expect(login.session.cookie?.expiresAt.getTime()).toBe((clock.seconds + HOUR) * 1000);

    // A refresh is due at a quarter of the session's idle timeout (not the store's 7 days),
    // and the re-sealed token keeps both the short idle timeout and the missing Max-Age.
    clock.advance(HOUR / 4);
    const refreshed = await visit(store, jar);
    expect(maxAgeOf(refreshed.setCookies)).toBeUndefined();
    expect(refreshed.session.options()).toEqual({
      persistent: false,
      idleTimeout: HOUR,
      absoluteTimeout: 30 * DAY,
    });
    expect(refreshed.session.cookie?.expiresAt.getTime()).toBe((clock.seconds + HOUR) * 1000);

    clock.advance(HOUR + 1);
    const late = await visit(store, jar);
    expect(late.session.rejection?.reason).toBe('expired');
    expect(late.session.get('user')).toBeUndefined();
  });

  it('a shorter absolute lifetime ends an active session, however often it is refreshed', async () => {
    const clock = new Clock();
    const store = makeStore<{ user?: string; n?: number }>(
      { lifetime: { clockTolerance: 0, refreshAfter: 0 } },
      clock,
    );
    const jar: Jar = new Map();
    await visit(store, jar, (s) => {
      s.set('user', 'ada');
      s.options({ absoluteTimeout: 2 * HOUR });
    });
    const start = clock.seconds;
    for (let i = 0; i < 3; i++) {
      clock.advance(HOUR / 2);
      const { session, setCookies } = await visit(store, jar, (s) =>
        s.set('n', (s.get('n') ?? 0) + 1),
      );
      expect(session.get('user')).toBe('ada');
      expect(session.cookie?.expiresAt.getTime()).toBe((start + 2 * HOUR) * 1000);
      expect(maxAgeOf(setCookies)).toBe(start + 2 * HOUR - clock.seconds);
    }
    clock.advance(HOUR / 2 + 1);
    expect((await visit(store, jar)).session.rejection?.reason).toBe('expired');
  });

  it('a change of lifetime alone is written; an unchanged one is not', async () => {
    const store = makeStore();
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.set('user', 'ada'));
    expect(
      (await visit(store, jar, (s) => s.options({ idleTimeout: HOUR }))).setCookies,
    ).toHaveLength(1);
    expect((await visit(store, jar, (s) => s.options({ idleTimeout: HOUR }))).setCookies).toEqual(
      [],
    );
    expect((await visit(store, jar)).session.options().idleTimeout).toBe(HOUR);
  });

  it('holds across regenerate() and is forgotten by destroy()', async () => {
    const store = makeStore();
    const session = await store.load('');
    session.options({ idleTimeout: HOUR });
    session.regenerate();
    expect(session.options().idleTimeout).toBe(HOUR);
    session.destroy();
    session.regenerate();
    expect(session.options().idleTimeout).toBe(7 * DAY);
  });

  it('refuses to outlive the store, naming the setting and the limit', async () => {
    const store = makeStore({ lifetime: { idleTimeout: DAY, absoluteTimeout: 2 * DAY } });
    const session = await store.load('');
    const idle = thrown(() => session.options({ idleTimeout: DAY + 1 })) as SessionConfigError;
    expect(idle).toBeInstanceOf(SessionConfigError);
    expect(idle.code).toBe('ERR_SESSION_CONFIG');
    expect(idle.setting).toBe('session.options({ idleTimeout })');
    expect(idle.message).toBe(
      "session.options({ idleTimeout }): 86401 is longer than the store's idleTimeout (86400): " +
        'a session can shorten its lifetimes, never extend them; raise the store option instead',
    );
    const absolute = thrown(() =>
      session.options({ absoluteTimeout: 3 * DAY }),
    ) as SessionConfigError;
    expect(absolute.setting).toBe('session.options({ absoluteTimeout })');
    expect((thrown(() => session.options({ idleTimeout: 10 })) as Error).message).toContain(
      '10 is invalid',
    );
    const browserOnly = makeStore({ cookie: { secure: true }, lifetime: { persistent: false } });
    const s = await browserOnly.load('');
    const persistent = thrown(() => s.options({ persistent: true })) as SessionConfigError;
    expect(persistent.setting).toBe('session.options({ persistent })');
    expect(persistent.message).toContain('never extend');
    // Nothing was changed by a refused call.
    expect(session.options()).toEqual({
      persistent: true,
      idleTimeout: DAY,
      absoluteTimeout: 2 * DAY,
    });
  });

  it('refuses a member it does not know, naming the nearest (issue 23, finding 4)', async () => {
    // A typo on the "remember me" unchecked path would keep the store's persistent cookie.
    const clock = new Clock();
    const store = makeStore({}, clock);
    const cases: [object, string, string][] = [
      [{ persistant: false }, 'persistant', 'persistent'],
      [{ idleTimout: 600 }, 'idleTimout', 'idleTimeout'],
      [{ maxAge: 600 }, 'maxAge', 'idleTimeout'],
      [{ absolute: 600 }, 'absolute', 'absoluteTimeout'],
      // A name only the store knows is no nearer: nothing outside this list is suggested.
      [{ secret: 'x' }, 'secret', 'persistent'],
    ];
    for (const [options, name, suggestion] of cases) {
      const { session, setCookies } = await visit(store, new Map(), (s) => {
        s.set('user', 'ada');
        const error = thrown(() => s.options(options as SessionLifetimeOptions));
        expect(error).toBeInstanceOf(SessionConfigError);
        expect((error as SessionConfigError).setting).toBe(`session.options({ ${name} })`);
        expect((error as Error).message).toBe(
          `session.options({ ${name} }): is not an option: did you mean "${suggestion}"? ` +
            'The options are persistent, idleTimeout, absoluteTimeout',
        );
      });
      // Nothing was chosen: the cookie keeps the store's lifetime, and says so.
      expect(session.options()).toEqual({
        persistent: true,
        idleTimeout: 7 * DAY,
        absoluteTimeout: 30 * DAY,
      });
      expect(maxAgeOf(setCookies)).toBe(7 * DAY);
    }
    // Known members beside an unknown one change nothing either: the call is refused whole.
    const session = await store.load('');
    thrown(() =>
      session.options({ idleTimeout: HOUR, persistant: false } as SessionLifetimeOptions),
    );
    expect(session.options().idleTimeout).toBe(7 * DAY);
    // An odd name is quoted, so it cannot break the message's line.
    const odd = thrown(() =>
      session.options({ 'persistent\r\n\u202e': false } as SessionLifetimeOptions),
    ) as SessionConfigError;
    expect(odd.setting).toBe('session.options({ "persistent\\r\\n\\u202e" })');
  });

  it('refuses a value not of its type, showing what it was given', async () => {
    const session = await makeStore().load('');
    const cases: [object, string][] = [
      [
        { persistent: 'false' },
        'session.options({ persistent }): "false" is invalid: use true or false',
      ],
      [{ persistent: 0 }, 'session.options({ persistent }): 0 is invalid: use true or false'],
      [{ persistent: null }, 'session.options({ persistent }): null is invalid: use true or false'],
      [
        { idleTimeout: '600' },
        'session.options({ idleTimeout }): "600" is invalid: use whole seconds from 60',
      ],
      [
        { absoluteTimeout: 600.5 },
        'session.options({ absoluteTimeout }): 600.5 is invalid: use whole seconds from 60',
      ],
      [
        { idleTimeout: [600] },
        'session.options({ idleTimeout }): an array is invalid: use whole seconds from 60',
      ],
    ];
    for (const [options, message] of cases) {
      expect(
        (thrown(() => session.options(options as SessionLifetimeOptions)) as Error).message,
      ).toBe(message);
    }
    expect(
      (thrown(() => session.options([] as SessionLifetimeOptions)) as SessionConfigError).message,
    ).toContain('takes an object');
    expect(session.options()).toEqual(
      await makeStore()
        .load('')
        .then((s) => s.options()),
    );
  });

  it("applies the store's bound to a choice read from a token: a lowered store limit wins", async () => {
    const clock = new Clock();
    const jar: Jar = new Map();
    await visit(makeStore({}, clock), jar, (s) => {
      s.set('user', 'ada');
      s.options({ idleTimeout: 3 * HOUR });
    });
    const lowered = makeStore({ lifetime: { idleTimeout: HOUR } }, clock);
    const { session } = await visit(lowered, jar);
    expect(session.options().idleTimeout).toBe(HOUR);
  });

  it('refuses a token whose optional claims (lifetimes, data version) are not of their type, as malformed', async () => {
    const clock = new Clock();
    const store = makeStore({}, clock);
    const now = clock.seconds;
    for (const bad of [
      { idl: '3600' },
      { abs: -1 },
      { per: 'no' },
      { idl: 1.5 },
      { v: 0 },
      { v: '2' },
    ]) {
      const token = await forge(store, {
        pur: 'session',
        iat: now,
        exp: now + HOUR,
        ori: now,
        ...bad,
        d: { user: 'ada' },
      } as never);
      const session = await store.load(`session=${token}`);
      expect(session.rejection?.reason).toBe('malformed');
    }
  });

  it('enforces an absolute lifetime claim on read even when exp says otherwise', async () => {
    const clock = new Clock();
    const store = makeStore({ lifetime: { clockTolerance: 0 } }, clock);
    const now = clock.seconds;
    const token = await forge(store, {
      pur: 'session',
      iat: now,
      exp: now + 5 * HOUR,
      ori: now - 2 * HOUR,
      abs: HOUR,
      d: { user: 'ada' },
    } as never);
    const session = await store.load(`session=${token}`);
    expect(session.rejection?.reason).toBe('expired');
    expect(session.rejection?.detail).toBe('absolute lifetime has passed');
    expect(session.rejection?.sealed?.expiresAt).toEqual(new Date((now - HOUR) * 1000));
  });
});
