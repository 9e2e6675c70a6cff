import { getSession } from 'jwe-session/next';
import { store } from '../lib/session.js';
import { CookiePanel } from './cookie-panel.js';

/** GET /: the calculator form, the notes form and list, and the forget-me button. */
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
      <form method="post" action="/logout">
        <button type="submit" id="logout">
          Forget me
        </button>
      </form>
      <CookiePanel session={session} />
    </main>
  );
}
