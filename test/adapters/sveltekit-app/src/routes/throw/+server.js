export function GET({ locals }) {
  locals.session.set('n', 1000);
  throw new Error('route failed');
}
