import { JSON_HEADERS } from '../../../demo/calculator.js';
import { elsewhere, sessionOf } from '../demo.server.js';

export const action = elsewhere;

export const loader = ({ context }) =>
  new Response(`${JSON.stringify(sessionOf(context).toJSON(), null, 2)}\n`, {
    headers: JSON_HEADERS,
  });
