// iron-session 9 for the benchmarks, where it runs: it needs Node ≥ 22.13 (its `engines`), so
// on an older Node, or if the aliased devDependency `iron-session-9` fails to load, the loader
// gives undefined and ironSession9Skip() the reason, which the benchmark prints instead of a row.
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
    reason = `skipped, failed to load (${error instanceof Error ? error.message : error})`;
    return undefined;
  }
}
