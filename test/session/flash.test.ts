import { describe, expect, it } from 'vitest';
import type { Jar } from '../helpers/browser-jar.js';
import { Clock } from '../helpers/clock.js';
import { makeStore, visit } from '../helpers/store.js';

describe('flash', () => {
  it('is readable on the next request only, and the cookie is rewritten without it', async () => {
    const store = makeStore({}, new Clock());
    const jar: Jar = new Map();
    const setting = await visit(store, jar, (s) => {
      s.set('user', 'ada');
      s.flash('notice', 'Saved');
      // Not readable in the request that sets it.
      expect(s.getFlash('notice')).toBeUndefined();
    });
    expect(setting.setCookies).toHaveLength(1);

    const reading = await visit(store, jar, (s) => {
      expect(s.getFlash('notice')).toBe('Saved');
      expect(s.getFlash('notice')).toBe('Saved');
    });
    expect(reading.setCookies).toHaveLength(1);

    const after = await visit(store, jar, (s) => {
      expect(s.getFlash('notice')).toBeUndefined();
      expect(s.get('user')).toBe('ada');
    });
    expect(after.setCookies).toEqual([]);
  });

  it('is gone after one request even if nobody read it', async () => {
    const store = makeStore({}, new Clock());
    const jar: Jar = new Map();
    await visit(store, jar, (s) => {
      s.set('user', 'ada');
      s.flash('notice', { text: 'x', level: 1 });
    });
    expect((await visit(store, jar)).setCookies).toHaveLength(1);
    expect((await visit(store, jar)).session.getFlash('notice')).toBeUndefined();
  });

  it('travels alone: a flash-only session is written, then deleted once read', async () => {
    const store = makeStore({}, new Clock());
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.flash('error', 'Bad password'));
    expect(jar.size).toBe(1);
    const { session } = await visit(store, jar);
    expect(session.getFlash('error')).toBe('Bad password');
    expect(session.keys()).toEqual([]);
    expect(jar.size).toBe(0);
  });

  it('a flash set while reading one replaces it for the next request', async () => {
    const store = makeStore({}, new Clock());
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.flash('step', 1));
    await visit(store, jar, (s) => {
      expect(s.getFlash('step')).toBe(1);
      s.flash('step', 2);
    });
    expect((await visit(store, jar)).session.getFlash('step')).toBe(2);
  });

  it('does not leak prototype names', async () => {
    const store = makeStore({}, new Clock());
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.flash('a', 1));
    const { session } = await visit(store, jar);
    expect(session.getFlash('constructor')).toBeUndefined();
    expect(session.getFlash('__proto__')).toBeUndefined();
  });
});

describe('typed flash', () => {
  it('round-trips structured flash values of the store’s flash type', async () => {
    type Flash = { notice: string; error: { field: string; message: string } };
    const store = makeStore<{ user?: string }, Flash>({}, new Clock());
    const jar: Jar = new Map();
    await visit(store, jar, (s) => {
      s.flash('notice', 'Saved');
      s.flash('error', { field: 'email', message: 'taken' });
    });
    const { session } = await visit(store, jar);
    expect(session.getFlash('notice')).toBe('Saved');
    expect(session.getFlash('error')).toEqual({ field: 'email', message: 'taken' });
  });
});
