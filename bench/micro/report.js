// Markdown for the README: one table of speed and size per in-flight setting, then the
// targets with their measured ratios.
import { markdownTable } from './markdown.js';
import { bytesReference, maxBytesRatio, speedTargets } from './targets.js';

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const ratio = (n) => `${n.toFixed(2)}×`;

/**
 * results[payload][system] = { seal, unseal (median ops/s), sealCpu, unsealCpu (median CPU
 * µs per call), bytes (token length) }.
 */
export function speedTable(results, ourName) {
  const rows = [];
  for (const [payload, bySystem] of Object.entries(results)) {
    const ours = bySystem[ourName];
    for (const [name, r] of Object.entries(bySystem)) {
      const mine = name === ourName;
      const cells = [
        payload,
        mine ? `**${name}**` : name,
        fmt(r.seal),
        mine ? '' : ratio(ours.seal / r.seal),
        fmt(r.sealCpu),
        fmt(r.unseal),
        mine ? '' : ratio(ours.unseal / r.unseal),
        fmt(r.unsealCpu),
        r.bytes,
      ];
      rows.push(cells);
    }
  }
  const header = ['payload', 'system', 'seal ops/s', 'ours ÷ it', 'seal CPU µs', 'unseal ops/s'];
  header.push('ours ÷ it', 'unseal CPU µs', 'token bytes');
  const align = ['left', 'left', ...Array(7).fill('right')];
  return markdownTable(header, align, rows);
}

/** Every target as a row: the bound, what was measured, and whether it was met. */
export function targetRows(results, ourName, targets = speedTargets, withBytes = true) {
  const rows = [];
  for (const { system, min, op: only } of targets) {
    for (const [payload, bound] of Object.entries(min)) {
      const ours = results[payload]?.[ourName];
      const peer = results[payload]?.[system];
      if (!ours || !peer) continue;
      for (const op of only ? [only] : ['seal', 'unseal']) {
        const value = ours[op] / peer[op];
        // The same ratio from CPU time per call: a cross-check that other load disturbs less.
        const byCpu = peer[`${op}Cpu`] / ours[`${op}Cpu`];
        // What a token of jose's alone (no claims, no kid, no checks) reaches against the same
        // peer: about the ceiling for anything sealing through jose.
        const jose = results[payload]?.[bytesReference];
        // Each round's ratio (the two batches ran in the same round), for the spread.
        const perRound = (ours[`${op}Rounds`] ?? []).map((v, i) => v / peer[`${op}Rounds`][i]);
        rows.push({
          range:
            perRound.length > 1
              ? `${Math.min(...perRound).toFixed(2)}-${Math.max(...perRound).toFixed(2)}`
              : '',
          what: `${targets === speedTargets ? '' : `${ourName}: `}${op} vs ${system}`,
          payload,
          bound: `≥ ${bound}×`,
          value: ratio(value),
          byCpu: ratio(byCpu),
          jose: jose ? ratio(jose[op] / peer[op]) : '',
          met: value >= bound,
        });
      }
    }
  }
  for (const [payload, bySystem] of Object.entries(withBytes ? results : {})) {
    const ours = bySystem[ourName];
    const ref = bySystem[bytesReference];
    if (!ours || !ref) continue;
    const value = ours.bytes / ref.bytes;
    rows.push({
      what: 'token bytes vs plain jose',
      payload,
      bound: `≤ ${maxBytesRatio}×`,
      value: `${ratio(value)} (${ours.bytes} vs ${ref.bytes})`,
      byCpu: '',
      met: value <= maxBytesRatio,
    });
  }
  return rows;
}

export function targetTable(rows) {
  return markdownTable(
    [
      'target',
      'payload',
      'bound',
      'measured (ops/s)',
      'range over rounds',
      'same, by CPU time',
      'plain jose',
      'met',
    ],
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'center'],
    rows.map((r) => [
      r.what,
      r.payload,
      r.bound,
      r.value,
      r.range ?? '',
      r.byCpu,
      r.jose,
      r.met ? 'yes' : '**no**',
    ]),
  );
}
