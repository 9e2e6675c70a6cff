import { JSON_HEADERS } from '../../../demo/calculator.js';
import { elsewhere } from '../lib/respond.js';

export const GET = ({ locals }) =>
  new Response(`${JSON.stringify(locals.session.toJSON(), null, 2)}\n`, {
    status: 200,
    headers: JSON_HEADERS,
  });
export const ALL = elsewhere;
