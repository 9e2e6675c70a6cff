// Switching from iron-session without logging anyone out: real iron-session 8 cookies, set by
// getIronSession on a real server, adopted by migrateIronSession on another.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getIronSession } from 'iron-session';
import { afterEach, describe, expect, it } from 'vitest';
import { type SessionRequest, withSession } from '../../src/adapters/node.js';
import { migrateIronSession } from '../../src/migrate/iron-session.js';
import { Browser, type Served, serve, sessionLines } from '../adapters/support.js';
import { makeStore } from '../helpers/store.js';

type Data = { user?: string; roles?: string[] };
const PASSWORD = 'an iron-session password of at least 32 characters, for the test';
const IRON = { password: PASSWORD, cookieName: 'iron', cookieOptions: { secure: false } };

const servers: Served[] = [];
afterEach(async () => {
  for (const served of servers.splice(0)) await served.close();
});

/** The old app: iron-session 8 writes `data` into its cookie on GET /login. */
async function oldApp(): Promise<Served> {
  const served = await serve(async (req: IncomingMessage, res: ServerResponse) => {
    const session = await getIronSession<Data>(req, res, IRON);
    session.user = 'ann';
    session.roles = ['admin'];
    await session.save();
    res.end('ok');
  });
  servers.push(served);
  return served;
}

/** The new app: every request adopts the old cookie, then shows the session. */
async function newApp(source: Parameters<typeof migrateIronSession>[2] = IRON): Promise<Served> {
  const store = makeStore<Data>();
  const served = await serve(
    withSession(store, async (req: SessionRequest<Data>, res, session) => {
      for (const line of await migrateIronSession(session, req.headers.cookie, source)) {
        res.appendHeader('set-cookie', line);
      }
      if (req.url === '/rename') session.set('user', 'bob');
      res.end(JSON.stringify(session.toJSON()));
    }),
  );
  servers.push(served);
  return served;
}

/** A browser that logged in on the old app, now pointed at the new one. */
async function ironBrowser(newUrl: string): Promise<Browser> {
  const old = new Browser((await oldApp()).url);
  await old.request('/login');
  expect([...old.jar.keys()]).toEqual(['iron']);
  const user = new Browser(newUrl);
  for (const [name, value] of old.jar) user.jar.set(name, value);
  return user;
}

describe('migrateIronSession', () => {
  it('copies an iron-session 8 cookie into our session once, and deletes the old cookie', async () => {
    const served = await newApp();
    const user = await ironBrowser(served.url);
    const first = await user.request('/');
    expect(JSON.parse(first.body)).toEqual({ user: 'ann', roles: ['admin'] });
    expect(sessionLines(first.setCookies)).toHaveLength(1);
    expect(first.setCookies).toContain('iron=; Path=/; Max-Age=0');
    expect([...user.jar.keys()]).toEqual(['session']);
    // From now on our cookie alone carries the session.
    expect(JSON.parse((await user.request('/')).body)).toEqual({ user: 'ann', roles: ['admin'] });
  });

  it('never lets a stale iron-session cookie overwrite a session of ours', async () => {
    const served = await newApp();
    const user = await ironBrowser(served.url);
    const iron = user.jar.get('iron') as string;
    await user.request('/'); // adopted: our cookie now
    await user.request('/rename'); // and changed since
    // The old cookie comes back (another tab, a restored profile): it must not win.
    user.jar.set('iron', iron);
    const again = await user.request('/');
    expect(again.setCookies).toEqual(['iron=; Path=/; Max-Age=0']); // ours untouched
    expect(JSON.parse(again.body)).toEqual({ user: 'bob', roles: ['admin'] });
  });

  it('copies nothing from a cookie iron-session cannot open, deletes it, and never throws', async () => {
    const served = await newApp({
      ...IRON,
      password: 'another password of at least 32 characters!!',
    });
    const user = await ironBrowser(served.url);
    const answer = await user.request('/');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({});
    expect(answer.setCookies).toContain('iron=; Path=/; Max-Age=0');

    const forged = await fetch(`${served.url}/`, {
      headers: { cookie: 'iron=Fe26.2**garbage*%%' },
    });
    expect(forged.status).toBe(200);
    expect(await forged.text()).toBe('{}');
  });

  it('opens cookies sealed under any password of an iron-session password map', async () => {
    const served = await newApp({
      ...IRON,
      password: { 2: 'a newer password of at least 32 characters.', 1: PASSWORD },
    });
    const user = await ironBrowser(served.url);
    expect(JSON.parse((await user.request('/')).body)).toEqual({ user: 'ann', roles: ['admin'] });
  });

  it('leaves a request without the old cookie alone', async () => {
    const served = await newApp();
    const answer = await fetch(`${served.url}/`, { headers: { cookie: 'other=1' } });
    expect(answer.headers.getSetCookie()).toEqual([]);
    expect(await answer.text()).toBe('{}');
  });
});
