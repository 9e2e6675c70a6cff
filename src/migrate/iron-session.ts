/**
 * Moving from iron-session without logging anyone out: `migrateIronSession` reads its cookie
 * once and the session goes on in ours.
 *
 * @module jwe-session/iron-session
 */
import { scanCookies } from '../cookie/cookie-scan.js';
import { SessionConfigError } from '../errors.js';
import type { Session } from '../session/session.js';

/** The iron-session cookie to adopt, described with iron-session's own settings. */
export interface IronSessionSource {
  /** iron-session's `password`: the text, or its `{ id: password }` map during a rotation. */
  readonly password: string | Readonly<Record<string, string>>;
  /** iron-session's `cookieName`. */
  readonly cookieName: string;
  /** iron-session's `ttl`, in seconds. Default 14 days, as in iron-session. */
  readonly ttl?: number;
  /** The old cookie's path, so that its deletion reaches it. Default '/'. */
  readonly path?: string;
  /** The old cookie's domain, if it had one. Default none (host-only). */
  readonly domain?: string;
}

type Unseal = (
  seal: string,
  options: { password: IronSessionSource['password']; ttl: number },
) => Promise<Record<string, unknown>>;

const FOURTEEN_DAYS = 14 * 24 * 3600;
let ironSession: Promise<{ unsealData: Unseal }> | undefined;

function loadIronSession(): Promise<{ unsealData: Unseal }> {
  // An optional peer: imported only by an app that migrates, never by the library itself.
  ironSession ??= (import('iron-session') as Promise<{ unsealData: Unseal }>).catch(
    (error: unknown) => {
      ironSession = undefined;
      throw new SessionConfigError(
        'iron-session',
        `migrateIronSession could not import iron-session (${String((error as Error)?.message ?? error)}): ` +
          'keep iron-session 8 installed in the app until every old cookie has expired',
      );
    },
  );
  return ironSession;
}

/**
 * Adopts an iron-session 8 cookie, so that switching libraries logs nobody out. Call it in
 * the handler with the session and the request's Cookie header: when the session is new and
 * the header holds the old cookie, that cookie is opened once with iron-session's own
 * `unsealData` and its data copied into the session (which the adapter then seals as ours).
 * Returns the Set-Cookie line that deletes the old cookie, to append to the response; none
 * when there was no old cookie. A cookie iron-session cannot open (expired, forged, another
 * password) copies nothing and is deleted all the same: never an error for the app.
 *
 * The copied data is iron-session's as it was: a store's `data.schema` checks it from the next
 * request on, when the session is read from our cookie.
 *
 * Keep it, and iron-session, until the old `ttl` has passed since the switch.
 */
export async function migrateIronSession<T, F>(
  session: Session<T, F>,
  cookieHeader: string | null | undefined,
  source: IronSessionSource,
): Promise<string[]> {
  if (typeof source?.cookieName !== 'string' || source.cookieName === '') {
    throw new SessionConfigError(
      'cookieName',
      'must be the iron-session cookie name, as iron-session was configured',
    );
  }
  const sealed = scanCookies(cookieHeader ?? '', [source.cookieName])?.[source.cookieName];
  if (sealed === undefined) return [];
  // A session of ours already came in: the old cookie is stale, and must not overwrite it.
  if (session.isNew && sealed !== '')
    await copy(session, sealed, source, (await loadIronSession()).unsealData);
  const domain = source.domain === undefined ? '' : `; Domain=${source.domain}`;
  return [`${source.cookieName}=; Path=${source.path ?? '/'}${domain}; Max-Age=0`];
}

async function copy<T, F>(
  session: Session<T, F>,
  sealed: string,
  source: IronSessionSource,
  unsealData: Unseal,
) {
  // iron-session answers {} for what a browser may send (expired, forged, another password)
  // and throws only for its own configuration (a password under 32 characters): let that show.
  const data = await unsealData(decode(sealed), {
    password: source.password,
    ttl: source.ttl ?? FOURTEEN_DAYS,
  });
  const loose = session as unknown as Session<Record<string, unknown>>;
  try {
    for (const [key, value] of Object.entries(data ?? {})) loose.set(key, value as never);
  } catch {
    loose.clear(); // all of it or none: a half-copied session would be data of the wrong shape
  }
}

/** iron-session writes its seal through `encodeURIComponent`, which leaves it as it is; be lenient. */
function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
