// Every dashboard table exports as CSV: the same headers and cells as shown,
// quoted where a cell needs it. A text cell that a spreadsheet would read as a
// formula (it starts with = + - or @) is prefixed with an apostrophe, since
// adviser names and action titles are typed by people.
export type CsvCell = string | number | null;

export interface CsvTable {
  headers: readonly string[];
  rows: readonly (readonly CsvCell[])[];
}

function cell(value: CsvCell): string {
  if (value === null) return '';
  let text = typeof value === 'number' ? String(value) : value;
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(table: CsvTable): string {
  return [table.headers, ...table.rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Hands the CSV to the browser as a download named `filename`. */
export function downloadCsv(filename: string, table: CsvTable): void {
  const url = URL.createObjectURL(new Blob([toCsv(table)], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has been handled: revoking at once can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
