/** A plain-text table for the report: columns as wide as their widest cell, numbers (and "-") aligned right. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const isNumber = (cell: string | number | undefined) =>
    typeof cell === 'number' || /^(-?\d+(\.\d+)?|-)$/.test(cell ?? '');
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((row) => isNumber(row[i])));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  return [line(header), rule, ...cells.slice(1).map(line)].join('\n');
}
