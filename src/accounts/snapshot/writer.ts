import type { AnyBulkWriteOperation, Filter } from 'mongodb';
import type { Model } from 'mongoose';
import { bulkWrite } from '../../db/bulk';
import { insertNew } from '../../db/insertMissing';
import { AccountSite, AtlassianAccount, CustomerRequest, Group, Organization, PortalCustomer, Site } from '../models';
import type {
  Snapshot,
  SnapshotAccount,
  SnapshotGroup,
  SnapshotPortalCustomer,
  SnapshotRequest,
  SnapshotSite,
} from './format';
import {
  accountDoc,
  accountSiteDocs,
  groupDoc,
  type Memberships,
  portalCustomerDoc,
  requestDoc,
  siteDoc,
} from './records';

/**
 * Writes snapshot records keyed by each entity's id (its natural key), in bulk. Writing the same records twice
 * changes nothing, which is what makes `accounts load` repeatable and `accounts seed` resumable. Used by both:
 * load replaces what is there (upserts: the file is the truth), seed inserts what is missing (a seed's records
 * are the same every time, and an insert costs FerretDB a fraction of an upsert: 100,000 customers were 45
 * minutes of upserts).
 */
export class DirectoryWriter {
  /** Documents inserted or changed so far, per collection. */
  readonly changed: Record<string, number> = {};

  constructor(
    private readonly organization: Snapshot['organization'],
    private readonly existing: 'replace' | 'keep' = 'replace',
  ) {}

  async organizationRecord(): Promise<void> {
    const { id, name } = this.organization;
    await this.replace(Organization, [{ _id: id, name }]);
  }

  sites(records: readonly SnapshotSite[]) {
    return this.replace(
      Site,
      records.map((s) => siteDoc(s, this.organization.id)),
    );
  }

  portalCustomers(records: readonly SnapshotPortalCustomer[]) {
    return this.replace(PortalCustomer, records.map(portalCustomerDoc));
  }

  /** Accounts and what they have on each site; an account's sites not in its record are left as they are. */
  async accounts(records: readonly SnapshotAccount[], membershipsOf: (accountId: string) => Memberships) {
    await this.replace(AtlassianAccount, records.map(accountDoc));
    await this.replace(
      AccountSite,
      records.flatMap((a) => accountSiteDocs(a, membershipsOf(a.id))),
    );
  }

  /** Group documents only: the members are written with the accounts' site entries. */
  groups(records: readonly SnapshotGroup[]) {
    return this.replace(Group, records.map(groupDoc));
  }

  requests(records: readonly SnapshotRequest[]) {
    return this.replace(CustomerRequest, records.map(requestDoc));
  }

  get total(): number {
    return Object.values(this.changed).reduce((sum, n) => sum + n, 0);
  }

  private async replace<T extends { _id: string }>(model: Model<T>, docs: T[]): Promise<void> {
    if (this.existing === 'keep') return this.count(model.collection.collectionName, await insertNew(model, docs));
    const ops = docs.map(
      (doc): AnyBulkWriteOperation<T> => ({
        replaceOne: { filter: { _id: doc._id } as Filter<T>, replacement: doc, upsert: true },
      }),
    );
    const result = await bulkWrite(model, ops, { ordered: false });
    this.count(model.collection.collectionName, result.upserted + result.modified);
  }

  private count(name: string, changed: number): void {
    if (changed > 0) this.changed[name] = (this.changed[name] ?? 0) + changed;
  }
}

/** Memberships keyed by account, from the groups of a snapshot (where the format keeps them). */
export function membershipsFromGroups(groups: readonly SnapshotGroup[]): (accountId: string) => Memberships {
  const byAccount = new Map<string, Map<string, string[]>>();
  for (const group of groups) {
    for (const member of group.members) {
      const sites = byAccount.get(member) ?? new Map<string, string[]>();
      sites.set(group.site, [...(sites.get(group.site) ?? []), group.name]);
      byAccount.set(member, sites);
    }
  }
  return (accountId) => byAccount.get(accountId) ?? new Map();
}
