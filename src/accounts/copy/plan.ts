import type { PortalCustomerStatus } from '../models';

/**
 * DOMAIN.md operation 9. A copy is planned per customer (one email) before anything is written: a preview shows
 * the plans, and the job stores each plan before applying it, so a resumed job applies and reports the same.
 */
export interface CopyRequest {
  kind: 'copy-customers';
  from: string;
  to: string;
  /** Only the customers who raised or participate in requests of these source projects. */
  projects?: string[];
}

/**
 * The row of DOMAIN.md's table a customer falls in, plus the two outcomes the table leaves out: nothing to do
 * (the same form is already on the destination, which is what makes a re-run change nothing), and an account
 * whose site access on the destination was turned off by an admin (given the role, access left off, reported).
 */
export type CopyCase =
  | 'portal-only' // copied as portal-only (an active or an inactive profile)
  | 'customer-role' // the Atlassian account gets the Customer role on the destination
  | 'imported-group' // portal-only on the source, Atlassian account on the destination: imported group
  | 'duplicate' // Atlassian account on the source, portal-only on the destination
  | 'site-access-off' // the account gets the role, but its access on the destination stays off
  | 'already-on-destination';

/** The cases that leave the customer needing an action: the rows of RequiresAttention.csv. */
export const NEEDS_ACTION: readonly CopyCase[] = ['imported-group', 'duplicate', 'site-access-off'];

export type AccountType = 'portal-only' | 'atlassian-account';
export type DestinationType = AccountType | 'none' | 'both';

export interface CopyPlan {
  kind: 'copy-customers';
  from: string;
  to: string;
  email: string;
  displayName: string;
  case: CopyCase;
  /** What the customer is on the source and was on the destination when planned (for the report). */
  source: AccountType;
  destination: DestinationType;
  /** A copy of a source portal-only profile, created on the destination with the same status (derived id). */
  portalCustomer: { id: string; copyOf: string; status: PortalCustomerStatus } | null;
  /** The account given the Customer role on the destination. */
  grantRole: string | null;
  /** Site access comes with the role only for an account new to the destination that has access on the source. */
  grantSiteAccess: boolean;
  /** The account that joins this run's imported group (named after the run, so not part of the plan). */
  importToGroup: string | null;
  /** The destination's active portal-only profile that duplicates the account. */
  duplicateOf: string | null;
  /** Sentences for people: why nothing is done, what is left out. */
  notes: string[];
}

/** What planning says about one email: the plan, or why it cannot be done (a sentence for a person). */
export type CopyOutcome = { plan: CopyPlan } | { refused: string };

export interface CopyCounts {
  copiedPortalOnly: number;
  copiedInactive: number;
  customerRoleGranted: number;
  siteAccessOff: number;
  importedToGroup: number;
  duplicates: number;
  alreadyOnDestination: number;
  /** Customers left needing an action (the report's rows, failures aside). */
  needsAction: number;
}

export const emptyCopyCounts = (): CopyCounts => ({
  copiedPortalOnly: 0,
  copiedInactive: 0,
  customerRoleGranted: 0,
  siteAccessOff: 0,
  importedToGroup: 0,
  duplicates: 0,
  alreadyOnDestination: 0,
  needsAction: 0,
});

export function copyCounts(plan: CopyPlan): CopyCounts {
  const is = (kind: CopyCase) => (plan.case === kind ? 1 : 0);
  return {
    copiedPortalOnly: plan.portalCustomer?.status === 'active' ? 1 : 0,
    copiedInactive: plan.portalCustomer?.status === 'inactive' ? 1 : 0,
    customerRoleGranted: is('customer-role'),
    siteAccessOff: is('site-access-off'),
    importedToGroup: is('imported-group'),
    duplicates: is('duplicate'),
    alreadyOnDestination: is('already-on-destination'),
    needsAction: NEEDS_ACTION.includes(plan.case) ? 1 : 0,
  };
}

export function addCopyCounts(total: CopyCounts, more: Partial<Record<keyof CopyCounts, number>>): CopyCounts {
  for (const key of Object.keys(total) as (keyof CopyCounts)[]) total[key] += more[key] ?? 0;
  return total;
}

/** One imported group per copy run: the same name in every chunk and every resume of the run. */
export const importedGroupName = (from: string, runId: string) => `imported-from-${from}-${runId}`;
