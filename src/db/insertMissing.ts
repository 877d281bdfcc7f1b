import type { MongoBulkWriteError } from 'mongodb';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from './errors';

/**
 * Inserts documents whose ids say what they are (a job's item, a result, a claim, a seeded record): one already
 * there stays as it is. Returns how many this call inserted. Nothing is read back, unlike insertMissing below.
 */
export async function insertNew<T>(model: Model<T>, docs: readonly T[]): Promise<number> {
  if (docs.length === 0) return 0;
  try {
    return (await model.collection.insertMany(docs as never[], { ordered: false })).insertedCount;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return (error as MongoBulkWriteError).insertedCount ?? 0;
  }
}

/**
 * Inserts documents that have ids chosen in advance (derived ids), for steps that a resumed job repeats.
 * A document already there is fine; one refused by another unique index (say, an email taken meanwhile) is
 * returned, so the caller can fail that one item. Which is which is read back rather than parsed from the
 * error, because servers word duplicate-key errors differently.
 */
export async function insertMissing<T extends { _id: string }>(
  model: Model<T>,
  docs: readonly T[],
): Promise<Set<string>> {
  if (docs.length === 0) return new Set();
  try {
    await model.collection.insertMany(docs as never[], { ordered: false });
    return new Set();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const ids = docs.map((d) => d._id);
    const present = new Set(
      (await model.find({ _id: { $in: ids } }, { _id: 1 }).lean<{ _id: string }[]>()).map((d) => d._id),
    );
    return new Set(ids.filter((id) => !present.has(id)));
  }
}

/**
 * Inserts one document and says whether this call created it (false: its id was taken). This is how the first
 * of several racing requests wins — FerretDB v1's conditional updates are not atomic across connections, but
 * a unique key always is.
 */
export async function insertOnce<T extends { _id: string }>(model: Model<T>, doc: T): Promise<boolean> {
  try {
    await model.collection.insertOne(doc as never);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}
