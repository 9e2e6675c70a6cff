// Versioned data: a cookie sealed before a deploy that changed the session's shape is migrated
// on read and written back; one that cannot be migrated or fails the schema is refused as
// `invalid-data`. Never a crash, never data of the wrong shape handed to the app.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { withSessionFetch } from '../../src/adapters/fetch.js';
import { SessionConfigError, SessionRejectedError } from '../../src/errors.js';
import {
  createSessionStore,
  type SessionEvent,
  type SessionStoreOptions,
} from '../../src/index.js';
import type { Jar } from '../helpers/browser-jar.js';
import { Clock } from '../helpers/clock.js';
import { makeStore, TEST_KEYS, thrown, visit } from '../helpers/store.js';

type V2 = { first?: string; last?: string };

function v2Store(clock: Clock, extra: { data?: Record<string, unknown> } = {}) {
  const events: SessionEvent[] = [];
  const rejections: SessionRejectedError[] = [];
  const store = createSessionStore<V2>({
    keys: TEST_KEYS,
    testing: { env: {}, now: clock.now },
    data: {
      version: 2,
      migrate(data: Record<string, unknown>, from: number) {
        if (from < 2) {
          const [first, ...rest] = String(data.name).split(' ');
          return { first, last: rest.join(' ') } as V2;
        }
        return data as V2;
      },
      ...(extra.data as object),
    },
    hooks: {
      onEvent: (e) => {
        events.push(e);
      },
      onRejection: (r) => {
        rejections.push(r);
      },
    },
  });
  return { store, events, rejections };
}

async function oldCookie(clock: Clock, data: Record<string, unknown>, version?: number) {
  const old = makeStore(
    version === undefined ? {} : ({ data: { version, schema: z.object({}).loose() } } as never),
    clock,
  );
  const jar: Jar = new Map();
  await visit(old, jar, (s) => {
    for (const [k, v] of Object.entries(data)) s.set(k, v as never);
  });
  return jar;
}

