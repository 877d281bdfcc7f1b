import { isDuplicateKeyError } from '../db/errors';
import type { OperationContext } from './context';
import { AuditEvent, type AuditEventDoc } from './models';

export type AuditEntry = Pick<AuditEventDoc, 'action' | 'target' | 'site' | 'summary'> & {
  changes?: Record<string, unknown>;
};

/**
 * Records what happened. Entries are unique per (correlation id, action, target), so a resumed job or a
 * retried request that records the same thing again adds nothing.
 */
export async function recordAudit(context: OperationContext, ...entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const at = new Date();
  const docs = entries.map((entry) => ({
    at,
    actor: context.actor,
    correlationId: context.correlationId,
    changes: null,
    ...entry,
  }));
  try {
    await AuditEvent.insertMany(docs, { ordered: false });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}
