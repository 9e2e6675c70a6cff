// iron-session 9 for the benchmarks, where it runs: it needs Node ≥ 22.13 (its `engines`), so
// on an older Node, or if `iron-session-9` fails to load, the loader gives undefined and
// ironSession9Skip() the reason, which the benchmark prints instead of a row. It is an optional
// dependency of the bench/iron-session-9 workspace rather than a devDependency: npm installs it
// on Node ≥ 22.13 and leaves it out on Node 20, where a devDependency would print EBADENGINE
// warnings on every install. So a node_modules installed on Node 20 lacks it even when a
// benchmark runs on a newer Node (`--node 24`): `npm install` with that Node adds it.
const MIN_NODE = [22, 13];

let reason = '';

export function ironSession9Skip() {
  return reason;
}

export async function loadIronSession9() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
    reason = `skipped, needs Node ≥ ${MIN_NODE.join('.')} (this is ${process.version})`;
    return undefined;
  }
  try {
    return await import('iron-session-9');
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && /'iron-session-9'/.test(error.message)) {
      reason =
        'skipped, not installed (an optional dependency npm leaves out on Node < 22.13: ' +
        'run `npm install --no-save` with this Node to add it)';
      return undefined;
    }
    reason = `skipped, failed to load (${error instanceof Error ? error.message : error})`;
    return undefined;
  }
}
