import type { AnyBulkWriteOperation } from 'mongodb';
import { bulkWrite } from '../db/bulk';
import { AccountSite, type AccountSiteDoc, accountSiteId } from './models';

type ListField = 'products' | 'roles' | 'groups';
const LIST_FIELDS: ListField[] = ['products', 'roles', 'groups'];

/** A change to what one account has on one site. Every part is idempotent, so a repeat changes nothing. */
export interface AccountSiteChange {
  set?: Partial<Pick<AccountSiteDoc, 'siteAccess' | 'admin'>>;
  add?: Partial<Record<ListField, string[]>>;
  remove?: Partial<Record<ListField, string[]>>;
}

/**
 * The writes for a change, as bulk operations so that a job can send many accounts' changes in one command:
 * an upsert that creates the entry if needed and applies the sets and additions, then (only if something is
 * removed) a plain update, because one update may not add to and remove from the same list.
 * The lists are always written through $addToSet, even with nothing to add, so that a new entry has all three
 * (FerretDB v1 drops empty arrays given in $setOnInsert).
 */
export function accountSiteOps(
  account: string,
  site: string,
  change: AccountSiteChange,
): AnyBulkWriteOperation<AccountSiteDoc>[] {
  const _id = accountSiteId(account, site);
  const $set = { ...change.set };
  const $setOnInsert = Object.fromEntries(
    Object.entries({ account, site, siteAccess: false, admin: false }).filter(([key]) => !(key in $set)),
  );
  const $addToSet = Object.fromEntries(LIST_FIELDS.map((field) => [field, { $each: change.add?.[field] ?? [] }]));
  const update = Object.keys($set).length ? { $setOnInsert, $set, $addToSet } : { $setOnInsert, $addToSet };
  const ops: AnyBulkWriteOperation<AccountSiteDoc>[] = [{ updateOne: { filter: { _id }, update, upsert: true } }];
  const $pullAll = Object.fromEntries(
    LIST_FIELDS.map((field) => [field, change.remove?.[field] ?? []] as const).filter(([, values]) => values.length),
  );
  if (Object.keys($pullAll).length) ops.push({ updateOne: { filter: { _id }, update: { $pullAll } } });
  return ops;
}

export async function changeAccountSite(account: string, site: string, change: AccountSiteChange): Promise<void> {
  await bulkWrite(AccountSite, accountSiteOps(account, site, change), { ordered: true });
}

/** The account's entries, keyed by site. */
export async function accountSitesOf(account: string): Promise<Map<string, AccountSiteDoc>> {
  const entries = await AccountSite.find({ account }).sort({ _id: 1 }).lean();
  return new Map(entries.map((entry) => [entry.site, entry]));
}
