import type { types, ViewOutput } from '@slack/bolt';
import type { MigrationKind, MigrationPlan, MigrationPreview, MigrationRequest } from '../src/accounts/migration';
import { describeCounts } from '../src/jobs/describe';
import type { JobDoc } from '../src/jobs/models';
import { ACTION, CALLBACK } from '../src/slack/actionIds';
import type { PreviewSummary } from '../src/slack/confirmations';
import { plural } from '../src/text';
import { actions, type Block, context, escapeText, type Modal, modal, section } from './blocks';
import { jobAction } from './jobMessages';
import { noticeModal } from './notice';

/** The modals of a migration: preparing, the preview to confirm, starting, and the queued job. */

const TITLE: Record<MigrationKind, string> = {
  'migrate-to-account': 'Migrate customers',
  'make-portal-only': 'Make portal-only',
};
const SUBMIT: Record<MigrationKind, string> = {
  'migrate-to-account': 'Migrate',
  'make-portal-only': 'Make portal-only',
};
const SHOWN_KEYS = 10;

export const migrationTitle = (request: Pick<MigrationRequest, 'kind'>) => TITLE[request.kind];

/** Opened at once, while the preview is computed (a trigger id expires after 3 seconds). */
export const preparingModal = (request: MigrationRequest): Modal =>
  noticeModal(migrationTitle(request), 'Preparing the preview…', CALLBACK.preparing);

export interface PreviewModalOptions {
  callbackId: string;
  /** The pending confirmation the modal stands for (src/slack/confirmations.ts). */
  pendingId: string;
  preview: MigrationPreview;
  /** Offer to revoke licences: some account of the request holds product access on the site. */
  offerLicences: boolean;
  /** Why this preview replaced one the person confirmed (it went stale). */
  changed?: string;
}

/** What Submit will do, exactly: totals, the group and role, the first customers, warnings and refusals. */
export function migrationModal(options: PreviewModalOptions): Modal {
  const { preview } = options;
  const { request } = preview;
  const blocks: Block[] = [];
  if (options.changed) blocks.push(section(`:arrows_counterclockwise: ${options.changed}`));
  blocks.push(section(`*${escapeText(whatItDoes(preview))}*`), section(outcome(preview)));
  if (preview.planned > 0) blocks.push(...effects(preview));
  for (const item of preview.sample) if (item.plan) blocks.push(...planBlocks(item.plan));
  for (const item of preview.refusals) {
    blocks.push(section(`:no_entry_sign: *${escapeText(item.email)}*: ${escapeText(item.refused ?? '')}`));
  }
  const shown = new Set([...preview.sample.filter((i) => i.plan), ...preview.refusals].map((i) => i.email)).size;
  if (preview.targets > shown) {
    blocks.push(context(`… and ${plural(preview.targets - shown, 'more customer')}; the totals above count everyone.`));
  }
  if (options.offerLicences) blocks.push(licenceChoice(request));
  return modal({
    callbackId: options.callbackId,
    title: migrationTitle(request),
    submit: preview.planned > 0 ? SUBMIT[request.kind] : undefined,
    close: 'Cancel',
    privateMetadata: options.pendingId,
    blocks,
  });
}

function whatItDoes({ request, targets, sample }: MigrationPreview): string {
  const { kind, site, target } = request;
  const one = 'emails' in target && targets === 1 ? (sample[0]?.email ?? target.emails[0]) : undefined;
  if (kind === 'migrate-to-account') {
    if (one) return `Migrate ${one} to an Atlassian account on ${site}.`;
    if ('emails' in target) return `Migrate ${plural(targets, 'customer')} to Atlassian accounts on ${site}.`;
    return `Migrate the ${plural(targets, 'customer')} of ${site} invited to a product but not migrated.`;
  }
  if (one) return `Make ${one} portal-only on ${site}.`;
  if ('emails' in target) return `Make ${plural(targets, 'account')} portal-only on ${site}.`;
  return `Mark every eligible account of ${site} portal-only: ${plural(targets, 'account')} with access to ${site}, no licence and no group.`;
}

