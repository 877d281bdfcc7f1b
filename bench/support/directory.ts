import { createHash } from 'node:crypto';
import type { Db, Document } from 'mongodb';

/** What a migration touches; jobs, items, audit and outbox are bookkeeping the raw baseline does not keep. */
const COLLECTIONS = ['atlassianAccounts', 'accountSites', 'portalCustomers', 'requests', 'groups'] as const;

export type DirectoryDigest = Record<(typeof COLLECTIONS)[number], { count: number; sha256: string }>;

/** Key order and set order carry no meaning; migration times differ between runs, so only their presence counts. */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    return items.every((item) => typeof item === 'string') ? items.sort() : items;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Document)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, v]) => [key, key === 'migratedAt' ? v !== null : canonical(v)]),
    );
  }
  return value;
}

/** A hash of every document of the directory's collections, streamed in _id order so memory stays bounded. */
export async function directoryDigest(db: Db): Promise<DirectoryDigest> {
  const digest = {} as DirectoryDigest;
  for (const name of COLLECTIONS) {
    const hash = createHash('sha256');
    let count = 0;
    for await (const doc of db.collection(name).find().sort({ _id: 1 }).batchSize(1000)) {
      hash.update(`${JSON.stringify(canonical(doc))}\n`);
      count++;
    }
    digest[name] = { count, sha256: hash.digest('hex') };
  }
  return digest;
}

/** Collections whose contents differ, with their counts. */
export function digestDifferences(a: DirectoryDigest, b: DirectoryDigest): string[] {
  return COLLECTIONS.filter((name) => a[name].sha256 !== b[name].sha256).map(
    (name) => `${name} (${a[name].count} vs ${b[name].count} documents)`,
  );
}
