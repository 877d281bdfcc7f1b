import type { AnyBulkWriteOperation, Filter } from 'mongodb';
import type { Model } from 'mongoose';
import { recordAudit } from '../accounts/audit';
import type { OperationContext } from '../accounts/context';
import { emailKey } from '../accounts/email';
import {
  AccountSite,
  AtlassianAccount,
  CustomerRequest,
  Group,
  Organization,
  PortalCustomer,
  Site,
} from '../accounts/models';
import {
  accountDoc,
  accountSiteDocs,
  groupDoc,
  portalCustomerDoc,
  requestDoc,
  siteDoc,
} from '../accounts/snapshot/records';
import { membershipsFromGroups } from '../accounts/snapshot/writer';
import { bulkWrite } from '../db/bulk';
import { defaultAccountId, defaultPortalCustomerId, type IdResolver, type SiteRecords } from './records';

/**
 * Reconciling the directory with one site's reading, in two steps so that a sync killed anywhere resumes: the
 * plan (reads only) lists the documents that differ from the directory and those the site no longer has; the
 * apply writes exactly those, as upserts by natural key and deletes by id, so running it again changes nothing.
 * A site with nothing changed plans no write at all. Fields no public API gives are kept from the directory.
 */

type Collection =
  | 'organizations'
  | 'sites'
  | 'atlassianAccounts'
  | 'accountSites'
  | 'portalCustomers'
  | 'groups'
  | 'requests';
type Doc = { _id: string } & Record<string, unknown>;

export interface ReconcilePlan {
  site: string;
  /** Documents to write (inserted or changed), per collection, in the order they are written. */
  writes: Partial<Record<Collection, Doc[]>>;
  /** Ids to delete: the site's records a complete reading no longer has. */
  removals: Partial<Record<'requests' | 'groups' | 'accountSites' | 'portalCustomers', string[]>>;
}

const MODELS: Record<Collection, Model<never>> = {
  organizations: Organization as unknown as Model<never>,
  sites: Site as unknown as Model<never>,
  atlassianAccounts: AtlassianAccount as unknown as Model<never>,
  accountSites: AccountSite as unknown as Model<never>,
  portalCustomers: PortalCustomer as unknown as Model<never>,
  groups: Group as unknown as Model<never>,
  requests: CustomerRequest as unknown as Model<never>,
};
const WRITE_ORDER: Collection[] = [
  'organizations',
  'sites',
  'atlassianAccounts',
  'accountSites',
  'portalCustomers',
  'groups',
  'requests',
];
const REMOVE_ORDER = ['requests', 'groups', 'accountSites', 'portalCustomers'] as const;

/** Existing directory ids by email, so a record the directory already has keeps its id. */
export async function idResolver(site: string, emails: readonly string[]): Promise<IdResolver> {
  const keys = [...new Set(emails.map(emailKey))];
  const [accounts, customers] = await Promise.all([
    AtlassianAccount.find({ emailKey: { $in: keys }, status: { $ne: 'closed' } }, { emailKey: 1 }).lean(),
    PortalCustomer.find({ site, emailKey: { $in: keys } }, { emailKey: 1, status: 1 }).lean(),
  ]);
  const accountByEmail = new Map(accounts.map((a) => [a.emailKey, a._id]));
  const customerByEmail = new Map(customers.filter((c) => c.status === 'active').map((c) => [c.emailKey, c._id]));
  return {
    account: (id, email) => accountByEmail.get(emailKey(email)) ?? defaultAccountId(id),
    portalCustomer: (id, email) => {
      const own = defaultPortalCustomerId(id);
      return customers.some((c) => c._id === own) ? own : (customerByEmail.get(emailKey(email)) ?? own);
    },
  };
}

