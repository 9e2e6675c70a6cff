import { store } from '../lib/session.js';

/**
 * Who is signed in, and the session cookie as the request carried it: size, chunks, key id,
 * expiry, rejection. A cookie sealed with an older key is re-sealed by this response (the
 * proxy), and says so.
 */
export function CookiePanel({ session }) {
  const info = session.cookie;
  const sealingKeyId = store.keyRing.primaryId;
  const resealed = info !== undefined && info.keyId !== sealingKeyId;
  const user = session.get('user');
  return (
    <footer>
      <p>
        Signed in as:{' '}
        <span id="signed-in">
          {typeof user === 'string' && user ? <b>{user}</b> : 'not signed in'}
        </span>
      </p>
      {info ? (
        <p id="cookie-info">
          Session cookie: <b id="cookie-bytes">{info.bytes}</b> bytes in{' '}
          <b id="cookie-chunks">{info.chunks === 1 ? '1 chunk' : `${info.chunks} chunks`}</b> (limit{' '}
          {info.limit} bytes) · key id{' '}
          <code id="key-id">{resealed ? sealingKeyId : info.keyId}</code>
          {resealed && (
            <>
              {' '}
              (this response re-seals it; your browser sent it sealed with <code>{info.keyId}</code>
              )
            </>
          )}{' '}
          · expires{' '}
          <time id="expires" dateTime={info.expiresAt.toISOString()}>
            {info.expiresAt.toISOString()}
          </time>
        </p>
      ) : (
        <p id="cookie-info">No session cookie: nothing is stored yet.</p>
      )}
      {session.rejection && (
        <p id="rejection" className="warn">
          The cookie your browser sent was rejected (<b>{session.rejection.reason}</b>). You start
          with an empty session.
        </p>
      )}
      <p>
        The whole session lives in the encrypted <code>session</code> cookie: no database. See it as
        JSON at <a href="/session.json">/session.json</a>.
      </p>
      <p id="secure-note">
        This example sets the cookie without the <code>Secure</code> attribute only because it runs
        over plain HTTP on localhost. A real app serves HTTPS and keeps the default,{' '}
        <code>secure: true</code>.
      </p>
    </footer>
  );
}
