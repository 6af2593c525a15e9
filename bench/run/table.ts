/**
 * A markdown table from rows and columns — each column its header beside how a row's cell is written, so no cell has
 * to be counted against a header — every column padded to its widest cell, so the written report reads as a table in
 * a terminal too. (faults/run/table.ts is the fault suite's plain-text table, for the console only.)
 */
export type Column<Row> = [header: string, cell: (row: Row) => string | number];

export function markdownTable<Row>(rows: Row[], columns: Column<Row>[]): string[] {
  const cells = [columns.map(([header]) => header), ...rows.map((row) => columns.map(([, cell]) => String(cell(row))))];
  const widths = columns.map((_, i) => Math.max(3, ...cells.map((line) => line[i]!.length)));
  const line = (values: string[]) => `| ${values.map((value, i) => value.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(cells[0]!), `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`, ...cells.slice(1).map(line)];
}
