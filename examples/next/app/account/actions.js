'use server';
// Server Actions: the session through `await cookies()`, written by `session.save()`.
import { getSession } from 'jwe-session/next';
import { redirect } from 'next/navigation';
import { readUser, signIn } from '../../../demo/calculator.js';
import { store } from '../../lib/session.js';

export async function login(form) {
  const { problem, user } = readUser(new URLSearchParams({ user: String(form.get('name') ?? '') }));
  if (problem) redirect('/account?error=name');
  const session = await getSession(store);
  // A new session id at login (the old one is ended), so a cookie captured before it does not
  // carry the login; the user is the session's subject, for "sign out everywhere".
  signIn(session, user);
  await session.save();
  redirect('/account');
}

export async function logout() {
  const session = await getSession(store);
  session.destroy();
  await session.save();
  redirect('/account');
}
