import { describeCopyCounts, REPORT_FILE } from '../accounts/copy';
import type { MigrationCounts, MigrationKind, MigrationPreview } from '../accounts/migration';
import { describeSyncEnded } from '../atlassian/describe';
import { phraseDuration, plural } from '../text';
import type { ActivityReport } from './activity';
import type { JobEndedEvent } from './finish';

/** The sentences people read about jobs, in the CLI and in Slack alike. */

const direction = (kind: MigrationKind, customers = 1) =>
  kind === 'migrate-to-account'
    ? customers === 1
      ? 'to an Atlassian account'
      : 'to Atlassian accounts'
    : 'portal-only';

export function describeCounts(counts: Partial<MigrationCounts>): string {
  const parts = [`${plural(counts.requestsMoved ?? 0, 'request')} moved`];
  if (counts.accountsCreated) parts.push(`${plural(counts.accountsCreated, 'account')} created`);
  if (counts.portalCustomersCreated)
    parts.push(`${plural(counts.portalCustomersCreated, 'portal-only profile')} created`);
  if (counts.licencesRevoked) parts.push(`${plural(counts.licencesRevoked, 'licence')} revoked`);
  return parts.join(', ');
}

/** "Migrated jsmith@abc.com to an Atlassian account on acme in 2 seconds: 2 requests moved, added to …" */
export function describeJobEnded(event: JobEndedEvent): string {
  const sentence = describeRun(event);
  return event.reason ? `${sentence.replace(/\.$/, '')}. ${event.reason}` : sentence;
}

const WHAT: Record<JobEndedEvent['kind'], string> = {
  'migrate-to-account': 'migrate',
  'make-portal-only': 'make portal-only',
  'copy-customers': 'copy',
  sync: 'sync',
};

function describeRun(event: JobEndedEvent): string {
  if (event.total === 0) {
    const where = event.kind === 'copy-customers' ? `to ${event.site}` : `on ${event.site}`;
    return `Job ${event.jobId} did not ${WHAT[event.kind]} ${event.description} ${where}.`;
  }
  if (event.kind === 'copy-customers') return describeCopyEnded(event);
  if (event.kind === 'sync') return describeSyncEnded(event);
  const took = `in ${phraseDuration(event.durationMs)}`;
  const item = event.items[0];
  if (event.total === 1 && item && event.outcome !== 'cancelled') {
    if (item.state !== 'succeeded') {
      const what = event.kind === 'migrate-to-account' ? 'migrate' : 'make portal-only';
      return `Could not ${what} ${item.email} on ${event.site}: ${item.reason}`;
    }
    const verb = event.kind === 'migrate-to-account' ? 'Migrated' : 'Made';
    const note = item.note ? `, ${item.note}` : '';
    return `${verb} ${item.email} ${direction(event.kind)} on ${event.site} ${took}: ${describeCounts(event.counts)}${note}.`;
  }
  const tail = problemsTail(event);
  const done = `${event.succeeded} of ${plural(event.total, 'customer')}`;
  const summary = `${describeCounts(event.counts)}${tail}.`;
  if (event.outcome === 'cancelled') {
    return `Cancelled job ${event.jobId} (${event.description}) on ${event.site} ${took}: ${done} moved ${direction(event.kind, event.total)}; ${summary}`;
  }
  const verb = event.kind === 'migrate-to-account' ? 'Migrated' : 'Made';
  return `${verb} ${done} ${direction(event.kind, event.total)} on ${event.site} ${took}: ${summary}`;
}

/** "; 1 refused, 2 failed" — the items that did not succeed, or nothing when all did. */
function problemsTail({ refused, failed, notProcessed }: JobEndedEvent): string {
  const problems = [
    refused ? `${refused} refused` : '',
    failed ? `${failed} failed` : '',
    notProcessed ? `${notProcessed} not processed` : '',
  ].filter(Boolean);
  return problems.length ? `; ${problems.join(', ')}` : '';
}

/** "Copied customers of acme to acme-eu in 3 seconds: 5 of 5 customers done; 1 copied as portal-only, …" */
function describeCopyEnded(event: JobEndedEvent): string {
  const took = `in ${phraseDuration(event.durationMs)}`;
  const head =
    event.outcome === 'cancelled'
      ? `Cancelled job ${event.jobId} copying ${event.description} to ${event.site} ${took}`
      : `Copied ${event.description} to ${event.site} ${took}`;
  const tail = problemsTail(event);
  const attention = (event.counts.needsAction ?? 0) + event.failed;
  const report = attention ? `; ${attention} ${attention === 1 ? 'needs' : 'need'} an action (${REPORT_FILE})` : '';
  return `${head}: ${event.succeeded} of ${plural(event.total, 'customer')} done; ${describeCopyCounts(event.counts)}${tail}${report}.`;
}

/** "Reading users from acme.atlassian.net; so far 2 desks, 6 customers, 4 users, 0 groups, 0 requests." */
export function describeActivity({ doing, counts }: Pick<ActivityReport, 'doing' | 'counts'>): string {
  const done = Object.entries(counts).map(([what, n]) => plural(n, what));
  return `${doing.charAt(0).toUpperCase()}${doing.slice(1)}${done.length ? `; so far ${done.join(', ')}` : ''}.`;
}

/** A preview as text: totals, then the first plans and refusals. */
export function describePreview(preview: MigrationPreview): string {
  const { request } = preview;
  const lines = [
    `Preview: ${request.kind === 'migrate-to-account' ? 'migrate' : 'make portal-only'} ${plural(preview.targets, 'customer')} on ${request.site}: ${preview.planned} will change, ${preview.refused} refused; ${describeCounts(preview.counts)}.`,
  ];
  for (const item of preview.sample) {
    if (!item.plan) continue;
    const plan = item.plan;
    const requests = plan.requests.length ? plan.requests.join(', ') : 'no requests';
    if (plan.kind === 'migrate-to-account') {
      lines.push(
        `  ${plan.email}: ${plan.createAccount ? 'new account' : `account ${plan.account}`}; moves ${requests}; Customer role and ${plan.group}${plan.createGroup ? ' (created)' : ''}`,
      );
    } else {
      const revoked = plan.revokedProducts.length ? `; revokes ${plan.revokedProducts.join(', ')}` : '';
      lines.push(
        `  ${plan.email}: ${plan.createPortalCustomer ? 'new' : 'existing'} portal-only profile; moves ${requests}; loses site access${revoked}`,
      );
    }
    for (const warning of plan.warnings) lines.push(`    ! ${warning}`);
  }
  for (const item of preview.refusals) lines.push(`  ${item.email}: refused: ${item.refused}`);
  if (preview.targets > preview.sample.length) lines.push(`  … and ${preview.targets - preview.sample.length} more`);
  return lines.join('\n');
}
