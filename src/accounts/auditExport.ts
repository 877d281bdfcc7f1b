import { Readable } from 'node:stream';
import type { QueryFilter } from 'mongoose';
import { spreadsheetCsv } from '../csv';
import { AuditEvent, type AuditEventDoc } from './models';

/** The audit trail for people outside the bot: `accounts audit` and `/accounts-admin audit`. */

export const AUDIT_FORMATS = ['jsonl', 'csv'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export interface AuditQuery {
  /** Events at or after this time. */
  since?: Date;
  /** Events on this site only (events about every site, such as org-admin grants, have none). */
  site?: string;
}

const filterOf = ({ since, site }: AuditQuery): QueryFilter<AuditEventDoc> => ({
  ...(since ? { at: { $gte: since } } : {}),
  ...(site ? { site } : {}),
});

export const countAuditEvents = (query: AuditQuery) => AuditEvent.countDocuments(filterOf(query));

/** The events oldest first, read with a cursor: any number of them in bounded memory. */
export async function* auditEvents(query: AuditQuery): AsyncGenerator<AuditEventDoc> {
  const cursor = AuditEvent.find(filterOf(query)).sort({ at: 1, _id: 1 }).lean<AuditEventDoc[]>().cursor();
  try {
    for await (const event of cursor) yield event as AuditEventDoc;
  } finally {
    await cursor.close();
  }
}

interface AuditRow {
  at: string;
  actorKind: string;
  actorId: string;
  actorName: string;
  action: string;
  site: string;
  target: string;
  summary: string;
  correlationId: string;
  changes: string;
}

const COLUMNS: { key: keyof AuditRow; header: string }[] = [
  { key: 'at', header: 'At (UTC)' },
  { key: 'actorKind', header: 'Actor kind' },
  { key: 'actorId', header: 'Actor id' },
  { key: 'actorName', header: 'Actor name' },
  { key: 'action', header: 'Action' },
  { key: 'site', header: 'Site' },
  { key: 'target', header: 'Target' },
  { key: 'summary', header: 'Summary' },
  { key: 'correlationId', header: 'Correlation id' },
  { key: 'changes', header: 'Changes (JSON)' },
];

async function* rowsOf(events: AsyncIterable<AuditEventDoc>): AsyncGenerator<AuditRow> {
  for await (const e of events) {
    yield {
      at: e.at.toISOString(),
      actorKind: e.actor.kind,
      actorId: e.actor.id,
      actorName: e.actor.name,
      action: e.action,
      site: e.site ?? '',
      target: e.target,
      summary: e.summary,
      correlationId: e.correlationId,
      changes: e.changes ? JSON.stringify(e.changes) : '',
    };
  }
}

/** One JSON object per line, as stored (its id as a string). */
async function* jsonLines(events: AsyncIterable<AuditEventDoc>): AsyncGenerator<string> {
  for await (const { _id, ...event } of events)
    yield `${JSON.stringify({ id: String(_id), ...event, site: event.site ?? null })}\n`;
}

/** The events matching the query as a stream of text in the format asked for. */
export function auditExport(query: AuditQuery, format: AuditFormat): Readable {
  const events = auditEvents(query);
  return format === 'csv' ? spreadsheetCsv(rowsOf(events), COLUMNS) : Readable.from(jsonLines(events));
}