describe('data versions', () => {
  it('migrates an older cookie on read, writes it back once, and reports it', async () => {
    const clock = new Clock();
    const jar = await oldCookie(clock, { name: 'Ada King Lovelace' });
    const { store, events } = v2Store(clock);
    const first = await visit(store, jar);
    expect(first.session.rejection).toBeUndefined();
    expect(first.session.toJSON()).toEqual({ first: 'Ada', last: 'King Lovelace' });
    expect(first.setCookies).toHaveLength(1);
    expect(events).toEqual([
      { type: 'migrated', cookieName: 'session', fromVersion: 0, toVersion: 2 },
    ]);
    // Written back as version 2: read as it is, with no migration and no new cookie.
    const second = await visit(store, jar);
    expect(second.session.get('first')).toBe('Ada');
    expect(second.setCookies).toEqual([]);
    expect(events).toHaveLength(1);
  });

  it('writes a migrated cookie back even when the data comes out the same, so its version moves', async () => {
    const clock = new Clock();
    const jar = await oldCookie(clock, { first: 'Ada' });
    const events: SessionEvent[] = [];
    const store = makeStore<V2>(
      {
        data: { version: 3, migrate: (data) => data as V2 },
        hooks: {
          onEvent: (e) => {
            events.push(e);
          },
        },
      },
      clock,
    );
    expect((await visit(store, jar)).setCookies).toHaveLength(1);
    expect((await visit(store, jar)).setCookies).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['migrated']);
  });

  it('a migration that throws ends that session as invalid-data, with the token’s facts', async () => {
    const clock = new Clock();
    const jar = await oldCookie(clock, { name: 'Ada' });
    const { store, rejections } = v2Store(clock, {
      data: {
        migrate: () => {
          throw new Error('bad shape');
        },
      },
    });
    const { session, setCookies } = await visit(store, jar);
    expect(session.isNew).toBe(true);
    expect(session.toJSON()).toEqual({});
    expect(session.rejection).toBeInstanceOf(SessionRejectedError);
    expect(session.rejection?.reason).toBe('invalid-data');
    expect(session.rejection?.detail).toBe('migrate threw for data version 0');
    expect(session.rejection?.sealed?.keyId).toBe('k1');
    expect(rejections).toEqual([session.rejection]);
    // The refused cookie is cleared; nothing of it is sealed again.
    expect(setCookies.every((line) => line.startsWith('session=;'))).toBe(true);
  });

  it('never fails the request through an adapter, whatever migrate does', async () => {
    const clock = new Clock();
    const jar = await oldCookie(clock, { name: 'Ada' });
    for (const migrate of [
      () => {
        throw new Error('sync');
      },
      () => Promise.reject(new Error('async')),
      () => ({ when: new Date() }),
      () => [1, 2],
      () => null,
    ]) {
      const { store } = v2Store(clock, { data: { migrate } });
      const handler = withSessionFetch(store, (_req, s) =>
        Response.json({ reason: s.rejection?.reason ?? null, data: s.toJSON() }),
      );
      const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const response = await handler(new Request('http://x/', { headers: { cookie } }));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ reason: 'invalid-data', data: {} });
    }
  });

  it('accepts an async migration', async () => {
    const clock = new Clock();
    const jar = await oldCookie(clock, { name: 'Ada L' });
    const { store } = v2Store(clock, {
      data: {
        migrate: async (data: Record<string, unknown>) => ({
          first: String(data.name).slice(0, 3),
        }),
      },
    });
    expect((await visit(store, jar)).session.toJSON()).toEqual({ first: 'Ada' });
  });

  it('refuses a cookie of a newer version than the store knows, and leaves it in the browser', async () => {
    const clock = new Clock();
    const jar = await oldCookie(clock, { first: 'Ada' }, 5);
    const { store } = v2Store(clock);
    const { session, setCookies } = await visit(store, jar);
    expect(session.rejection?.reason).toBe('invalid-data');
    expect(session.rejection?.detail).toBe(
      "sealed with data version 5, newer than this store's 2: left in the browser for the deploy that wrote it",
    );
    expect(session.toJSON()).toEqual({});
    expect(setCookies).toEqual([]);
  });

  it('during a rolling deploy, an old process neither reads nor deletes the new cookie', async () => {
    const clock = new Clock();
    const newer = makeStore({ data: { version: 3, schema: z.object({}).loose() } } as never, clock);
    const { store: older } = v2Store(clock);
    const jar: Jar = new Map();
    await visit(newer, jar, (s) => s.set('first' as never, 'Ada' as never));
    const before = new Map(jar);
    // The browser meets an old process between two new ones.
    const atOld = await visit(older, jar);
    expect(atOld.session.rejection?.reason).toBe('invalid-data');
    expect(atOld.setCookies).toEqual([]);
    expect(jar).toEqual(before);
    const back = await visit(newer, jar);
    expect(back.session.rejection).toBeUndefined();
    expect(back.session.toJSON()).toEqual({ first: 'Ada' });
  });

  it('still lets an old process write over, or end, a newer cookie', async () => {
    const clock = new Clock();
    const newer = makeStore({ data: { version: 3, schema: z.object({}).loose() } } as never, clock);
    const { store: older } = v2Store(clock);
    for (const [name, act] of [
      ['set', (s: { set: (k: 'first', v: string) => void }) => s.set('first', 'Bob')],
      ['clear', (s: { clear: () => void }) => s.clear()],
      ['regenerate', (s: { regenerate: () => void }) => s.regenerate()],
      ['destroy', (s: { destroy: () => void }) => s.destroy()],
    ] as const) {
      const jar: Jar = new Map();
      await visit(newer, jar, (s) => s.set('first' as never, 'Ada' as never));
      const { setCookies } = await visit(older, jar, act as never);
      expect(setCookies, name).toHaveLength(1);
      if (name === 'set') {
        expect((await visit(older, jar)).session.toJSON()).toEqual({ first: 'Bob' });
      } else {
        expect(setCookies[0], name).toMatch(/^session=; Max-Age=0;/);
      }
    }
  });

  it('deletes a cookie whose data fails the schema, as any refused cookie', async () => {
    const clock = new Clock();
    const jar = await oldCookie(clock, { first: 42 }, 2);
    const { store } = v2Store(clock, { data: { schema: z.object({ first: z.string() }) } });
    const { session, setCookies } = await visit(store, jar);
    expect(session.rejection?.reason).toBe('invalid-data');
    expect(setCookies).toHaveLength(1);
    expect(setCookies[0]).toMatch(/^session=; Max-Age=0;/);
  });

  it('carries the version through store.seal and store.unseal', async () => {
    const clock = new Clock();
    const { store } = v2Store(clock);
    const token = await store.seal({ first: 'Ada' });
    expect(await store.unseal(token)).toEqual({ first: 'Ada' });
    const older = await makeStore({}, clock).seal({ name: 'Grace Hopper' });
    expect(await store.unseal(older)).toEqual({ first: 'Grace', last: 'Hopper' });
  });
});

