export function load({ locals }) {
  const record = globalThis.__sveltekitFixture;
  locals.session.set('n', 1);
  // Streamed: resolves after the response (and its Set-Cookie) has gone out.
  const later = new Promise((resolve) => setTimeout(resolve, 50)).then(() => {
    try {
      locals.session.set('n', 2);
      record.late.push('changed');
    } catch (error) {
      record.late.push(error.code);
    }
    return 'done';
  });
  return { later };
}
