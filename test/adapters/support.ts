// Real servers on 127.0.0.1:0 and a client that carries cookies the way a browser would.
import { createHash } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { cookieHeaderFrom, headerOf, type Jar } from '../helpers/browser-jar.js';

export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

/** Listens on an ephemeral loopback port. */
export async function serve(listener: RequestListener | Server): Promise<Served> {
  const server = typeof listener === 'function' ? createServer(listener) : listener;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Starts a Fastify app on an ephemeral loopback port. */
export async function listenFastify(app: {
  listen(options: { port: number; host: string }): Promise<string>;
  close(): Promise<unknown>;
}): Promise<Served> {
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: async () => void (await app.close()) };
}

/** Serves a Hono app through @hono/node-server on an ephemeral loopback port. */
export function listenHono(app: { fetch: (request: Request) => Response | Promise<Response> }) {
  return serve(createAdaptorServer({ fetch: app.fetch }) as Server);
}

export interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: Headers;
  readonly setCookies: string[];
}

/** A client with its own cookie jar: Set-Cookie lines are applied, the Cookie header sent back. */
export class Browser {
  readonly jar: Jar = new Map();
  constructor(readonly base: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Answer> {
    const headers = new Headers(init.headers);
    const cookie = headerOf(this.jar);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(`${this.base}${path}`, { redirect: 'manual', ...init, headers });
    const body = await response.text();
    const setCookies = response.headers.getSetCookie();
    cookieHeaderFrom(setCookies, this.jar);
    return { status: response.status, body, headers: response.headers, setCookies };
  }
}

/** The Set-Cookie lines for cookie `name` (exact name). */
export function linesFor(setCookies: readonly string[], name: string): string[] {
  return setCookies.filter((line) => line.startsWith(`${name}=`));
}

/** The Set-Cookie lines for the session's cookie and its chunks. */
export function sessionLines(setCookies: readonly string[], name = 'session'): string[] {
  return setCookies.filter((line) => line.startsWith(`${name}=`) || line.startsWith(`${name}.`));
}

/** Incompressible filler, so a session really spans several cookies. */
export function noise(label: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) {
    out += createHash('sha256').update(`${label}${i}`).digest('base64url');
  }
  return out.slice(0, length);
}

/** Resolves on the next turn of the event loop after `fn` ran there, with what it threw. */
export function laterThrown(fn: () => unknown): Promise<unknown> {
  return new Promise((resolve) => {
    setImmediate(() => {
      try {
        fn();
        resolve(undefined);
      } catch (error) {
        resolve(error);
      }
    });
  });
}
