export function load({ locals }) {
  locals.session.set('n', 2000);
  throw new Error('load failed');
}
