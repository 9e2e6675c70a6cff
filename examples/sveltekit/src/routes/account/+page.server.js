// GET /account: the same session from a load function and form actions, rendered by Svelte
// (the contract's pages are the demo's own HTML, from the +server.js endpoints). It is also
// what keeps SvelteKit's error page working: the root layout it renders in is left out of the
// server build when no page uses it, and a malformed path would then get a 500, not a 400.
import { fail, redirect } from '@sveltejs/kit';
import { readUser, signIn } from '../../../../demo/calculator.js';

export function load({ locals }) {
  const { session } = locals;
  const user = session.get('user');
  const info = session.cookie;
  return {
    user: typeof user === 'string' ? user : null,
    cookie: info
      ? { bytes: info.bytes, keyId: info.keyId, expires: info.expiresAt.toISOString() }
      : null,
  };
}

export const actions = {
  async login({ request, locals }) {
    const form = await request.formData();
    const { problem, user } = readUser(
      new URLSearchParams({ user: String(form.get('name') ?? '') }),
    );
    // fail() is an answer, not an error: nothing was changed, so nothing is written.
    if (problem) return fail(400, { problem });
    // A new session id (the old one is ended), the data kept, the user as its subject.
    signIn(locals.session, user);
    redirect(303, '/account');
  },
  logout({ locals }) {
    locals.session.destroy();
    redirect(303, '/account');
  },
};
