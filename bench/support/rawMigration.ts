import type { AnyBulkWriteOperation, Collection, Db, Document } from 'mongodb';
import { emailKey } from '../../src/accounts/email';
import { derivedAccountId } from '../../src/accounts/ids';
import {
  type AccountSiteDoc,
  type AtlassianAccountDoc,
  accountKeys,
  accountSiteId,
  CUSTOMER_ROLE,
  customersGroupName,
  type PortalCustomerDoc,
  type RequestDoc,
  type SiteDoc,
} from '../../src/accounts/models';
import { opsPerWriteCommand } from '../../src/db/bulk';

export interface RawProgress {
  phase: string;
  done: number;
  total: number;
}

/**
 * The least the database must do to migrate these customers to Atlassian accounts, with the driver alone: read
 * the ids, insert the missing accounts, upsert their site entries, move reporters and participants (by _id, the
 * one update FerretDB v1 answers without a scan), deactivate the profiles. No plans, audit or job bookkeeping.
 * Update commands carry the server's operations per command (FerretDB hangs on larger ones). The site's
 * customers group is assumed to exist, as the seed creates it. Returns how many customers were migrated.
 */
export async function migrateRaw(db: Db, site: SiteDoc, emails: readonly string[], progress: RawProgress) {
  const group = customersGroupName(site);
  const profilesOf = db.collection<PortalCustomerDoc>('portalCustomers');
  const accountsOf = db.collection<AtlassianAccountDoc>('atlassianAccounts');
  const requestsOf = db.collection<RequestDoc>('requests');

  progress.phase = 'reading ids';
  const keys = emails.map(emailKey);
  const profiles = await profilesOf
    .find({ site: site._id, status: 'active', emailKey: { $in: keys } })
    .project<Pick<PortalCustomerDoc, '_id' | 'email' | 'emailKey' | 'displayName'>>({
      email: 1,
      emailKey: 1,
      displayName: 1,
    })
    .toArray();
  const existing = await accountsOf
    .find({ openEmailKey: { $in: profiles.map((p) => p.emailKey) } })
    .project<Pick<AtlassianAccountDoc, '_id' | 'emailKey'>>({ emailKey: 1 })
    .toArray();
  const existingOf = new Map(existing.map((a) => [a.emailKey, a._id]));
  const accountOf = new Map(
    profiles.map((p) => [p._id, existingOf.get(p.emailKey) ?? derivedAccountId('migrated', p._id)]),
  );
  const reported = await requestsOf
    .find({ site: site._id, reporter: { $in: profiles.map((p) => p._id) } })
    .project<Pick<RequestDoc, '_id' | 'reporter'>>({ reporter: 1 })
    .toArray();
  const participating = await requestsOf
    .find({ site: site._id, participants: { $in: profiles.map((p) => p._id) } })
    .project<Pick<RequestDoc, '_id' | 'participants'>>({ participants: 1 })
    .toArray();

  progress.phase = 'inserting accounts';
  const newAccounts = profiles
    .filter((p) => !existingOf.has(p.emailKey))
    .map((p) => {
      const doc = {
        _id: accountOf.get(p._id) as string,
        email: p.email,
        displayName: p.displayName,
        emailVerified: false,
        status: 'active' as const,
      };
      return { ...doc, ...accountKeys(doc) };
    });
  if (newAccounts.length) await accountsOf.insertMany(newAccounts, { ordered: false });

  const entryOps = profiles.map((p): AnyBulkWriteOperation<AccountSiteDoc> => {
    const account = accountOf.get(p._id) as string;
    return {
      updateOne: {
        filter: { _id: accountSiteId(account, site._id) },
        update: {
          $setOnInsert: { account, site: site._id, admin: false },
          $set: { siteAccess: true },
          // products through $addToSet too: FerretDB v1 drops an empty array given in $setOnInsert.
          $addToSet: { products: { $each: [] }, roles: { $each: [CUSTOMER_ROLE] }, groups: { $each: [group] } },
        },
        upsert: true,
      },
    };
  });
  await inCommands(db.collection<AccountSiteDoc>('accountSites'), entryOps, 'upserting site entries', progress);

  const moved = new Map(profiles.map((p) => [p._id, accountOf.get(p._id) as string]));
  const requestOps: AnyBulkWriteOperation<RequestDoc>[] = [
    ...reported.map(
      (r): AnyBulkWriteOperation<RequestDoc> => ({
        updateOne: { filter: { _id: r._id }, update: { $set: { reporter: moved.get(r.reporter) as string } } },
      }),
    ),
    ...participating.map(
      (r): AnyBulkWriteOperation<RequestDoc> => ({
        updateOne: {
          filter: { _id: r._id },
          update: { $set: { participants: [...new Set(r.participants.map((id) => moved.get(id) ?? id))] } },
        },
      }),
    ),
  ];
  await inCommands(requestsOf, requestOps, 'moving requests', progress);

  const migratedAt = new Date();
  const deactivations = profiles.map(
    (p): AnyBulkWriteOperation<PortalCustomerDoc> => ({
      updateOne: {
        filter: { _id: p._id },
        update: {
          $set: { status: 'inactive', migratedTo: moved.get(p._id), migratedAt, activeKey: `inactive/${p._id}` },
        },
      },
    }),
  );
  await inCommands(profilesOf, deactivations, 'deactivating profiles', progress);
  return profiles.length;
}

async function inCommands<T extends Document>(
  collection: Collection<T>,
  ops: AnyBulkWriteOperation<T>[],
  phase: string,
  progress: RawProgress,
) {
  Object.assign(progress, { phase, done: 0, total: ops.length });
  const size = opsPerWriteCommand();
  for (let i = 0; i < ops.length; i += size) {
    await collection.bulkWrite(ops.slice(i, i + size), { ordered: false });
    progress.done = Math.min(i + size, ops.length);
  }
}
