import { plural } from '../../text';
import type { CopyCounts, CopyPlan } from './plan';
import type { CopyPreview } from './preview';
import { REPORT_FILE } from './report';

/** The sentences people read about copies, in the CLI and in Slack alike. */

/** What the copy does for one customer: "given the Customer role on acme-eu; inactive profile copied as inactive". */
export function copyNote(plan: CopyPlan, group = 'a new imported group'): string {
  const parts: string[] = [];
  if (plan.case === 'customer-role') parts.push(`given the Customer role on ${plan.to}`);
  if (plan.case === 'duplicate')
    parts.push(`given the Customer role on ${plan.to}, where a portal-only profile duplicates it`);
  if (plan.case === 'site-access-off')
    parts.push(`given the Customer role on ${plan.to}, where their site access stays off`);
  if (plan.case === 'imported-group') parts.push(`added to ${group} on ${plan.to}, pending review`);
  if (plan.portalCustomer) {
    parts.push(
      plan.portalCustomer.status === 'active' ? 'copied as portal-only' : 'inactive profile copied as inactive',
    );
  }
  return parts.length ? parts.join('; ') : `already on ${plan.to}`;
}

/** "2 copied as portal-only, 1 given the Customer role, 1 duplicate to fix" (cases with none are left out). */
export function describeCopyCounts(counts: Partial<CopyCounts>): string {
  const parts = [
    counts.copiedPortalOnly ? `${counts.copiedPortalOnly} copied as portal-only` : '',
    counts.copiedInactive ? `${plural(counts.copiedInactive, 'inactive profile')} copied as inactive` : '',
    counts.customerRoleGranted ? `${counts.customerRoleGranted} given the Customer role` : '',
    counts.siteAccessOff ? `${counts.siteAccessOff} given the role without site access` : '',
    counts.importedToGroup ? `${counts.importedToGroup} added to an imported group to review` : '',
    counts.duplicates ? `${plural(counts.duplicates, 'duplicate')} to fix` : '',
    counts.alreadyOnDestination ? `${counts.alreadyOnDestination} already there` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'nothing to copy';
}

/** A preview as text: totals, then the first changes and the customers who will need an action. */
export function describeCopyPreview(preview: CopyPreview): string {
  const { request } = preview;
  const scope = request.projects ? ` (requests of ${request.projects.join(', ')})` : '';
  const refused = preview.refused ? `; ${preview.refused} refused` : '';
  const lines = [
    `Preview: copy ${plural(preview.customers, 'customer')} of ${request.from}${scope} to ${request.to}: ${describeCopyCounts(preview.counts)}${refused}.`,
    ...preview.sample.map((plan) => `  ${plan.email}: ${copyNote(plan)}`),
  ];
  const changes = preview.planned - preview.counts.alreadyOnDestination;
  if (changes > preview.sample.length) lines.push(`  … and ${changes - preview.sample.length} more`);
  if (preview.attention.length) {
    lines.push(`Will need an action afterwards (${REPORT_FILE}):`);
    for (const plan of preview.attention) lines.push(`  ${plan.email}: ${copyNote(plan)}`);
  }
  for (const refusal of preview.refusals) lines.push(`  ${refusal.email}: refused: ${refusal.refused}`);
  return lines.join('\n');
}
