import { getSession } from 'jwe-session/next';
import { store } from '../../lib/session.js';
import { CookiePanel } from '../cookie-panel.js';

/** GET /result: the stored calculation, or a note that there is none. */
export default async function Result() {
  const session = await getSession(store);
  const calc = session.get('calculation');
  if (!calc) {
    return (
      <main>
        <h1>Result</h1>
        <p id="result">No calculation yet.</p>
        <p>
          <a href="/">Back</a>
        </p>
        <CookiePanel session={session} />
      </main>
    );
  }
  const rows = [
    ['a + b', calc.sum],
    ['a − b', calc.difference],
    ['a × b', calc.product],
    ['a ÷ b', calc.quotient === null ? 'undefined (division by zero)' : calc.quotient],
  ];
  return (
    <main>
      <h1>Result</h1>
      <p id="result">
        For a = <b>{calc.a}</b> and b = <b>{calc.b}</b>:
      </p>
      <table id="results">
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th>{label}</th>
              <td>{String(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>Computed at {calc.at}, read back from your session cookie.</p>
      <p>
        <a href="/" id="back">
          Back
        </a>
      </p>
      <CookiePanel session={session} />
    </main>
  );
}
