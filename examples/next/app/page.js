import { getSession } from 'jwe-session/next';
import { store } from '../lib/session.js';
import { CookiePanel } from './cookie-panel.js';

/** GET /: the calculator, the notes, sign-in, and the forget-me and sign-out-everywhere buttons. */
export default async function Home() {
  const session = await getSession(store);
  const notes = session.get('notes') ?? [];
  const user = session.get('user');
  return (
    <main>
      <h1>jwe-session demo</h1>
      {user && (
        <p id="user">
          Logged in as <b>{user}</b>.
        </p>
      )}
      <p>
        Enter two numbers: the result is computed on the server, kept in your session cookie, and
        shown on the next page.
      </p>
      <form method="post" action="/calculate">
        <label>
          a <input type="text" inputMode="decimal" name="a" required />
        </label>{' '}
        <label>
          b <input type="text" inputMode="decimal" name="b" required />
        </label>{' '}
        <button type="submit" id="calculate">
          Calculate
        </button>
      </form>
      <p>
        {session.get('calculation') ? (
          <a href="/result" id="result-link">
            See the last result
          </a>
        ) : (
          'No calculation yet.'
        )}
      </p>
      <h2>Notes</h2>
      <p>
        Each note is added to the session. Add long ones to watch the cookie split into chunks (
        <code>session</code>, <code>session.1</code>, …) and then reach its size limit.
      </p>
      <form method="post" action="/notes">
        <textarea name="note" rows={3} required />
        <button type="submit" id="add-note">
          Add note
        </button>
      </form>
      <p id="note-count">{notes.length === 1 ? '1 note' : `${notes.length} notes`}</p>
      <ol id="notes">
        {notes.map((note, i) => (
          <li key={i}>{note}</li>
        ))}
      </ol>
      <h2>Sign in</h2>
      <p>
        No password here: any name of 1 to 64 letters, digits, <code>_</code> or <code>-</code>.
        Signing in starts a new session (a new id) that keeps your calculation and notes.
      </p>
      <form method="post" action="/login">
        <label>
          Name{' '}
          <input
            type="text"
            id="login-user"
            name="user"
            autoComplete="username"
            maxLength={64}
            pattern="[A-Za-z0-9_\-]{1,64}"
            required
          />
        </label>{' '}
        <input type="hidden" name="remember" value="0" />
        <label>
          <input type="checkbox" name="remember" value="1" defaultChecked /> Remember me
        </label>{' '}
        <button type="submit" id="login">
          Sign in
        </button>
      </form>
      <form method="post" action="/logout">
        <button type="submit" id="logout">
          Forget me
        </button>
      </form>
      {user && (
        <form method="post" action="/logout-everywhere">
          <button type="submit" id="logout-everywhere">
            Sign out everywhere
          </button>
        </form>
      )}
      <CookiePanel session={session} />
    </main>
  );
}
