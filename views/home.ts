import type { SiteWarnings } from '../src/accounts/siteWarnings';
import type { JobOverview } from '../src/jobs/overview';
import { ACTION } from '../src/slack/actionIds';
import { plural } from '../src/text';
import {
  type Block,
  button,
  context,
  escapeText,
  type Home,
  header,
  home,
  linesToSections,
  section,
  slackDate,
} from './blocks';
import { jobOverviewBlocks } from './jobStatus';

/** The App Home tab: what the person may act on, across the sites they may read. */

export interface PendingApproval {
  groupId: string;
  /** The person looking may approve it: the line carries a Review button. */
  canReview: boolean;
  site: string;
  group: string;
  sourceSite: string;
  memberCount: number;
}

export interface HomeContent {
  sites: string[];
  approvals: PendingApproval[];
  jobs: JobOverview;
  warnings: SiteWarnings[];
  /** Messages that reached nobody, or not everyone they were for. */
  undelivered: string[];
  now: Date;
}

const sample = (emails: string[], count: number) =>
  `${emails.map(escapeText).join(', ')}${count > emails.length ? `, … (${count} in all)` : ''}`;

function warningLines(w: SiteWarnings): string[] {
  const lines: string[] = [];
  const invited = w.invitedNotMigrated;
  if (invited.count) {
    lines.push(
      `:warning: *${w.site}*: ${plural(invited.count, 'customer')} invited to a product but not migrated (${sample(invited.sample, invited.count)}): their Atlassian accounts cannot see the requests they raised. \`/migrate-customer --invited ${w.site}\``,
    );
  }
  const duplicates = w.duplicates;
  if (duplicates.count) {
    lines.push(
      `:warning: *${w.site}*: ${plural(duplicates.count, 'duplicate')}, a portal-only profile beside an Atlassian account with access (${sample(duplicates.sample, duplicates.count)}). \`/migrate-customer ${duplicates.sample.join(' ')} ${w.site}\``,
    );
  }
  return lines;
}

export function homeView(content: HomeContent): Home {
  const approvals = content.approvals.map((a) =>
    section(
      `:inbox_tray: *${escapeText(a.group)}* on ${a.site}, imported from ${a.sourceSite}: ${plural(a.memberCount, 'member')} without the Customer role until an approver reviews it`,
      a.canReview ? button('Review', ACTION.reviewGroup, a.groupId, 'primary') : undefined,
    ),
  );
  const warnings = content.warnings.flatMap(warningLines);
  const blocks: Block[] = [
    header('Customer Accounts'),
    context(`Sites you can see: ${content.sites.join(', ') || 'none'} · updated ${slackDate(content.now)}`),
    header('Pending approvals'),
    ...(approvals.length ? approvals : [section('No imported group is waiting for review.')]),
    header('Jobs'),
    ...jobOverviewBlocks(content.jobs, content.now),
    ...(content.undelivered.length ? [header('Messages not delivered'), ...linesToSections(content.undelivered)] : []),
    header('Warnings worth acting on'),
    ...(warnings.length ? linesToSections(warnings) : [section('No customer on your sites needs migrating.')]),
  ];
  return home(blocks, '`/migration-status` lists the jobs');
}

/** What someone without a role sees, and a failure: one sentence. */
export const homeNotice = (text: string): Home => home([header('Customer Accounts'), section(text)]);
