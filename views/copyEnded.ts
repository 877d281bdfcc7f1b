import { REPORT_FILE } from '../src/accounts/copy';
import type { JobEndedEvent } from '../src/jobs/finish';
import { ACTION } from '../src/slack/actionIds';
import type { Message } from '../src/slack/notifier/poster';
import { plural } from '../src/text';
import { actions, button, message } from './blocks';
import { jobEndedMessage } from './jobMessages';

/** What a copy's end says besides the summary: the report, and the way to fix the duplicates it found. */

/** Customers of a copy who need an action: the rows of its RequiresAttention.csv. */
export const attentionCount = (event: JobEndedEvent) => (event.counts.needsAction ?? 0) + event.failed;

/** The summary, with a "Fix duplicates" button (its value is the copy job) when the copy left duplicates. */
export function copyEndedMessage(event: JobEndedEvent): Message {
  const summary = jobEndedMessage(event);
  if (!event.counts.duplicates) return summary;
  const fix = button('Fix duplicates', ACTION.fixDuplicates, event.jobId, 'primary');
  return message(summary.text, [...(summary.blocks ?? []), actions('copy.duplicates', [fix])]);
}

export const reportComment = (event: JobEndedEvent) =>
  `${REPORT_FILE} of job \`${event.jobId}\`, copying ${event.description} to ${event.site}: ${plural(attentionCount(event), 'customer')} to act on.`;
