import { Outlet } from 'react-router';
import { NAME, sessionContext, sessionMiddleware } from './session.server.js';

/** Logs why a cookie the browser sent was refused (expired, tampered, another key…), never the cookie. */
async function logRejection({ context }, next) {
  const { rejection } = context.get(sessionContext);
  if (rejection)
    console.warn(`${NAME}: cookie rejected (${rejection.reason}): ${rejection.detail}`);
  return next();
}

// The session for every loader and action below: `context.get(sessionContext)`, committed
// (every chunk, re-seal and deletion) once the route has answered.
export const middleware = [sessionMiddleware, logRejection];

// Never rendered: every route answers with a Response of its own.
export default function App() {
  return <Outlet />;
}
