import { json } from '@sveltejs/kit';

export function GET({ locals, isSubRequest }) {
  locals.seen.push(locals.session);
  return json({ n: locals.session.get('n') ?? null, isSubRequest });
}

export function POST({ locals }) {
  locals.session.set('n', 42);
  return json({ ok: true });
}

/** A change in a sub-request (event.fetch from a load): throws, and says where to make it. */
export function PUT({ locals }) {
  try {
    locals.session.set('n', 7);
    return json({ changed: true });
  } catch (error) {
    return json({ code: error.code, message: error.message });
  }
}
