import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SessionCrossSiteError } from '../errors.js';

/**
 * The one answer to a request the cross-site check refused, in every entry: 403, a short text
 * saying why in general terms (the detail, which may quote the Origin, is for the server's
 * log: NODE_DEBUG and `onEvent`), never cached, and no session cookie.
 */
export const CROSS_SITE_STATUS = 403;
const CROSS_SITE_HEADERS = {
  'Content-Type': 'text/plain; charset=utf-8',
  'Cache-Control': 'no-store',
} as const;

export function crossSiteBody(refusal: SessionCrossSiteError): string {
  return refusal.reason === 'token-required' || refusal.reason === 'token-invalid'
    ? 'Forbidden: this request needs a valid CSRF token (the _csrf form field or the x-csrf-token header).\n'
    : "Forbidden: cross-site request refused. Submit the form from this site's own page.\n";
}

/** The refusal on Node (node, express, and Fastify's raw reply). */
export function sendCrossSite403(refusal: SessionCrossSiteError, res: ServerResponse): void {
  const body = crossSiteBody(refusal);
  res.writeHead(CROSS_SITE_STATUS, {
    ...CROSS_SITE_HEADERS,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** The refusal as a Fetch API Response (fetch, hono, next). */
export function fetch403(refusal: SessionCrossSiteError): Response {
  return new Response(crossSiteBody(refusal), {
    status: CROSS_SITE_STATUS,
    headers: CROSS_SITE_HEADERS,
  });
}

/**
 * The default answer to a failed request on Node: logs the error (our errors carry no
 * secrets; the app's are its own) and sends a bare 500, or, when the headers are already out,
 * ends the connection so the client sees a broken response rather than a complete-looking one.
 */
export function sendDefault500(error: unknown, res: ServerResponse): void {
  console.error('jwe-session: request failed:', error);
  if (res.headersSent) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  const body = 'Internal Server Error\n';
  res.writeHead(500, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

/** A failed request on Node, answered by the app's `onError`, or if it has none (or it fails) the default. */
export async function answerNodeFailure(
  error: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  onError: ((error: unknown, req: IncomingMessage, res: ServerResponse) => unknown) | undefined,
): Promise<void> {
  try {
    if (onError) await onError(error, req, res);
    else sendDefault500(error, res);
  } catch (failure) {
    // onError itself failed: fall back to the default rather than hang the client.
    sendDefault500(failure, res);
  }
}

/** The default answer of the Fetch API wrappers to a failed request: the error logged, a bare 500. */
export function fetch500(error: unknown): Response {
  console.error('jwe-session: request failed:', error);
  return new Response('Internal Server Error\n', {
    status: 500,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

/** A failed request of a Fetch API wrapper, answered by the app's `onError`, or the default. */
export async function answerFetchFailure(
  error: unknown,
  request: Request,
  onError: ((error: unknown, request: Request) => Response | Promise<Response>) | undefined,
): Promise<Response> {
  if (!onError) return fetch500(error);
  try {
    return await onError(error, request);
  } catch (failure) {
    return fetch500(failure);
  }
}
