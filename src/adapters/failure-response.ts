import type { IncomingMessage, ServerResponse } from 'node:http';

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
