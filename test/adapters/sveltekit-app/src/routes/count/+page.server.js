import { fail, redirect } from '@sveltejs/kit';

export function load({ locals }) {
  locals.seen.push(locals.session);
  return { n: locals.session.get('n') ?? 0 };
}

export const actions = {
  add({ locals }) {
    locals.seen.push(locals.session);
    locals.session.set('n', (locals.session.get('n') ?? 0) + 1);
    redirect(303, '/count');
  },
  // An answer from fail() is a 4xx the app chose: what it changed is saved.
  refuse({ locals }) {
    locals.session.set('refused', true);
    return fail(400, { refused: true });
  },
};
