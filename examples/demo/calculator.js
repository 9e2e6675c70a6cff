// What the demo's routes compute and say, shared by every example app on the demo contract
// (examples/demo and every framework example), so they give the same
// answers. Each app only wires these to its framework.

/** Form posts here are a few numbers or one note; anything bigger is refused before parsing. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * A Fetch API Request's body as a urlencoded form, or undefined once it passes MAX_BODY_BYTES
 * (by its Content-Length, or while it is read: the rest is not read), so the caller answers
 * 413. Any other body is read the same way, as the plain demo does. For the examples whose
 * framework hands them a Request (Next.js, SvelteKit, Astro, React Router); a body that cannot
 * be read rejects.
 */
export async function readFetchForm(request) {
  if (Number(request.headers.get('content-length')) > MAX_BODY_BYTES) return undefined;
  if (!request.body) return new URLSearchParams();
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  // Pages show session contents: never cache them, and allow no script at all.
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
};

export const JSON_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/** The page for a request body over MAX_BODY_BYTES: status 413. */
export const BODY_TOO_LARGE = {
  title: 'Request too large',
  message: `The form data is over ${MAX_BODY_BYTES / 1024} KB; nothing was read or saved.`,
};

/** The methods each path answers, for 405 and its Allow header. */
export const ALLOWED = {
  '/': 'GET',
  '/result': 'GET',
  '/calculate': 'POST',
  '/notes': 'POST',
  '/login': 'POST',
  '/logout': 'POST',
  '/logout-everywhere': 'POST',
  '/session.json': 'GET',
};

/** The Allow value for a known path, or undefined for an unknown one. */
export function allowedFor(pathname) {
  return Object.hasOwn(ALLOWED, pathname) ? ALLOWED[pathname] : undefined;
}

// A decimal number as people type it: 12, -3.5, .5, 1e3. Number() alone would also take
// "0x1f", "" and " " (as 31, 0 and 0), which nobody means in a calculator.
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

function parseNumber(form, name) {
  const text = form.get(name)?.trim();
  if (!text) return { error: `${name} is missing: enter a number.` };
  if (!DECIMAL.test(text)) return { error: `${name} is not a number: ${JSON.stringify(text)}.` };
  const value = Number(text);
  if (!Number.isFinite(value)) return { error: `${name} is too large: ${text}.` };
  return { value };
}

/**
 * POST /calculate's form (URLSearchParams) as the calculation to store, or the problem to
 * answer with a 400 (the session is then left alone).
 */
export function calculate(form) {
  const a = parseNumber(form, 'a');
  const b = parseNumber(form, 'b');
  const problem = a.error ?? b.error;
  if (problem) return { problem };
  const results = {
    sum: a.value + b.value,
    difference: a.value - b.value,
    product: a.value * b.value,
    // JSON has no Infinity: "no quotient" is stored as null.
    quotient: b.value === 0 ? null : a.value / b.value,
  };
  if (Object.values(results).some((v) => v !== null && !Number.isFinite(v))) {
    return { problem: 'The result is too large to compute.' };
  }
  return { calculation: { a: a.value, b: b.value, ...results, at: new Date().toISOString() } };
}

/** POST /notes's form as the note to add, or the problem to answer with a 400. */
export function readNote(form) {
  const note = form.get('note')?.trim();
  return note ? { note } : { problem: 'note is missing: write something.' };
}

/** The 413 page's text when a note would take the session past its limit. */
export function sessionFull(error, notes) {
  const count = notes?.length ?? 0;
  return {
    title: 'Session full',
    message:
      `This note would make the session cookie ${error.size} bytes, over its ${error.limit}-byte limit, ` +
      `so it was not saved. Your ${count === 1 ? 'note is' : `${count} notes are`} unchanged; ` +
      '"Forget me" starts over.',
  };
}

// A user name as the sign-in form takes it: short, and nothing a log, a URL or a Redis key
// would have to escape.
const USER = /^[A-Za-z0-9_-]{1,64}$/;

/** POST /login's form as the user to sign in, or the problem to answer with a 400. */
export function readUser(form) {
  const user = form.get('user');
  if (!user) return { problem: 'user is missing: enter a name to sign in as.' };
  if (!USER.test(user)) {
    return {
      problem: 'user must be 1 to 64 letters, digits, "_" or "-" (no spaces or other characters).',
    };
  }
  return { user };
}

/**
 * Signs the browser in as `user`, the one call the library asks for at sign-in: a new session
 * id (the one a copied cookie carried is ended), the calculation and notes kept, and the user
 * named as the session's subject (what "sign out everywhere" ends). `user` in the data is
 * what the pages and /session.json show.
 */
export function signIn(session, user) {
  session.regenerate({ subject: user, keepData: true });
  session.set('user', user);
}

/**
 * A "remember me" box on any form that posts one (sign-in is where it belongs): the hidden "0"
 * plus the checkbox's "1" tells unchecked from absent. Absent keeps the session's choice,
 * which the token carries, so forms without the box do not reset it. Apply it after anything
 * that can still fail, so a refused form changes nothing.
 */
export function remember(session, form) {
  const values = form.getAll('remember');
  if (values.length > 0) session.options({ persistent: values.includes('1') });
}

/**
 * The page for "sign out everywhere" when the revocation store could not take it (Redis
 * away): nothing changed, so the user tries again rather than believing the other browsers
 * are signed out. 424: the request failed because the store it depends on did.
 */
export const EVERYWHERE_FAILED = {
  status: 424,
  title: 'Not signed out everywhere',
  message:
    'The other browsers could not be signed out just now (the revocation store did not ' +
    'answer). Nothing was changed; try again in a moment.',
};

/** The 404 and 405 pages' text. */
export const notFound = (pathname) => ({
  title: 'Not found',
  message: `There is no page ${pathname}.`,
});
export const methodNotAllowed = (pathname, allow) => ({
  title: 'Method not allowed',
  message: `Use ${allow} for ${pathname}.`,
});

/** Reads PORT (0 to 65535), or exits with a message naming it. */
export function listenPort(text, app) {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    console.error(`${app}: PORT must be a number from 0 to 65535, not ${text}`);
    process.exit(1);
  }
  return port;
}