function outcome({ targets, planned, refused, counts }: MigrationPreview): string {
  if (targets === 0) return 'Nobody matches, so there is nothing to do.';
  if (planned === 0)
    return `Nothing will change: ${targets === 1 ? 'it is' : 'all are'} refused, for the reasons below.`;
  return `${plural(planned, 'customer')} will change${refused ? ` and ${refused} ${refused === 1 ? 'is' : 'are'} refused` : ''}: ${describeCounts(counts)}.`;
}

function effects({ request, sample, counts }: MigrationPreview): Block[] {
  const site = request.site;
  if (request.kind === 'migrate-to-account') {
    const plan = sample.find((item) => item.plan)?.plan;
    const group = plan?.kind === 'migrate-to-account' ? `${plan.group}${plan.createGroup ? ' (created now)' : ''}` : '';
    return [
      section(
        `Each gets the Customer role on ${site} and joins the group ${group}; neither grants product access or consumes a licence.`,
      ),
      context(
        ':warning: A migration cannot be undone: each portal-only profile is deactivated for good.',
        'From now on they log in with Atlassian credentials, which needs a verified email: unverified ones are flagged below.',
      ),
    ];
  }
  const blocks = [
    section(
      `Each gets a portal-only profile on ${site} that receives their requests there, and loses site access, the Customer role and their groups on ${site}; the account and its other sites stay as they are.`,
    ),
  ];
  if (counts.licencesRevoked) blocks.push(context(':warning: Revoked licences are not given back automatically.'));
  return blocks;
}

const keys = (list: readonly string[]) =>
  list.length === 0
    ? 'no requests'
    : `${list.slice(0, SHOWN_KEYS).join(', ')}${list.length > SHOWN_KEYS ? ` (${list.length} in all)` : ''}`;

function planBlocks(plan: MigrationPlan): Block[] {
  const who = `*${escapeText(plan.email)}* (${escapeText(plan.displayName)})`;
  const what =
    plan.kind === 'migrate-to-account'
      ? `${plan.createAccount ? 'a new Atlassian account' : `their Atlassian account \`${plan.account}\``}; moves ${keys(plan.requests)}`
      : `${plan.createPortalCustomer ? 'a new' : 'their existing'} portal-only profile; moves ${keys(plan.requests)}${plan.revokedProducts.length ? `; revokes ${plan.revokedProducts.join(', ')}` : ''}`;
  const blocks = [section(`${who}: ${what}`)];
  if (plan.warnings.length) blocks.push(context(...plan.warnings.map((w) => `:warning: ${escapeText(w)}`)));
  return blocks;
}

const licenceOption = (site: string): types.MrkdwnOption => ({
  text: { type: 'mrkdwn', text: `*Revoke their licences on ${site}*` },
  description: { type: 'plain_text', text: 'Accounts with product access there cannot become portal-only otherwise.' },
  value: 'revoke',
});

function licenceChoice(request: MigrationRequest): Block {
  const option = licenceOption(request.site);
  return actions('licences', [
    {
      type: 'checkboxes',
      action_id: ACTION.revokeLicences,
      options: [option],
      ...(request.revokeLicences ? { initial_options: [option] } : {}),
    },
  ]);
}

/** Whether the submitted modal has "revoke licences" ticked; undefined when it does not offer the choice. */
export function licencesTicked(view: ViewOutput): boolean | undefined {
  const choice = view.state.values.licences?.[ACTION.revokeLicences];
  return choice ? (choice.selected_options?.length ?? 0) > 0 : undefined;
}

export function jobQueuedModal(view: ViewOutput, job: JobDoc, summary: PreviewSummary): Modal {
  return modal({
    callbackId: view.callback_id,
    title: view.title.text,
    privateMetadata: view.private_metadata,
    blocks: [
      section(`Job \`${job._id}\` is queued: it will ${escapeText(jobAction(job))}.`),
      section(`As previewed, ${plural(summary.planned, 'customer')} will change: ${describeCounts(summary.counts)}.`),
      context(`You will get a DM when it ends; \`/migration-status ${job._id}\` shows its progress meanwhile.`),
    ],
  });
}
