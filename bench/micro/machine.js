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
  return { node: process.version, cpus: availableParallelism(), cpu };
}

/** The 1-minute load average: above the CPU count, other work was competing with the run. */
export const load = () => loadavg()[0].toFixed(1);
