import type { AnyBulkWriteOperation } from 'mongodb';
import { bulkWrite } from '../../db/bulk';
import { insertMissing } from '../../db/insertMissing';
import { plural, utcDay } from '../../text';
import { accountSiteOps } from '../accountSiteChange';
import { recordAudit } from '../audit';
import type { OperationContext } from '../context';
import { derivedAccountId } from '../ids';
import {
  AccountSite,
  AtlassianAccount,
  type AtlassianAccountDoc,
  accountKeys,
  CUSTOMER_ROLE,
  customersGroupName,
  Group,
  groupId,
  PortalCustomer,
  type PortalCustomerDoc,
  type SiteDoc,
} from '../models';
import type { PlanOutcome, ToAccountPlan } from './plan';
import { lookupReader, type SiteReader } from './reads';
import { moveRequests } from './requests';

/**
 * DOMAIN.md operation 5, planned and applied for many customers of one site at a time, in bulk.
 * Plans are keyed by email key.
 */
export async function planToAccount(
  site: SiteDoc,
  emails: readonly string[],
  reader: SiteReader = lookupReader(site._id),
): Promise<Map<string, PlanOutcome<ToAccountPlan>>> {
  const [{ keys, profiles, accounts, entries, requestsOf }, groupExists] = await Promise.all([
    reader.read(emails),
    Group.exists({ _id: groupId(site._id, customersGroupName(site)) }),
  ]);
  const active = new Map(profiles.filter((p) => p.status === 'active').map((p) => [p.emailKey, p]));
  const accountOf = new Map(accounts.map((a) => [a.emailKey, a]));
  const withAccess = new Set(entries.filter((e) => e.siteAccess).map((e) => e.account));
  const { reported, participating } = await requestsOf([...active.values()].map((p) => p._id));

  const outcomes = new Map<string, PlanOutcome<ToAccountPlan>>();
  for (const key of keys) {
    const profile = active.get(key);
    if (!profile) {
      outcomes.set(key, { refused: whyNotMigratable(key, site._id, profiles) });
      continue;
    }
    const account = accountOf.get(key);
    if (account && account.status !== 'active') {
      outcomes.set(key, {
        refused: `The Atlassian account of ${profile.email} is ${account.status}; reactivate it before migrating.`,
      });
      continue;
    }
    const requests = reported.get(profile._id) ?? [];
    outcomes.set(key, {
      plan: {
        kind: 'migrate-to-account',
        site: site._id,
        email: profile.email,
        displayName: profile.displayName,
        portalCustomer: profile._id,
        account: account?._id ?? derivedAccountId('migrated', profile._id),
        createAccount: !account,
        requests,
        participantOf: participating.get(profile._id) ?? [],
        group: customersGroupName(site),
        createGroup: !groupExists,
        grantSiteAccess: !account || !withAccess.has(account._id),
        warnings: warningsFor(profile, account, requests.length),
      },
    });
  }
  return outcomes;
}

function whyNotMigratable(key: string, site: string, profiles: readonly PortalCustomerDoc[]): string {
  const migrated = profiles.find((p) => p.emailKey === key && p.migratedTo);
  if (migrated?.migratedAt) {
    return `${migrated.email} was already migrated on ${utcDay(migrated.migratedAt)} to Atlassian account ${migrated.migratedTo}; a migration cannot be undone.`;
  }
  if (profiles.some((p) => p.emailKey === key)) {
    return `The portal-only profile of ${key} on ${site} is inactive; only active customers can be migrated.`;
  }
  return `There is no portal-only customer ${key} on site ${site}.`;
}

function warningsFor(profile: PortalCustomerDoc, account: AtlassianAccountDoc | undefined, requests: number): string[] {
  const warnings: string[] = [];
  if (!account) {
    warnings.push(
      `A new Atlassian account will be created: ${profile.email} must verify their email and log in with Atlassian credentials.`,
    );
  } else if (!account.emailVerified) {
    warnings.push(
      `${profile.email} has not verified the email of their Atlassian account; they must before logging in.`,
    );
  }
  if (profile.invitedToProduct) {
    warnings.push(
      `${profile.email} was invited to a product: migrating makes their ${plural(requests, 'portal-only request')} visible to the account.`,
    );
  }
  return warnings;
}

/**
 * Applies plans of one site, in an order that keeps every request's reporter existing and active at each step:
 * group, accounts, access and roles, requests, then the portal-only profiles are deactivated. Every write is
 * idempotent, so a job interrupted anywhere can apply the same plans again. Returns the emails that failed.
 */
export async function applyToAccount(
  plans: readonly ToAccountPlan[],
  context: OperationContext,
): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  const first = plans[0];
  if (!first) return failed;
  const groupKey = groupId(first.site, first.group);
  const group = {
    _id: groupKey,
    site: first.site,
    name: first.group,
    roles: [CUSTOMER_ROLE],
    origin: 'default' as const,
    review: null,
  };
  await insertMissing(Group, [group]);
  await Group.updateOne({ _id: groupKey }, { $addToSet: { roles: CUSTOMER_ROLE } });

  const newAccounts = plans
    .filter((p) => p.createAccount)
    .map((p) => {
      const doc = {
        _id: p.account,
        email: p.email,
        displayName: p.displayName,
        emailVerified: false,
        status: 'active' as const,
      };
      return { ...doc, ...accountKeys(doc) };
    });
  const refusedAccounts = await insertMissing(AtlassianAccount, newAccounts);
  for (const plan of plans) {
    if (refusedAccounts.has(plan.account)) {
      failed.set(
        plan.email,
        `Another Atlassian account was created for ${plan.email} during the migration; run it again to use that account.`,
      );
    }
  }
  const ready = plans.filter((p) => !failed.has(p.email));

  const accessOps = ready.flatMap((p) =>
    accountSiteOps(p.account, p.site, {
      set: { siteAccess: true },
      add: { roles: [CUSTOMER_ROLE], groups: [p.group] },
    }),
  );
  await bulkWrite(AccountSite, accessOps, { ordered: true });
  await moveRequests(ready.map((p) => ({ site: p.site, from: p.portalCustomer, to: p.account })));

  const migratedAt = new Date();
  const deactivations: AnyBulkWriteOperation<PortalCustomerDoc>[] = ready.map((p) => ({
    updateOne: {
      filter: { _id: p.portalCustomer, status: 'active' },
      update: {
        $set: { status: 'inactive', migratedTo: p.account, migratedAt, activeKey: `inactive/${p.portalCustomer}` },
      },
    },
  }));
  if (deactivations.length) await bulkWrite(PortalCustomer, deactivations, { ordered: false });

  await recordAudit(
    context,
    ...ready.map((p) => ({
      action: 'migration.to-account',
      target: p.email,
      site: p.site,
      summary: `Migrated ${p.email} to ${p.createAccount ? 'a new' : 'their'} Atlassian account on ${p.site}: ${plural(p.requests.length, 'request')} moved, added to ${p.group}.`,
      changes: { portalCustomer: p.portalCustomer, account: p.account, requests: p.requests, group: p.group },
    })),
  );
  return failed;
}
