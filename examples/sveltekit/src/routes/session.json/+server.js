import { JSON_HEADERS } from '../../../../demo/calculator.js';

/** GET /session.json: the session's data (`{}` for none, or for a rejected cookie). */
export const GET = ({ locals }) =>
  new Response(`${JSON.stringify(locals.session.toJSON(), null, 2)}\n`, { headers: JSON_HEADERS });
