import type { OperationContext } from '../accounts/context';
import { notFound } from '../accounts/errors';
import { Organization, Site } from '../accounts/models';
import { type AtlassianConfig, atlassianConfigFromEnv } from '../config';
import { atlassianClients } from './clients';
import { ConnectedSite, type ConnectedSiteDoc } from './connectedSite';
import { READING_PHASES, type ReadingProgress, readSite } from './read';
import { applyReconcile, idResolver, planReconcile, planTotals, type ReconcilePlan } from './reconcile';
import { siteRecords, type Unreadable } from './records';

/**
 * A sync of one connected site: read every page (reads only; a sync killed here starts its reading again), then
 * the reconcile plan is stored with the job and applied (a sync killed there applies the same plan again).
 */
export interface SyncPlan {
  site: string;
  host: string;
  /** When the reading began. */
  readAt: Date;
  counts: SyncCounts;
  reconcile: ReconcilePlan;
  /** Everything the APIs could not tell, with why: the sync report. */
  unreadable: Unreadable[];
}

export interface SyncCounts extends Record<string, number> {
  portalCustomers: number;
  accounts: number;
  groups: number;
  requests: number;
  written: number;
  removed: number;
  unreadable: number;
}

/** The steps of a sync's planning, as its progress shows them: Atlassian's pages, then the directory compared. */
export const SYNC_STEPS = [...READING_PHASES, 'the directory'] as const;
export type SyncStep = (typeof SYNC_STEPS)[number];
/** Hears after every page read, and once more before the comparison; it may throw to stop the sync. */
export type OnSyncProgress = (step: SyncStep, read: ReadingProgress['read']) => void;

export async function requireConnectedSite(site: string): Promise<ConnectedSiteDoc> {
  const connected = await ConnectedSite.findById(site.trim()).lean();
  if (connected) return connected;
  const known = (await ConnectedSite.find({}, { _id: 1 }).sort({ _id: 1 }).lean()).map((s) => s._id);
  throw notFound(
    `${site} is not connected to Atlassian; connect it first with \`accounts connect ${site} <host>\`.${known.length ? ` Connected sites: ${known.join(', ')}.` : ''}`,
  );
}

export async function planSync(
  siteId: string,
  onProgress: OnSyncProgress = () => {},
  config: AtlassianConfig = atlassianConfigFromEnv(),
): Promise<SyncPlan> {
  const { host } = await requireConnectedSite(siteId);
  const readAt = new Date();
  let read: ReadingProgress['read'] = { desk: 0, customer: 0, user: 0, group: 0, request: 0 };
  const reading = await readSite(atlassianClients(config, host), (progress) => {
    read = progress.read;
    onProgress(progress.phase, read);
  });
  onProgress('the directory', read);
  const emails = [...reading.customers.values(), ...reading.users.values()].flatMap((u) => u.email ?? []);
  for (const managed of reading.managed?.values() ?? []) if (managed.email) emails.push(managed.email);
  const existingSite = await Site.findById(siteId).lean();
  const records = siteRecords(siteId, host, existingSite, reading, await idResolver(siteId, emails));
  const organization = reading.organization ??
    (await Organization.findOne()
      .lean()
      .then((o) => (o ? { id: o._id, name: o.name } : null))) ?? {
      id: config.admin?.orgId ?? `org-${records.site.workspace}`,
      name: host,
    };
  const reconcile = await planReconcile(records, organization);
  return {
    site: siteId,
    host,
    readAt,
    counts: {
      portalCustomers: records.portalCustomers.length,
      accounts: records.accounts.length,
      groups: records.groups.length,
      requests: records.requests.length,
      ...planTotals(reconcile),
      unreadable: records.unreadable.length,
    },
    reconcile,
    unreadable: records.unreadable,
  };
}

/**
 * Applies a stored plan, unless a sync that began reading later has applied its own since (two syncs of one site
 * that overlap, such as one resumed after a crash and a new one): an older reading never overwrites a newer one.
 */
export async function applySync(plan: SyncPlan, context: OperationContext): Promise<string | null> {
  const last = (await ConnectedSite.findById(plan.site).lean())?.lastSync;
  if (last && last.job !== context.correlationId && new Date(last.readAt) > new Date(plan.readAt)) {
    return `Not applied: sync job ${last.job} read ${plan.host} later and has already applied its reading.`;
  }
  await applyReconcile(plan.reconcile, plan.host, context);
  await ConnectedSite.updateOne(
    { _id: plan.site },
    {
      $set: {
        lastSync: {
          job: context.correlationId,
          readAt: plan.readAt,
          at: new Date(),
          written: plan.counts.written,
          removed: plan.counts.removed,
          unreadable: plan.counts.unreadable,
        },
      },
    },
  );
  return null;
}
