// For the example apps that build before they serve (Next.js, SvelteKit, Astro, React Router):
// `npm start` builds only when a source changed since the last build, and one build at a time,
// since two test files (or two terminals) may start the same app together.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
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
 * Runs `build()` when `output` (a file the build writes last) is missing or older than any
 * of `sources` (files or folders, relative to `dir`), holding a lock folder in `dir` meanwhile;
 * a caller that finds the lock waits, then builds only if the app is still stale. A lock whose
 * holder died is taken over. `fail(message)` ends the process.
 */
export async function buildWhenStale({ dir, output, sources, build, fail, waitMs = 180_000 }) {
  const isStale = () => {
    let built;
    try {
      built = statSync(join(dir, output)).mtimeMs;
    } catch {
      return true;
    }
    return sources.some((source) => newestMtime(join(dir, source)) > built);
  };
  if (!isStale()) return;
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
    if (isStale()) await build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
