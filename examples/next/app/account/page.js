import { getSession } from 'jwe-session/next';
import { store } from '../../lib/session.js';
import { CookiePanel } from '../cookie-panel.js';
import { login, logout } from './actions.js';

/** GET /account: log in and out with Server Actions. */
export default async function Account({ searchParams }) {
  const session = await getSession(store);
  const user = session.get('user');
  const { error } = await searchParams;
  return (
    <main>
      <h1>Account</h1>
      {user ? (
        <>
          <p id="user">
            Logged in as <b>{user}</b>.
          </p>
          <form action={logout}>
            <button type="submit" id="action-logout">
              Log out
            </button>
          </form>
        </>
      ) : (
        <>
          <p id="user">Not logged in.</p>
          {error === 'name' && (
            <p id="error" className="warn">
              Enter a name of 1 to 64 letters, digits, _ or - to log in.
            </p>
          )}
          <form action={login}>
            <label>
              Name <input type="text" name="name" required />
            </label>{' '}
            <button type="submit" id="action-login">
              Log in
            </button>
          </form>
        </>
      )}
      <CookiePanel session={session} />
    </main>
  );
}