describe('schema', () => {
  const Schema = z.object({
    userId: z.string().optional(),
    theme: z.enum(['dark', 'light']).default('light'),
  });

  it('hands the app the schema’s output, written back when it differs from the cookie', async () => {
    const clock = new Clock();
    const jar = await oldCookie(clock, { userId: 'u1' });
    const store = makeStore({ data: { schema: Schema } } as SessionStoreOptions, clock);
    const first = await visit(store, jar);
    expect(first.session.toJSON()).toEqual({ userId: 'u1', theme: 'light' });
    expect(first.setCookies).toHaveLength(1);
    expect((await visit(store, jar)).setCookies).toEqual([]);
  });

  it('refuses data that fails the schema as invalid-data, naming the path but not the value', async () => {
    const clock = new Clock();
    const jar = await oldCookie(clock, { userId: 'u1', theme: 'secret-purple' });
    const rejections: SessionRejectedError[] = [];
    const store = makeStore(
      {
        data: { schema: Schema },
        hooks: { onRejection: (r: SessionRejectedError) => rejections.push(r) },
      },
      clock,
    );
    const { session } = await visit(store, jar);
    expect(session.rejection?.reason).toBe('invalid-data');
    expect(session.rejection?.detail).toBe('schema refused the data at theme (1 issue)');
    expect(session.rejection?.message).not.toContain('secret-purple');
    expect(session.toJSON()).toEqual({});
    expect(rejections).toHaveLength(1);
  });

  it('validates migrated data too, and supports async schemas', async () => {
    const clock = new Clock();
    const jar = await oldCookie(clock, { name: 'Ada' });
    const Strict = z.object({ first: z.string(), last: z.string().min(1) });
    const { store } = v2Store(clock, { data: { schema: Strict } });
    const { session } = await visit(store, jar);
    expect(session.rejection?.detail).toBe('schema refused the data at last (1 issue)');

    const Async = z.object({ first: z.string() }).refine(async (d) => d.first === 'Ada');
    const jar2 = await oldCookie(clock, { name: 'Ada Lovelace' });
    const asyncStore = v2Store(clock, { data: { schema: Async } }).store;
    expect((await visit(asyncStore, jar2)).session.get('first')).toBe('Ada');
  });
});

describe('data shape options', () => {
  it('are checked at startup, each naming the setting', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { data: { version: 0, migrate: () => ({}) } },
        'data.version',
        'data.version: 0 is invalid: use a whole number from 1',
      ],
      [
        { data: { version: 1.5, migrate: () => ({}) } },
        'data.version',
        'data.version: 1.5 is invalid: use a whole number from 1',
      ],
      [
        { data: { migrate: () => ({}) } },
        'data.migrate',
        'data.migrate: needs `version`: the data version migrate brings older cookies up to',
      ],
      [{ data: { version: 2, migrate: 'x' } }, 'data.migrate', 'data.migrate: must be a function'],
      [
        { data: { version: 2 } },
        'data.version',
        'data.version: needs `migrate` or `schema`: without either, a cookie of an older version could only be refused',
      ],
      [
        { data: { schema: { parse() {} } } },
        'data.schema',
        'data.schema: must be a Standard Schema (zod, valibot, arktype…): no "~standard".validate',
      ],
    ];
    for (const [options, setting, message] of cases) {
      const error = thrown(() => makeStore(options)) as SessionConfigError;
      expect(error).toBeInstanceOf(SessionConfigError);
      expect(error.setting).toBe(setting);
      expect(error.message).toBe(message);
    }
  });
});
