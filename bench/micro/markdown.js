// Markdown tables padded the way the repository's formatter (Biome) prints them, so the
// written results pass `biome check` as they are.

/** align: one of 'left' | 'right' | 'center' per column. */
export function markdownTable(header, align, rows) {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)));
  const pad = (text, i) => {
    if (align[i] === 'right') return text.padStart(widths[i]);
    if (align[i] === 'center') {
      const left = Math.floor((widths[i] - text.length) / 2);
      return `${' '.repeat(left)}${text}`.padEnd(widths[i]);
    }
    return text.padEnd(widths[i]);
  };
  const rule = widths.map((w, i) => {
    if (align[i] === 'right') return `${'-'.repeat(w - 1)}:`;
    if (align[i] === 'center') return `:${'-'.repeat(w - 2)}:`;
    return '-'.repeat(w);
  });
  const line = (row) => `| ${row.join(' | ')} |`;
  return [
    line(cells[0].map(pad)),
    line(rule),
    ...cells.slice(1).map((row) => line(row.map(pad))),
  ].join('\n');
}
