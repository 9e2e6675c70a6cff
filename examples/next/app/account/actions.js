'use server';
// Server Actions: the session through `await cookies()`, written by `session.save()`.
import { getSession } from 'jwe-session/next';
import { redirect } from 'next/navigation';
import { store } from '../../lib/session.js';

export async function login(form) {
  const name = String(form.get('name') ?? '')
    .trim()
    .slice(0, 40);
  if (!name) redirect('/account?error=name');
  const session = await getSession(store);
  // A new session at login, so a cookie captured before it does not carry the login.
  session.regenerate({ keepData: true });
  session.set('user', name);
  await session.save();
  redirect('/account');
}

export async function logout() {
  const session = await getSession(store);
  session.destroy();
  await session.save();
  redirect('/account');
}
