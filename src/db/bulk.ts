import type { AnyBulkWriteOperation, BulkWriteResult, Document } from 'mongodb';
import type { Model } from 'mongoose';

/**
 * How many operations one write command carries. MongoDB accepts 100,000. FerretDB v1 holds one pooled backend
 * connection per operation of an update command until the command ends, so concurrent commands that together
 * exceed its pool (50 for PostgreSQL by default, 100 per database for SQLite) deadlock the server; with 10 per
 * command, several workers can write at once. Set once at connect time from what the server says it is.
 */
const OPS_PER_COMMAND = { mongodb: 1000, ferretdb: 10 };
let opsPerCommand = OPS_PER_COMMAND.mongodb;

export function useServerLimits(server: 'mongodb' | 'ferretdb'): void {
  opsPerCommand = OPS_PER_COMMAND[server];
}

/** The operations per write command for the connected server, for writers that bypass bulkWrite (benchmarks). */
export const opsPerWriteCommand = (): number => opsPerCommand;

export interface BulkCounts {
  matched: number;
  modified: number;
  upserted: number;
}

/**
 * A model's collection.bulkWrite (no mongoose casting: callers pass stored shapes) in commands of the server's size. Ordered: stops at the first failing command, like one
 * ordered bulkWrite. Unordered: sends every command, then throws the first error, like one unordered bulkWrite.
 */
export async function bulkWrite<T extends Document>(
  model: Model<T>,
  ops: readonly AnyBulkWriteOperation<T>[],
  { ordered }: { ordered: boolean },
): Promise<BulkCounts> {
  const counts: BulkCounts = { matched: 0, modified: 0, upserted: 0 };
  let failure: unknown;
  for (let i = 0; i < ops.length; i += opsPerCommand) {
    try {
      const slice = ops.slice(i, i + opsPerCommand) as AnyBulkWriteOperation[];
      const result: BulkWriteResult = await model.collection.bulkWrite(slice, { ordered });
      counts.matched += result.matchedCount;
      counts.modified += result.modifiedCount;
      counts.upserted += result.upsertedCount;
    } catch (error) {
      if (ordered) throw error;
      failure ??= error;
    }
  }
  if (failure) throw failure;
  return counts;
}
