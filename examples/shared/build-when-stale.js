// For the example apps that build before they serve (Next.js, SvelteKit, Astro, React Router):
// `npm start` builds only when a source changed since the last build, and one build at a time,
// since two test files (or two terminals) may start the same app together.
//
// "Changed" is by content, not mtime: `npm test` rebuilds the library's dist/ before every run
// (same bytes, new mtimes), and CI runs the suite once per Node version; an app whose sources
// are byte-for-byte those of its last build is not built again.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One digest over every file under `sources` (paths and contents, in a fixed order). */
function digestOf(dir, sources) {
  const hash = createHash('sha256');
  const add = (path) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      hash.update(`missing ${relative(dir, path)}\0`);
      return;
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) add(join(path, name));
      return;
    }
    hash.update(`${relative(dir, path)}\0`);
    hash.update(readFileSync(path));
    hash.update('\0');
  };
  for (const source of sources) add(join(dir, source));
  return hash.digest('hex');
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * Runs `build()` when `output` (a file inside the build's output, which a new build replaces)
 * is missing, or the sources' digest differs from the one recorded beside it after the last
 * build. `sources` are files or folders relative to `dir`. Holds a lock folder in `dir`
 * meanwhile; a caller that finds the lock waits, then builds only if the app is still stale. A
 * lock whose holder died is taken over. `fail(message)` ends the process.
 */
export async function buildWhenStale({ dir, output, sources, build, fail, waitMs = 180_000 }) {
  const stamp = join(dir, `${output}.sources-sha256`);
  const recorded = () => {
    try {
      statSync(join(dir, output));
      return readFileSync(stamp, 'utf8');
    } catch {
      return undefined;
    }
  };
  if (recorded() === digestOf(dir, sources)) return;
  const lock = join(dir, '.build.lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      let holder = 0;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {}
      if (holder && !alive(holder)) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) fail(`another build still holds ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    // Taken before the build, so a source edited while it runs makes the next start build again.
    const digest = digestOf(dir, sources);
    if (recorded() === digest) return;
    await build();
    writeFileSync(stamp, digest);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
