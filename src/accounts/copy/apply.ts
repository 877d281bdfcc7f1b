import { bulkWrite } from '../../db/bulk';
import { insertMissing } from '../../db/insertMissing';
import { accountSiteOps } from '../accountSiteChange';
import { recordAudit } from '../audit';
import type { OperationContext } from '../context';
import { createImportedGroup } from '../groupReview';
import { AccountSite, CUSTOMER_ROLE, PortalCustomer, type PortalCustomerDoc, portalCustomerKeys } from '../models';
import { copyNote } from './describe';
import { type CopyPlan, importedGroupName } from './plan';

/**
 * Applies copy plans (one source and destination), in bulk: the run's imported group first (so no membership
 * ever names a missing group), then the portal-only copies, then the accounts' roles and memberships on the
 * destination. Every write is idempotent (derived ids, insertMissing, $addToSet upserts), so a resumed job
 * applies the same plans again to the same end state. The run is the context's correlation id (the job).
 * Returns the emails that failed, with why.
 */
export async function applyCopy(plans: readonly CopyPlan[], context: OperationContext): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  const first = plans[0];
  if (!first) return failed;
  const { from, to } = first;
  const group = importedGroupName(from, context.correlationId);
  if (plans.some((p) => p.importToGroup)) await createImportedGroup(from, to, group, context);

  const profiles = plans.flatMap((p): PortalCustomerDoc[] => {
    if (!p.portalCustomer) return [];
    const doc = {
      _id: p.portalCustomer.id,
      site: to,
      email: p.email,
      displayName: p.displayName,
      status: p.portalCustomer.status,
      // A copy is a new profile on the destination: never invited there, never migrated there.
      invitedToProduct: null,
      migratedTo: null,
      migratedAt: null,
    };
    return [{ ...doc, ...portalCustomerKeys(doc) }];
  });
  const refusedProfiles = await insertMissing(PortalCustomer, profiles);
  for (const plan of plans) {
    if (plan.portalCustomer && refusedProfiles.has(plan.portalCustomer.id)) {
      failed.set(
        plan.email,
        `An active portal-only customer ${plan.email} was created on ${to} during the copy; run the copy again to skip it.`,
      );
    }
  }
  const ready = plans.filter((p) => !failed.has(p.email));

  const accessOps = ready.flatMap((p) => [
    ...(p.grantRole
      ? accountSiteOps(p.grantRole, to, {
          set: p.grantSiteAccess ? { siteAccess: true } : {},
          add: { roles: [CUSTOMER_ROLE] },
        })
      : []),
    ...(p.importToGroup ? accountSiteOps(p.importToGroup, to, { add: { groups: [group] } }) : []),
  ]);
  await bulkWrite(AccountSite, accessOps, { ordered: true });

  await recordAudit(
    context,
    ...ready
      .filter((p) => p.case !== 'already-on-destination')
      .map((p) => ({
        action: 'copy.customer',
        target: p.email,
        site: to,
        summary: `Copied ${p.email} from ${from} to ${to}: ${copyNote(p, group)}.`,
        changes: {
          case: p.case,
          portalCustomer: p.portalCustomer?.id ?? null,
          account: p.grantRole ?? p.importToGroup,
          group: p.importToGroup ? group : null,
        },
      })),
  );
  return failed;
}
