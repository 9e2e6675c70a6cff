// Throughput of one async operation: `ops` calls, `inFlight` of them outstanding at a time
// (1 = each call awaited before the next starts). Every system is measured the same way.
//
// Two numbers per batch: wall-clock ops/s, which is what a user sees and what the targets
// are stated in, and the process's CPU time per call (all threads: the event loop, the
// libuv pool that runs Web Crypto, GC), which other work on a shared machine disturbs far
// less than the wall clock.

/** Calls fn(i) for i in [0, ops) with up to `inFlight` calls outstanding. */
export async function measureBatch(fn, ops, inFlight) {
  let next = 0;
  const worker = async () => {
    while (next < ops) await fn(next++);
  };
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(inFlight, ops) }, worker));
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { opsPerSecond: (ops / elapsed) * 1000, cpuMicrosPerOp: (cpu.user + cpu.system) / ops };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
