import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';

/**
 * OWASP's defence against formula injection: a spreadsheet runs a cell starting with = + - @ (or a tab or a
 * carriage return, which some strip first) as a formula; a leading single quote makes it text.
 */
export const neutralizeCell = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/**
 * Rows as CSV text for people to open in a spreadsheet: UTF-8 with a byte order mark (so spreadsheets read names
 * correctly), a header row, every text cell protected against formula injection, streamed row by row (any number
 * of rows in bounded memory). Every CSV file the project writes goes through here.
 */
export function spreadsheetCsv<T>(
  rows: Iterable<T> | AsyncIterable<T>,
  columns: { key: keyof T & string; header: string }[],
): Readable {
  const csv = stringify({ header: true, bom: true, columns, cast: { string: neutralizeCell } });
  // pipeline destroys csv with the source's error, so whoever reads the file sees it.
  pipeline(Readable.from(rows), csv, () => {});
  return csv;
}
