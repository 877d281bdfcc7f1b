/**
 * A migration is planned before anything is written: the plan says exactly what will change for one customer,
 * a preview shows plans without writing, and a job stores each plan before applying it, so that a resumed job
 * applies (and reports) the same change it planned.
 */

export type MigrationKind = 'migrate-to-account' | 'make-portal-only';

/** DOMAIN.md operation 5: a portal-only customer becomes (or joins) an Atlassian account. */
export interface ToAccountPlan {
  kind: 'migrate-to-account';
  site: string;
  email: string;
  displayName: string;
  portalCustomer: string;
  account: string;
  /** A new account is created (unverified); otherwise the email's existing account is reused. */
  createAccount: boolean;
  /** Keys of the requests whose reporter moves from the portal-only profile to the account. */
  requests: string[];
  /** Keys of the requests where the profile is a participant. */
  participantOf: string[];
  /** The customers group the account joins, and whether it must be created. */
  group: string;
  createGroup: boolean;
  grantSiteAccess: boolean;
  warnings: string[];
}

/** DOMAIN.md operation 6: an Atlassian account becomes portal-only on one site. */
export interface ToPortalOnlyPlan {
  kind: 'make-portal-only';
  site: string;
  email: string;
  displayName: string;
  account: string;
  portalCustomer: string;
  /** A new profile is created; otherwise the email's active portal-only profile on the site receives the requests. */
  createPortalCustomer: boolean;
  requests: string[];
  participantOf: string[];
  revokedProducts: string[];
  removedRoles: string[];
  removedGroups: string[];
  warnings: string[];
}

export type MigrationPlan = ToAccountPlan | ToPortalOnlyPlan;

/** What planning says about one email: the plan, or why it cannot be done (a sentence for a person). */
export type PlanOutcome<P extends MigrationPlan = MigrationPlan> = { plan: P } | { refused: string };

/** Counters summed over a batch for its summary. */
export interface MigrationCounts {
  requestsMoved: number;
  accountsCreated: number;
  portalCustomersCreated: number;
  licencesRevoked: number;
}

export function countsOf(plan: MigrationPlan): MigrationCounts {
  return {
    requestsMoved: plan.requests.length,
    accountsCreated: plan.kind === 'migrate-to-account' && plan.createAccount ? 1 : 0,
    portalCustomersCreated: plan.kind === 'make-portal-only' && plan.createPortalCustomer ? 1 : 0,
    licencesRevoked: plan.kind === 'make-portal-only' ? plan.revokedProducts.length : 0,
  };
}

export const emptyCounts = (): MigrationCounts => ({
  requestsMoved: 0,
  accountsCreated: 0,
  portalCustomersCreated: 0,
  licencesRevoked: 0,
});

export function addCounts(total: MigrationCounts, more: Partial<MigrationCounts>): MigrationCounts {
  for (const key of Object.keys(total) as (keyof MigrationCounts)[]) total[key] += more[key] ?? 0;
  return total;
}
