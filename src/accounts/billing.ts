import { type AccountSiteDoc, AGENT_PRODUCT, type AtlassianAccountDoc } from './models';

/**
 * DOMAIN.md operation 11. Only product access is billable: the Customer role alone is billable neither for
 * Jira Service Management nor for Atlassian Guard. Portal-only customers are never billable.
 */
export interface SiteBilling {
  site: string;
  /** Products this account consumes a licence of on this site. */
  licensedProducts: string[];
  /** Billable for Jira Service Management here: agent access. */
  jsmAgent: boolean;
}

export interface Billing {
  sites: SiteBilling[];
  /** Billable for Atlassian Guard: any billable product access anywhere in the organization. */
  guard: boolean;
}

export function billingOf(
  account: Pick<AtlassianAccountDoc, 'status'>,
  entries: readonly Pick<AccountSiteDoc, 'site' | 'siteAccess' | 'products'>[],
): Billing {
  const usable = account.status === 'active';
  const sites = entries.map((entry) => {
    const licensedProducts = usable && entry.siteAccess ? [...entry.products].sort() : [];
    return { site: entry.site, licensedProducts, jsmAgent: licensedProducts.includes(AGENT_PRODUCT) };
  });
  return { sites, guard: sites.some((s) => s.licensedProducts.length > 0) };
}

export function describeBilling(billing: Billing): string {
  const licensed = billing.sites.filter((s) => s.licensedProducts.length > 0);
  if (licensed.length === 0) return 'Not billable: no product access (the Customer role alone is free).';
  const parts = licensed.map((s) => `${s.licensedProducts.join(', ')} on ${s.site}`);
  return `Billable for ${parts.join('; ')}; counts towards Atlassian Guard.`;
}
