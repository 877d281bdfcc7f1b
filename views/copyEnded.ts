import { REPORT_FILE } from '../src/accounts/copy';
import type { JobEndedEvent } from '../src/jobs/finish';
import { ACTION } from '../src/slack/actionIds';
import type { Message } from '../src/slack/notifier/poster';
import { plural } from '../src/text';
import { actions, button, escapeText, message, section } from './blocks';
import { jobEndedMessage } from './jobMessages';

/** What a copy's end says besides the summary: the report, and the way to fix the duplicates it found. */

/** Customers of a copy who need an action: the rows of its RequiresAttention.csv. */
export const attentionCount = (event: JobEndedEvent) => (event.counts.needsAction ?? 0) + event.failed;

/** Where a copy's imported group went for review, and whether the reader may review it from the message. */
export interface ReviewRouting {
  groupId: string;
  group: string;
  /** "in <#C…>", "by DM to the 3 people who may approve on acme-eu" */
  where: string;
  canReview: boolean;
}

/**
 * The summary, with a "Fix duplicates" button (its value is the copy job) when the copy left duplicates, and
 * where its imported group waits for review, with a Review button for a reader who may approve it.
 */
export function copyEndedMessage(event: JobEndedEvent, review?: ReviewRouting): Message {
  const summary = jobEndedMessage(event);
  const blocks = [...(summary.blocks ?? [])];
  if (review) {
    blocks.push(section(`The imported group *${escapeText(review.group)}* awaits review ${review.where}.`));
  }
  const buttons = [
    ...(event.counts.duplicates ? [button('Fix duplicates', ACTION.fixDuplicates, event.jobId, 'primary')] : []),
    ...(review?.canReview ? [button('Review', ACTION.reviewGroup, review.groupId)] : []),
  ];
  if (buttons.length) blocks.push(actions('copy.next', buttons));
  return blocks.length === (summary.blocks ?? []).length ? summary : message(summary.text, blocks);
}

export const reportComment = (event: JobEndedEvent) =>
  `${REPORT_FILE} of job \`${event.jobId}\`, copying ${event.description} to ${event.site}: ${plural(attentionCount(event), 'customer')} to act on.`;
