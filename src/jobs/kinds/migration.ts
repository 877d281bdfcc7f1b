import { emailKey } from '../../accounts/email';
import {
  applyMigrations,
  countsOf,
  describeTarget,
  type MigrationPlan,
  type MigrationRequest,
  migrationPlanner,
  previewMigration,
  resolveTargets,
} from '../../accounts/migration';
import { requireWritableSite } from '../../accounts/sites';
import type { JobHandler } from '../handler';

/** Migrations in both directions (DOMAIN.md operations 5, 6 and 8) as jobs. */
export const migrationHandler: JobHandler<MigrationRequest, MigrationPlan> = {
  site: (request) => request.site,
  describe: (request) => describeTarget(request.target),
  targets: async (request) => {
    await requireWritableSite(request.site);
    return resolveTargets(request);
  },
  fingerprint: async (request) => (await previewMigration(request)).fingerprint,
  planner: migrationPlanner,
  apply: async (request, plans, context) => {
    const failures = await applyMigrations(request.kind, plans, context);
    return new Map([...failures].map(([email, reason]) => [emailKey(email), reason]));
  },
  emailOf: (plan) => plan.email,
  counts: (plan) => ({ ...countsOf(plan) }),
  note: (plan) => (plan.kind === 'migrate-to-account' ? `added to ${plan.group}` : null),
};
