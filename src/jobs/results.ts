import type { Readable } from 'node:stream';
import { spreadsheetCsv } from '../csv';
import { everyItem } from './items';

/** Every customer of a job with its result, as a CSV: what a message that shows only the first ones leaves out. */

export const resultsFile = (jobId: string) => `${jobId}-customers.csv`;

interface ResultRow {
  email: string;
  result: string;
  reason: string;
}

const COLUMNS: { key: keyof ResultRow; header: string }[] = [
  { key: 'email', header: 'Customer email' },
  { key: 'result', header: 'Result' },
  { key: 'reason', header: 'Reason' },
];

async function* resultRows(jobId: string): AsyncGenerator<ResultRow> {
  for await (const item of everyItem(jobId)) yield { email: item.email, result: item.state, reason: item.reason ?? '' };
}

/** Streamed in job order: any number of customers in bounded memory. */
export const jobResultsCsv = (jobId: string): Readable => spreadsheetCsv(resultRows(jobId), COLUMNS);
