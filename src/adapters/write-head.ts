import type { OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * Moves the headers passed to a held `res.writeHead(status, [reason], headers)` call onto the
 * response with `setHeader`, the way Node's own writeHead does when headers were already set,
 * and returns the call's arguments without them. Our Set-Cookie values are appended after
 * this: passed to writeHead as they were, the app's Set-Cookie would replace ours.
 */
export function moveHeadHeaders(res: ServerResponse, args: unknown[]): unknown[] {
  const [status, second, third] = args;
  const reason = typeof second === 'string' ? second : undefined;
  const headers = (reason === undefined ? second : third) as
    | OutgoingHttpHeaders
    | OutgoingHttpHeader[]
    | undefined
    | null;
  if (!headers) return args;
  if (Array.isArray(headers)) {
    // A flat [name, value, name, value] list may repeat a name; keep every value, as Node does.
    const grouped = new Map<string, { name: string; values: string[] }>();
    for (let i = 0; i + 1 < headers.length; i += 2) {
      const name = String(headers[i]);
      const value = headers[i + 1];
      if (!name || value === undefined) continue;
      const entry = grouped.get(name.toLowerCase()) ?? { name, values: [] };
      entry.values.push(...(Array.isArray(value) ? value.map(String) : [String(value)]));
      grouped.set(name.toLowerCase(), entry);
    }
    for (const { name, values } of grouped.values()) {
      res.setHeader(name, values.length === 1 ? (values[0] as string) : values);
    }
  } else {
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      if (name && value !== undefined) res.setHeader(name, value);
    }
  }
  return reason === undefined ? [status] : [status, reason];
}
