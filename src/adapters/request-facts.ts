import type { IncomingMessage } from 'node:http';
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
}

/** What the session pipeline reads of a `node:http` request. */
export function nodeFacts(req: IncomingMessage): RequestFacts {
  return new NodeFacts(req);
}

/** What the session pipeline reads of a Fetch API Request. */
export function fetchFacts(request: Request): RequestFacts {
  return new FetchFacts(request);
}
