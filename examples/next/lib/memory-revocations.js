// The revocations of this server process, in memory: a RevocationStore (the interface
// jwe-session's `revocation.store` takes) of a few lines. The library has one built in, but
// Next.js loads lib/session.js once per bundle (pages, Route Handlers, Server Actions, the
// proxy), and each copy of the library would keep its own: a logout in a Route Handler must
// be known to the page that renders next, so the bundles share this one (lib/session.js).
// Entries expire with the TTL the library gives, the longest a cookie could still be valid.

export function memoryRevocations() {
  const sessions = new Map(); // session id → expiry (epoch ms)
  const subjects = new Map(); // subject → { before (epoch s), expires (epoch ms) }
  const live = (expires) => expires !== undefined && expires > Date.now();
  const prune = () => {
    for (const [id, expires] of sessions) if (!live(expires)) sessions.delete(id);
    for (const [subject, entry] of subjects) if (!live(entry.expires)) subjects.delete(subject);
  };
  return {
    async revokeSession(sessionId, ttlSeconds) {
      prune();
      const expires = Date.now() + ttlSeconds * 1000;
      sessions.set(sessionId, Math.max(expires, sessions.get(sessionId) ?? 0));
    },
    async revokeSubject(subject, before, ttlSeconds) {
      prune();
      const old = subjects.get(subject);
      subjects.set(subject, {
        before: Math.max(before, old?.before ?? 0),
        expires: Math.max(Date.now() + ttlSeconds * 1000, old?.expires ?? 0),
      });
    },
    async check(sessionId, subject) {
      const entry = subject === undefined ? undefined : subjects.get(subject);
      return {
        sessionRevoked: live(sessions.get(sessionId)),
        subjectRevokedBefore: live(entry?.expires) ? entry.before : undefined,
      };
    },
  };
}
