import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { CopyPlan, DestinationType } from './plan';

/** RequiresAttention.csv (DOMAIN.md operation 9): one row per copied customer who needs an action. */
export const REPORT_FILE = 'RequiresAttention.csv';

/** One customer of a copy run as the job recorded it. */
export interface CopyItemResult {
  email: string;
  state: string;
  reason: string | null;
  plan: CopyPlan | null;
}

export interface ReportRow {
  email: string;
  source: string;
  destination: string;
  after: string;
  problem: string;
  nextStep: string;
}

const COLUMNS: { key: keyof ReportRow; header: string }[] = [
  { key: 'email', header: 'Customer email' },
  { key: 'source', header: 'Account type on source' },
  { key: 'destination', header: 'Account type on destination' },
  { key: 'after', header: 'Account type after copying' },
  { key: 'problem', header: 'Problem' },
  { key: 'nextStep', header: 'Next step' },
];

const TYPE: Record<DestinationType, string> = {
  'portal-only': 'Portal-only',
  'atlassian-account': 'Atlassian account',
  none: 'None',
  both: 'Portal-only and Atlassian account',
};

/** The row of one customer, or null when they need nothing. `group` is the run's imported group. */
export function attentionRow(item: CopyItemResult, group: string): ReportRow | null {
  const plan = item.plan;
  if (!plan) return null;
  const base = { email: plan.email, source: TYPE[plan.source], destination: TYPE[plan.destination] };
  if (item.state === 'failed') {
    return { ...base, after: base.destination, problem: `Not copied: ${item.reason}`, nextStep: 'Run the copy again' };
  }
  if (item.state !== 'succeeded') return null;
  switch (plan.case) {
    case 'imported-group':
      return {
        ...base,
        after: TYPE['atlassian-account'],
        problem: `${plan.displayName} has an Atlassian account on ${plan.to}: no Customer role there until the imported group is approved`,
        nextStep: `Review group ${group} to assign Customer role`,
      };
    case 'duplicate':
      return {
        ...base,
        after: TYPE.both,
        problem: 'Found duplicate accounts on destination',
        nextStep: 'Upgrade portal-only account to Atlassian account',
      };
    case 'site-access-off':
      return {
        ...base,
        destination: TYPE['atlassian-account'],
        after: TYPE['atlassian-account'],
        problem: `${plan.displayName}'s Atlassian account has no site access on ${plan.to}`,
        nextStep: `Restore access on ${plan.to} if the customer should use its portals`,
      };
    default:
      return null;
  }
}

export async function* attentionRows(items: AsyncIterable<CopyItemResult>, group: string): AsyncGenerator<ReportRow> {
  for await (const item of items) {
    const row = attentionRow(item, group);
    if (row) yield row;
  }
}

/**
 * OWASP's defence against formula injection: a spreadsheet runs a cell starting with = + - @ (or a tab or a
 * carriage return, which some strip first) as a formula; a leading single quote makes it text.
 */
export const neutralizeCell = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/**
 * The report as CSV text (UTF-8 with a byte order mark, so spreadsheets read names correctly, and the header
 * row), streamed row by row: any number of customers in bounded memory.
 */
export function requiresAttentionCsv(rows: AsyncIterable<ReportRow>): Readable {
  return csvOf(COLUMNS, rows);
}

/** Rows as CSV the way RequiresAttention.csv is written (BOM, header row, cells neutralized), streamed. */
export function csvOf<R extends object>(columns: { key: keyof R & string; header: string }[], rows: AsyncIterable<R>) {
  const csv = stringify({ header: true, bom: true, columns, cast: { string: neutralizeCell } });
  // pipeline destroys csv with the source's error, so whoever reads the report sees it.
  pipeline(Readable.from(rows), csv, () => {});
  return csv;
}
