import type { IncomingMessage } from 'node:http';
import { CSRF_FIELD } from '../cross-site/token-check.js';
import type { RequestFacts } from '../session/port.js';

// Getters over the framework's request, so a request costs one small object and nothing is
// read (a fetch Request's `url` is serialised at every read) until a step asks for it.

class NodeFacts implements RequestFacts {
  readonly #req: IncomingMessage;
  constructor(req: IncomingMessage) {
    this.#req = req;
  }
  get cookie(): string | undefined {
    return this.#req.headers.cookie;
  }
  // Always set on a request a server received.
  get method(): string {
    return this.#req.method as string;
  }
  get url(): string {
    return this.#req.url as string;
  }
  get secure(): boolean {
    return (this.#req.socket as { encrypted?: boolean } | null)?.encrypted === true;
  }
  header(name: string): string | undefined {
    const value = this.#req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

class FetchFacts implements RequestFacts {
  readonly #request: Request;
  constructor(request: Request) {
    this.#request = request;
  }
  get cookie(): string | null {
    return this.#request.headers.get('cookie');
  }
  get method(): string {
    return this.#request.method;
  }
  get url(): string {
    return this.#request.url;
  }
  header(name: string): string | null {
    return this.#request.headers.get(name);
  }
  // Read from a clone, so the app still reads the body itself. Only a urlencoded form: a
  // multipart body may be large, and a script can send the header instead.
  async csrfField(): Promise<unknown> {
    const request = this.#request;
    const type = request.headers.get('content-type')?.toLowerCase() ?? '';
    if (!type.startsWith('application/x-www-form-urlencoded') || request.body === null) {
      return undefined;
    }
    if (request.bodyUsed) return undefined;
    try {
      const values = new URLSearchParams(await request.clone().text()).getAll(CSRF_FIELD);
      // A repeated field stays a list, which no token check accepts.
      return values.length > 1 ? values : values[0];
    } catch {
      return undefined;
    }
  }
}

/** What the session pipeline reads of a `node:http` request. */
export function nodeFacts(req: IncomingMessage): RequestFacts {
  return new NodeFacts(req);
}

/** What the session pipeline reads of a Fetch API Request. */
export function fetchFacts(request: Request): RequestFacts {
  return new FetchFacts(request);
}
