// A browser-like client of the fleet: one cookie jar, Set-Cookie applied as a browser would
// (deletions included), and a check of every answer against what the client itself wrote.
import { cookieHeaderFrom, headerOf, type Jar } from '../helpers/browser-jar.js';
import type { FleetNode } from './fleet-node.js';

export const COOKIE = 'fleet';
const LIST_MAX = 16;

/** What fleet-server.js answers. */
export interface FleetAnswer {
  readonly node: string;
  readonly sealingKey: string;
  readonly isNew: boolean;
  readonly rejection: string | null;
  readonly loadedKey: string | null;
  readonly data: { count?: number; list?: number[]; value?: string };
}

export interface Sent {
  readonly status: number;
  readonly setCookies: string[];
  readonly answer: FleetAnswer;
}

export class FleetClient {
  readonly jar: Jar = new Map();
  /** Increments the server confirmed: the counter must always equal this. */
  count = 0;
  requests = 0;
  /** Reads whose Set-Cookie re-sealed an old-key cookie under the new key. */
  reseals = 0;
  readonly problems: string[] = [];

  constructor(readonly name: string) {}

  async send(node: FleetNode, method: 'GET' | 'POST', path: string): Promise<Sent> {
    node.begin();
    try {
      const cookie = headerOf(this.jar);
      const response = await fetch(`${node.url}${path}`, {
        method,
        headers: cookie === '' ? {} : { cookie },
      });
      const setCookies = response.headers.getSetCookie();
      const text = await response.text();
      if (response.status !== 200) throw new Error(`status ${response.status}: ${text}`);
      const answer = JSON.parse(text) as FleetAnswer;
      cookieHeaderFrom(setCookies, this.jar);
      return { status: response.status, setCookies, answer };
    } finally {
      node.end();
    }
  }

  /**
   * One step of the workload: two increments, then a read. Anything unexpected is recorded,
   * not thrown, so the other clients and the rotation carry on and the test reports it all.
   */
  async step(node: FleetNode): Promise<void> {
    const read = this.requests % 3 === 2;
    const where = `${this.name} request ${this.requests} on ${node.name}`;
    try {
      const sent = await this.send(node, read ? 'GET' : 'POST', read ? '/read' : '/incr');
      const { answer } = sent;
      const expected = read ? this.count : this.count + 1;
      if (this.count > 0 && (answer.isNew || answer.rejection !== null)) {
        this.problems.push(
          `${where}: session lost (isNew ${answer.isNew}, rejection ${answer.rejection})`,
        );
      } else if (answer.data.count !== expected) {
        this.problems.push(`${where}: count ${answer.data.count}, expected ${expected}`);
      } else if (!sameList(answer.data.list, expected)) {
        this.problems.push(`${where}: list ${JSON.stringify(answer.data.list)} for ${expected}`);
      } else if (!read && !this.jar.has(COOKIE)) {
        this.problems.push(`${where}: the increment set no cookie`);
      } else {
        this.count = expected;
        if (read && sent.setCookies.length > 0 && answer.loadedKey !== answer.sealingKey) {
          this.reseals++;
        }
      }
    } catch (error) {
      this.problems.push(`${where}: ${String(error)}`);
    }
    this.requests++;
  }
}

function sameList(list: number[] | undefined, count: number): boolean {
  const from = Math.max(1, count - LIST_MAX + 1);
  const want = Array.from({ length: count - from + 1 }, (_, i) => from + i);
  return JSON.stringify(list ?? []) === JSON.stringify(want);
}

/** The key id in the `kid` of the token a jar holds (`<key id>.<window>`), or undefined. */
export function jarKeyId(jar: Jar): string | undefined {
  const value = jar.get(COOKIE);
  if (value === undefined) return undefined;
  // A chunked cookie's first value is `<count>~<first part>`.
  const encodedHeader = value.replace(/^\d+~/, '').split('.')[0] ?? '';
  const header = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8')) as {
    kid?: string;
  };
  return header.kid?.split('.')[0];
}
