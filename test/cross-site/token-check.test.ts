// When a token counts (issue 25): it settles a `token-required` refusal (neither Sec-Fetch-Site
// nor Origin, with `token` on) and nothing else. A request the headers show as cross-site stays
// refused with the right token, as in Go.
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCrossSite } from '../../src/cross-site/cross-site-guard.js';
import { parseCrossSiteOptions } from '../../src/cross-site/cross-site-options.js';
import { type CsrfKey, csrfToken, deriveCsrfKey } from '../../src/cross-site/csrf-token.js';
import { CSRF_FIELD, CSRF_HEADER, settleWithToken } from '../../src/cross-site/token-check.js';
import { keyBytesFor } from '../helpers/keys.js';
import { request } from './support.js';

const SID = 'c2Vzc2lvbi1pZC1vbmUhIQ';
const OTHER_SID = 'b3RoZXItc2Vzc2lvbi1pZA';
let keys: CsrfKey[];
let token: string;

beforeAll(async () => {
  const base = await crypto.subtle.importKey(
    'raw',
    keyBytesFor('k1') as BufferSource,
    'HKDF',
    false,
    ['deriveKey'],
  );
  keys = [await deriveCsrfKey(base, 'k1')];
  token = await csrfToken(keys[0] as CsrfKey, SID);
});

const settings = parseCrossSiteOptions({ token: true });
if (settings === false) throw new Error('expected settings');

/** The header check, then the token, as the store will run them. */
async function check(
  headers: Record<string, string | undefined>,
  field?: unknown,
  session: { readonly sessionId: string | undefined } = { sessionId: SID },
) {
  const r = request('POST', { host: 'example.com', ...headers });
  if (settings === false) throw new Error('expected settings');
  const refusal = await settleWithToken(checkCrossSite(r, settings), r, {
    keys,
    sessionId: session.sessionId,
    field,
  });
  return refusal?.reason ?? 'allow';
}

describe('settleWithToken', () => {
  it('names the header and the field', () => {
    expect(CSRF_HEADER).toBe('x-csrf-token');
    expect(CSRF_FIELD).toBe('_csrf');
  });

  it("lifts token-required with this session's token, in the header or the form field", async () => {
    expect(await check({})).toBe('token-required');
    expect(await check({ [CSRF_HEADER]: token })).toBe('allow');
    expect(await check({}, token)).toBe('allow');
  });

  it('takes the header over the field', async () => {
    expect(await check({ [CSRF_HEADER]: 'v1.k1.AAAAAAAAAAAAAAAAAAAAAA' }, token)).toBe(
      'token-invalid',
    );
    expect(await check({ [CSRF_HEADER]: token }, 'garbage')).toBe('allow');
  });

  it('refuses a wrong token as token-invalid, and keeps token-required when none came', async () => {
    expect(await check({}, 'v1.k1.AAAAAAAAAAAAAAAAAAAAAA')).toBe('token-invalid');
    expect(await check({}, [token])).toBe('token-invalid');
    expect(await check({}, token, { sessionId: OTHER_SID })).toBe('token-invalid');
    expect(await check({ [CSRF_HEADER]: '' })).toBe('token-required');
    expect(await check({}, '')).toBe('token-required');
    expect(await check({}, null)).toBe('token-required');
  });

  it('refuses a token when the request has no session to bind it to', async () => {
    expect(await check({}, token, { sessionId: undefined })).toBe('token-invalid');
    const r = request('POST', { host: 'example.com', [CSRF_HEADER]: token });
    const refusal = await settleWithToken(checkCrossSite(r, settings), r, {
      keys,
      sessionId: undefined,
    });
    expect(refusal?.detail).toMatch(/no session/);
    expect(await check({}, undefined, { sessionId: undefined })).toBe('token-required');
  });

  it('never lifts a refusal the headers gave, whatever the token', async () => {
    for (const headers of [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
    ]) {
      const reason = await check({ ...headers, [CSRF_HEADER]: token }, token);
      expect(reason).not.toBe('allow');
      expect(reason).not.toMatch(/^token-/);
    }
  });

  it('leaves an allowed request allowed, with or without a token', async () => {
    expect(await check({ 'sec-fetch-site': 'same-origin' })).toBe('allow');
    expect(await check({ 'sec-fetch-site': 'same-origin' }, 'garbage')).toBe('allow');
    expect(await check({ origin: 'https://example.com' }, 'garbage')).toBe('allow');
  });
});
