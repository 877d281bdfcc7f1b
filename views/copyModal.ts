import type { ViewOutput } from '@slack/bolt';
import {
  type CopyCounts,
  type CopyPreview,
  type CopyRequest,
  copyNote,
  describeCopyCounts,
  REPORT_FILE,
} from '../src/accounts/copy';
import type { JobDoc } from '../src/jobs/models';
import { CALLBACK } from '../src/slack/actionIds';
import { plural } from '../src/text';
import { type Block, context, escapeText, type Modal, modal, section } from './blocks';
import { jobAction } from './jobMessages';
import { noticeModal } from './notice';

/** The modals of /copy-customers: preparing, the preview to confirm, and the queued job. */

export const COPY_TITLE = 'Copy customers';

export const preparingCopyModal = (): Modal => noticeModal(COPY_TITLE, 'Counting what the copy would do…');

/** What the modal carries to its submission: small enough for private_metadata (3000 characters). */
export interface CopyConfirmation {
  request: CopyRequest;
  fingerprint: string;
  counts: CopyCounts;
  refused: number;
}

export const confirmationOf = (preview: CopyPreview): CopyConfirmation => ({
  request: preview.request,
  fingerprint: preview.fingerprint,
  counts: preview.counts,
  refused: preview.refused,
});

/** How many customers the copy changes (those already on the destination are left as they are). */
const changes = (preview: Pick<CopyPreview, 'planned' | 'counts'>) =>
  preview.planned - preview.counts.alreadyOnDestination;

const lines = (items: string[]) => items.join('\n');

export function copyModal(preview: CopyPreview, changed?: string): Modal {
  const { request, counts } = preview;
  const scope = request.projects ? ` (those in requests of ${request.projects.join(', ')})` : '';
  const blocks: Block[] = [];
  if (changed) blocks.push(section(`:arrows_counterclockwise: ${changed}`));
  blocks.push(
    section(`*Copy ${plural(preview.customers, 'customer')} of ${request.from}${scope} to ${request.to}.*`),
    section(
      `${describeCopyCounts(counts)}${preview.refused ? `; ${preview.refused} refused` : ''}.${changes(preview) === 0 ? ' Nothing will change.' : ''}`,
    ),
  );
  if (preview.sample.length) {
    blocks.push(section(lines(preview.sample.map((plan) => `*${escapeText(plan.email)}*: ${copyNote(plan)}`))));
  }
  if (changes(preview) > preview.sample.length) {
    blocks.push(context(`… and ${plural(changes(preview) - preview.sample.length, 'more customer')}.`));
  }
  if (preview.attention.length) {
    blocks.push(
      section(
        `*Will need an action afterwards* (listed in ${REPORT_FILE}):\n${lines(preview.attention.map((plan) => `• ${escapeText(plan.email)}: ${copyNote(plan)}`))}`,
      ),
    );
  }
  if (counts.importedToGroup) {
    blocks.push(
      context(
        `Customers portal-only on ${request.from} who have an Atlassian account on ${request.to} join a new imported group: they get the Customer role there only once an approver approves it.`,
      ),
    );
  }
  for (const refusal of preview.refusals) {
    blocks.push(section(`:no_entry_sign: *${escapeText(refusal.email)}*: ${escapeText(refusal.refused)}`));
  }
  return modal({
    callbackId: CALLBACK.copyCustomers,
    title: COPY_TITLE,
    submit: changes(preview) > 0 ? 'Copy' : undefined,
    close: 'Cancel',
    privateMetadata: JSON.stringify(confirmationOf(preview)),
    blocks,
  });
}

export function copyQueuedModal(view: ViewOutput, job: JobDoc, confirmation: CopyConfirmation): Modal {
  return modal({
    callbackId: view.callback_id,
    title: COPY_TITLE,
    blocks: [
      section(`Job \`${job._id}\` is queued: it will ${escapeText(jobAction(job))}.`),
      section(`As previewed: ${describeCopyCounts(confirmation.counts)}.`),
      context(`You will get a DM when it ends; \`/migration-status ${job._id}\` shows its progress meanwhile.`),
    ],
  });
}
