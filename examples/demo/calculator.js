// What the demo's routes compute and say, shared by every example app on the demo contract
// (examples/demo, examples/fastify, examples/hono, examples/next), so they give the same
// answers. Each app only wires these to its framework.

/** Form posts here are a few numbers or one note; anything bigger is refused before parsing. */
export const MAX_BODY_BYTES = 16 * 1024;

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
  '/logout': 'POST',
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
