import { error } from '@sveltejs/kit';

/** error(410) is an answer the app chose, not a failure: the change is saved. */
export function GET({ locals }) {
  locals.session.set('n', 410);
  error(410, 'gone');
}
