import type { FastifyReply } from 'fastify';

/** Every header off a reply, so an error reply starts clean. */
export function removeAllHeaders(reply: FastifyReply): void {
  for (const name of Object.keys(reply.getHeaders())) reply.removeHeader(name);
}

/** Takes our Set-Cookie lines back off a reply, keeping any the app set itself. */
export function withdraw(reply: FastifyReply, lines: readonly string[]): void {
  const header = reply.getHeader('set-cookie');
  const kept = (
    Array.isArray(header) ? header : header === undefined ? [] : [String(header)]
  ).filter((line) => !lines.includes(line));
  reply.removeHeader('set-cookie');
  if (kept.length > 0) reply.header('set-cookie', kept);
}
