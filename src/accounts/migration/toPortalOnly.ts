import { bulkWrite } from '../../db/bulk';
import { insertMissing } from '../../db/insertMissing';
import { plural, utcDay } from '../../text';
import { accountSiteOps } from '../accountSiteChange';
import { recordAudit } from '../audit';
import type { OperationContext } from '../context';
import { derivedPortalCustomerId } from '../ids';
import {
  AccountSite,
  type AccountSiteDoc,
  type AtlassianAccountDoc,
  CUSTOMER_ROLE,
  PortalCustomer,
  type PortalCustomerDoc,
  portalCustomerKeys,
  type SiteDoc,
} from '../models';
import type { PlanOutcome, ToPortalOnlyPlan } from './plan';
import { lookupReader, type SiteReader } from './reads';
import { moveRequests } from './requests';

export interface ToPortalOnlyOptions {
  /** The admin confirmed that product access (licences) on the site may be revoked. */
  revokeLicences: boolean;
}

/**
 * DOMAIN.md operation 6 (the direction Atlassian declined to build, JSDCLOUD-10608), planned for many accounts
 * of one site at a time. Only that site changes: portal-only accounts are site-scoped, and the account's other
 * sites and the global account stay as they are. Plans are keyed by email key.
 */
export async function planToPortalOnly(
  site: SiteDoc,
  emails: readonly string[],
  options: ToPortalOnlyOptions,
  reader: SiteReader = lookupReader(site._id),
): Promise<Map<string, PlanOutcome<ToPortalOnlyPlan>>> {
  const { keys, accounts, profiles, entries, requestsOf } = await reader.read(emails);
  const accountOf = new Map(accounts.map((a) => [a.emailKey, a]));
  const entryOf = new Map(entries.map((e) => [e.account, e]));
  const { reported, participating } = await requestsOf(accounts.map((a) => a._id));

  const outcomes = new Map<string, PlanOutcome<ToPortalOnlyPlan>>();
  for (const key of keys) {
    const found = accountOf.get(key);
    const checked = checkEligible(key, site._id, found, found && entryOf.get(found._id), options);
    if ('refused' in checked) {
      outcomes.set(key, checked);
      continue;
    }
    const { account, entry } = checked;
    const ownProfiles = profiles.filter((p) => p.emailKey === key);
    const migrated = ownProfiles.find((p) => p.migratedTo === account._id);
    if (migrated?.migratedAt) {
      outcomes.set(key, {
        refused: `${account.email} was migrated on ${utcDay(migrated.migratedAt)} from a portal-only profile to Atlassian account ${account._id}; a migration cannot be undone.`,
      });
      continue;
    }
    const existing = ownProfiles.find((p) => p.status === 'active');
    const warnings = entry.products.length
      ? [`${account.email} loses their licences on ${site._id}: ${entry.products.join(', ')}.`]
      : [];
    if (existing)
      warnings.push(`${account.email} already has a portal-only profile on ${site._id}; it receives the requests.`);
    outcomes.set(key, {
      plan: {
        kind: 'make-portal-only',
        site: site._id,
        email: account.email,
        displayName: account.displayName,
        account: account._id,
        // Derived from how many profiles the email has had on the site, so a repeat plans the same new id.
        portalCustomer:
          existing?._id ?? derivedPortalCustomerId('portal-only', account._id, site._id, String(ownProfiles.length)),
        createPortalCustomer: !existing,
        requests: reported.get(account._id) ?? [],
        participantOf: participating.get(account._id) ?? [],
        revokedProducts: [...entry.products].sort(),
        removedRoles: entry.roles.filter((r) => r === CUSTOMER_ROLE),
        removedGroups: [...entry.groups].sort(),
        warnings,
      },
    });
  }
  return outcomes;
}

function checkEligible(
  key: string,
  site: string,
  account: AtlassianAccountDoc | undefined,
  entry: AccountSiteDoc | undefined,
  options: ToPortalOnlyOptions,
): { refused: string } | { account: AtlassianAccountDoc; entry: AccountSiteDoc } {
  if (!account) return { refused: `There is no Atlassian account for ${key}.` };
  const email = account.email;
  if (account.status !== 'active') {
    return {
      refused: `The Atlassian account of ${email} is ${account.status}; only active accounts can be made portal-only.`,
    };
  }
  if (!entry?.siteAccess) return { refused: `${email} has no access to site ${site}.` };
  if (entry.admin) return { refused: `${email} is an admin of ${site}; an admin cannot be made portal-only.` };
  if (entry.products.length && !options.revokeLicences) {
    return {
      refused: `${email} holds ${entry.products.join(', ')} on ${site}; confirm revoking their licences to make them portal-only.`,
    };
  }
  return { account, entry };
}

/**
 * Applies plans of one site: the portal-only profiles first, then the requests move to them, then the account
 * loses the Customer role, its groups, its licences (when confirmed) and its access on the site. Idempotent
 * like every migration step. Returns the emails that failed.
 */
export async function applyToPortalOnly(
  plans: readonly ToPortalOnlyPlan[],
  context: OperationContext,
): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  const profiles: PortalCustomerDoc[] = plans
    .filter((p) => p.createPortalCustomer)
    .map((p) => {
      const doc = {
        _id: p.portalCustomer,
        site: p.site,
        email: p.email,
        displayName: p.displayName,
        status: 'active' as const,
        invitedToProduct: null,
        migratedTo: null,
        migratedAt: null,
      };
      return { ...doc, ...portalCustomerKeys(doc) };
    });
  const refused = await insertMissing(PortalCustomer, profiles);
  for (const plan of plans) {
    if (refused.has(plan.portalCustomer)) {
      failed.set(
        plan.email,
        `A portal-only profile for ${plan.email} was created on ${plan.site} during the change; run it again to use it.`,
      );
    }
  }
  const ready = plans.filter((p) => !failed.has(p.email));

  await moveRequests(ready.map((p) => ({ site: p.site, from: p.account, to: p.portalCustomer })));
  const accessOps = ready.flatMap((p) =>
    accountSiteOps(p.account, p.site, {
      set: { siteAccess: false },
      remove: { roles: p.removedRoles, groups: p.removedGroups, products: p.revokedProducts },
    }),
  );
  await bulkWrite(AccountSite, accessOps, { ordered: true });

  await recordAudit(
    context,
    ...ready.map((p) => ({
      action: 'migration.to-portal-only',
      target: p.email,
      site: p.site,
      summary: `Made ${p.email} portal-only on ${p.site}: ${plural(p.requests.length, 'request')} moved${p.revokedProducts.length ? `, licences revoked: ${p.revokedProducts.join(', ')}` : ''}.`,
      changes: {
        account: p.account,
        portalCustomer: p.portalCustomer,
        requests: p.requests,
        revokedProducts: p.revokedProducts,
        removedRoles: p.removedRoles,
        removedGroups: p.removedGroups,
      },
    })),
  );
  return failed;
}
