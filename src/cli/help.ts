// Help texts. Each command's text is complete on its own: operators read `help rotate` in the
// middle of a rotation, not the whole manual.

const EXIT_CODES = `Exit codes:
  0  success
  1  the command ran and failed: cookie rejected or not found, key list missing or invalid
  2  usage error: unknown command or option, missing or extra argument, bad option value`;

const KEYS_OPTIONS = `  --keys LIST         the key list, as SESSION_KEYS holds it (id:key,id:key,...; first seals).
                      Prefer the environment: a command line is visible to other users (ps) and
                      is kept in shell history.
  --keys-env NAME     read the key list from this variable instead of SESSION_KEYS`;

const TOOL = `Usage: jwe-session <command> [options]

Commands:
  keygen    print a new key entry for SESSION_KEYS
  rotate    print the three SESSION_KEYS values of a rotation that logs nobody out
  decode    show what a session cookie holds, or why it is rejected
  revoke    end a session, or every session of a user, in the app's Redis
  help      show help for a command: jwe-session help <command>

Options:
  -h, --help     show help (also after a command: jwe-session decode --help)
  -v, --version  print the version

Only keygen and rotate print key material, because a key is what they are asked for; no
command prints a key in an error. Output goes to stdout, errors to stderr.

Set NODE_DEBUG=jwe-session in an app to log every rejected cookie (with its reason, never its
contents), every re-seal after a rotation and every session too large for its cookies.

${EXIT_CODES}
`;

const KEYGEN = `Usage: jwe-session keygen [--id ID]

Prints one line, <id>:<key>, ready to put into SESSION_KEYS: a key of 32 bytes from a
cryptographically secure random generator, base64url-encoded (43 characters).
The line printed is a secret: it goes to stdout only.

Options:
  --id ID      the key id (1-32 characters from A-Z a-z 0-9 _ -). The id is not secret; it is
               in every cookie. Default: k<yyyymmdd><4 random characters>, e.g. k20261127x7q2
  -h, --help   show this help

Examples:
  SESSION_KEYS=$(npx jwe-session keygen)      first key of a new app
  npx jwe-session rotate                       replacing a key: use rotate instead

${EXIT_CODES}
`;

const ROTATE = `Usage: jwe-session rotate [--keys LIST | --keys-env NAME] [options]

Reads the current key list (SESSION_KEYS, or --keys / --keys-env) and prints the three values
of SESSION_KEYS that replace its key with a new one without logging anybody out:

  1. stage    old keys, then the new key: the new key unseals but does not seal yet.
              Go on once every process runs with this value.
  2. promote  the new key first: it seals; cookies sealed with an old key still open and are
              re-sealed with the new key when their user comes back.
              Go on once every process has run with it for longer than a cookie lives: the
              idle timeout (default 7 days), capped by the absolute timeout (default 30 days, or the
              idle timeout if longer, as the store does).
  3. retire   the new key alone: cookies still sealed with an old key are rejected.

The output holds the new key AND the current keys (that is what it is for): keep it out of
logs, CI output and shared terminals. Errors never show a key; a bad entry is named by its
position in the list.

Options:
${KEYS_OPTIONS}
  --id ID                 id for the new key (default as keygen: k<yyyymmdd><random>)
  --idle-timeout T        the app's lifetime.idleTimeout, for the wait before step 3 (default 7d)
  --absolute-timeout T    the app's lifetime.absoluteTimeout (default 30d, or the idle
                          timeout if longer)
                          T is seconds, or a number with s, m, h or d: 3600, 90m, 12h, 30d
  --json                  print the stages as JSON, for scripts
  -h, --help              show this help

${EXIT_CODES}
`;

