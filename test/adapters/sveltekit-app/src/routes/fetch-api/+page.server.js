export async function load({ fetch }) {
  const read = await (await fetch('/api')).json();
  const change = await (await fetch('/api', { method: 'PUT' })).json();
  return { read, change };
}