export async function planReconcile(
  records: SiteRecords,
  organization: { id: string; name: string },
): Promise<ReconcilePlan> {
  const site = records.site.id;
  const [oldCustomers, oldAccounts, oldGroups] = await Promise.all([
    PortalCustomer.find({ site }).lean(),
    AtlassianAccount.find({ _id: { $in: records.accounts.map((a) => a.id) } }).lean(),
    Group.find({ site }).lean(),
  ]);
  const customerById = new Map(oldCustomers.map((c) => [c._id, c]));
  const accountById = new Map(oldAccounts.map((a) => [a._id, a]));
  const groupById = new Map(oldGroups.map((g) => [g._id, g]));

  const portalCustomers = records.portalCustomers.map((record) => {
    const doc = portalCustomerDoc(record);
    const old = customerById.get(doc._id);
    // The history of a profile (invited, migrated) is not in any public API: keep what the directory knows.
    if (old)
      Object.assign(doc, {
        invitedToProduct: old.invitedToProduct,
        migratedTo: old.migratedTo,
        migratedAt: old.migratedAt,
      });
    return doc;
  });
  const accounts = records.accounts.map((record) => {
    const doc = accountDoc(record);
    const old = accountById.get(doc._id);
    if (old) doc.emailVerified = old.emailVerified;
    return doc;
  });
  const memberships = membershipsFromGroups(records.groups);
  const accountSites = records.accounts.flatMap((a) => accountSiteDocs(a, memberships(a.id)));
  const groups = records.groups.map((record) => {
    const doc = groupDoc(record);
    const old = groupById.get(doc._id);
    if (old)
      Object.assign(doc, {
        origin: old.origin,
        review: old.review ?? null,
        roles: old.origin === 'imported' ? old.roles : doc.roles,
      });
    return doc;
  });
  const requests = records.requests.map(requestDoc);

  const proposed: Record<Collection, Doc[]> = {
    organizations: [{ _id: organization.id, name: organization.name }],
    sites: [siteDoc(records.site, organization.id) as unknown as Doc],
    atlassianAccounts: accounts as unknown as Doc[],
    accountSites: accountSites as unknown as Doc[],
    portalCustomers: portalCustomers as unknown as Doc[],
    groups: groups as unknown as Doc[],
    requests: requests as unknown as Doc[],
  };
  const plan: ReconcilePlan = { site, writes: {}, removals: {} };
  for (const name of WRITE_ORDER) {
    const changed = await differing(MODELS[name], proposed[name]);
    if (changed.length) plan.writes[name] = changed;
  }
  const siteScoped = {
    requests: CustomerRequest,
    groups: Group,
    accountSites: AccountSite,
    portalCustomers: PortalCustomer,
  };
  for (const name of REMOVE_ORDER) {
    const keep = new Set(proposed[name].map((d) => d._id));
    const model = siteScoped[name] as unknown as Model<{ _id: string; site: string }>;
    const gone = (await model.find({ site }, { _id: 1 }).lean()).map((d) => d._id).filter((id) => !keep.has(id));
    if (gone.length) plan.removals[name] = gone;
  }
  return plan;
}

export const planTotals = (plan: ReconcilePlan) => ({
  written: Object.values(plan.writes).reduce((n, docs) => n + docs.length, 0),
  removed: Object.values(plan.removals).reduce((n, ids) => n + ids.length, 0),
});

/** Writes the plan; idempotent, so a sync killed halfway through applies it again to the same end. */
export async function applyReconcile(plan: ReconcilePlan, host: string, context: OperationContext): Promise<void> {
  for (const name of WRITE_ORDER) {
    const docs = plan.writes[name];
    if (!docs?.length) continue;
    const ops = docs.map(
      (doc): AnyBulkWriteOperation<Doc> => ({
        replaceOne: { filter: { _id: doc._id } as Filter<Doc>, replacement: doc, upsert: true },
      }),
    );
    await bulkWrite(MODELS[name] as unknown as Model<Doc>, ops, { ordered: false });
  }
  for (const name of REMOVE_ORDER) {
    const ids = plan.removals[name];
    if (ids?.length) await MODELS[name].deleteMany({ _id: { $in: ids } } as never);
  }
  const { written, removed } = planTotals(plan);
  if (written + removed === 0) return;
  const changes = Object.fromEntries([
    ...Object.entries(plan.writes).map(([name, docs]) => [`${name}Written`, docs.length]),
    ...Object.entries(plan.removals).map(([name, ids]) => [`${name}Removed`, ids.length]),
  ]);
  await recordAudit(context, {
    action: 'directory.sync',
    target: plan.site,
    site: plan.site,
    summary: `Synced ${plan.site} from ${host}: ${written} documents inserted or changed, ${removed} removed.`,
    changes,
  });
}

/** The proposed documents the directory does not hold exactly (a stored field the writer would drop counts). */
async function differing(model: Model<never>, docs: Doc[]): Promise<Doc[]> {
  if (docs.length === 0) return [];
  const existing = await model.find({ _id: { $in: docs.map((d) => d._id) } } as never).lean<Doc[]>();
  const byId = new Map(existing.map((d) => [d._id, d]));
  return docs.filter((doc) => {
    const old = byId.get(doc._id);
    return !old || canonical(old) !== canonical(doc);
  });
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