const DECODE = `Usage: jwe-session decode <cookie value | Cookie header | -> [options]

Shows what a session cookie holds, judged as the app would judge it, to answer "why was I
logged out?". Pass the cookie's value, a whole Cookie header (with or without "Cookie:"),
or the response's Set-Cookie lines (one per line, with "Set-Cookie:"); chunked cookies,
session + session.1 + ..., are joined as the app joins them. - reads it from stdin (which
keeps it out of shell history).

With keys (SESSION_KEYS, --keys or --keys-env) it prints the protected header (alg, enc,
kid), the claims (purpose, issued, expires, created, as ISO times) and the session data
and flash values. Without keys it prints the header only (the rest stays sealed) and
exits 1, as it cannot tell whether the cookie is valid.
A rejected cookie prints its reason (malformed, too-large, unknown-key, tampered,
wrong-purpose, expired, not-yet-valid, revoked) and detail on stderr, and exits 1.

Session data is printed: it can hold personal data. Keys are never printed.

Options:
  --cookie-name NAME      the app's cookie.name (default session); it is bound into the cookie
  --purpose P             the app's advanced.purpose, if it sets one
${KEYS_OPTIONS}
  --idle-timeout T        the app's lifetime.idleTimeout (default 7d)
  --absolute-timeout T    the app's lifetime.absoluteTimeout (default 30d, or the idle
                          timeout if longer)
  --clock-tolerance T     the app's lifetime.clockTolerance (default 30s)
                          T is seconds, or a number with s, m, h or d: 3600, 90m, 12h, 30d
  --max-total-bytes N     the app's cookie.maxTotalBytes (default 6144)
  --not-before TIME       the app's lifetime.notBefore (default: SESSION_NOT_BEFORE, if set)
  --compress              the app sets advanced.compress: true
  --ignore-expiry         open an authentic cookie a request would refuse for its times
                          (expired, revoked, not yet valid): shows its data, why and when it
                          ended; still exits 1
  --json                  print the result as JSON (on stdout, a rejection included)
  -h, --help              show this help

Examples:
  jwe-session decode 'eyJhbGciOiJkaXIi...'
  pbpaste | jwe-session decode - --cookie-name __Host-session
  jwe-session decode - --ignore-expiry < set-cookie-lines.txt

${EXIT_CODES}
`;

const REVOKE = `Usage: jwe-session revoke (--subject ID | --session ID | --cookie VALUE) [options]

Ends sessions before they expire, in the Redis the app checks revocations in
(redisRevocationStore from jwe-session/redis), named by REDIS_URL:

  --subject ID   every session of this subject (the user id the sessions carry) created
                 before now: "log out everywhere", after a password change or a stolen
                 device. A sign-in in the same second, or later, stays valid.
  --session ID   one session, by its session id (session.id in the app).
  --cookie VALUE one session, by the id inside a cookie (- reads it from stdin): a value, a
                 Cookie header or Set-Cookie lines, as decode reads them. Opened with the
                 app's keys (SESSION_KEYS, as decode); its times are not checked.

Each process of the app sees the revocation at its next check (within its recheckInterval,
default 1 s). The revocation is a Redis key with a TTL: once it expires no cookie it could
refuse is still valid, and Redis forgets it.

Needs the redis package (npm install redis) and REDIS_URL=redis://[user:password@]host[:port][/db]
(rediss:// for TLS). The password is never printed: messages show the URL with ***.
Redis is not retried: a connection that does not open within 2 s, or no answer within 5 s,
exits 1.

Options:
  --ttl T          how long Redis keeps the revocation (default 30 days + 60 s: the default
                   absoluteTimeout, the longest a session lasts, plus the clock tolerance on
                   both sides). If the app sets absoluteTimeout, pass it plus 60 s.
                   T is seconds, or a number with s, m, h or d: 3600, 90m, 12h, 30d
  --prefix P       the store's key prefix, if the app sets one (default jwe-session:)
  --cookie-name NAME, --purpose P, --compress
                   with --cookie: the app's cookie.name, advanced.purpose, advanced.compress
${KEYS_OPTIONS}
  --json           print what was revoked as JSON, for scripts
  -h, --help       show this help

Examples:
  REDIS_URL=redis://127.0.0.1:6379 jwe-session revoke --subject user-123456
  jwe-session revoke --session 3q2-7wX9kL0mN4pR8sT1vA --json
  pbpaste | jwe-session revoke --cookie -

${EXIT_CODES}
`;

const HELP = `Usage: jwe-session help [command]

Shows help for the tool, or for one command (keygen, rotate, decode, revoke).

${EXIT_CODES}
`;

const TEXTS: Readonly<Record<string, string>> = {
  keygen: KEYGEN,
  rotate: ROTATE,
  decode: DECODE,
  revoke: REVOKE,
  help: HELP,
};

/** The help for one command, or for the tool. */
export function helpFor(command?: string): string {
  return (command !== undefined && TEXTS[command]) || TOOL;
}

export function isCommand(name: string): boolean {
  return Object.hasOwn(TEXTS, name);
}
