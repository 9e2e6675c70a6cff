// What the numbers were measured on: they mean little without it.
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

export function machine() {
  let cpu = 'unknown CPU';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) cpu = match[1].trim();
  } catch {
    // Not Linux: the model stays unknown.
  }
  return { node: process.version, runtime: runtime(), cpus: availableParallelism(), cpu };
}

/**
 * The runtime by its own name and version: Bun and Deno report a Node version in
 * `process.version` (the Node API they implement), which is not what ran the benchmark.
 */
function runtime() {
  if (typeof globalThis.Bun !== 'undefined') return `Bun ${globalThis.Bun.version}`;
  if (typeof globalThis.Deno !== 'undefined') return `Deno ${globalThis.Deno.version.deno}`;
  return `Node ${process.version}`;
}

/**
 * A collection before each timed batch, so a batch does not pay for the garbage of the one
 * before it: V8's minor GC where `gc` is exposed (Node's `--expose-gc`, Deno's
 * `--v8-flags=--expose-gc`), Bun's own `Bun.gc(true)` (a full, synchronous one: JavaScriptCore
 * exposes no minor collection; it runs outside the timed batch). Undefined when neither is
 * there: the batches then run without one, and the report says so.
 */
export function garbageCollector() {
  if (typeof globalThis.gc === 'function') return () => globalThis.gc({ type: 'minor' });
  if (typeof globalThis.Bun?.gc === 'function') return () => globalThis.Bun.gc(true);
  return undefined;
}

/** The 1-minute load average: above the CPU count, other work was competing with the run. */
export const load = () => loadavg()[0].toFixed(1);
