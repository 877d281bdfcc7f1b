import type { Actor, GroupReview } from '../src/accounts/models';
import { ACTION, CALLBACK } from '../src/slack/actionIds';
import type { Message } from '../src/slack/notifier/poster';
import { plural } from '../src/text';
import {
  actions,
  type Block,
  button,
  context,
  escapeText,
  linesToSections,
  type Modal,
  message,
  modal,
  section,
  slackDate,
} from './blocks';
import { requester } from './jobMessages';

/** The review of an imported group (DOMAIN.md operation 10): the card in the approvers' channel and its modal. */

export const REVIEW_TITLE = 'Review imported group';

/** What the card and the modal say about a group, from either outbox event or the group itself. */
export interface ReviewSubject {
  groupId: string;
  site: string;
  group: string;
  sourceSite: string;
  memberCount: number;
}

/** A decision as people read it. */
export interface Decision {
  state: 'approved' | 'rejected';
  by: Pick<Actor, 'id' | 'name'>;
  at: Date;
  reason: string;
}

export const decisionOf = (review: GroupReview | null): Decision | undefined =>
  review && review.state !== 'pending' && review.reviewedBy && review.reviewedAt
    ? { state: review.state, by: review.reviewedBy, at: review.reviewedAt, reason: review.reason ?? '' }
    : undefined;

const describeGroup = (s: ReviewSubject) =>
  `*${escapeText(s.group)}* on *${s.site}*: ${plural(s.memberCount, 'customer')} of ${s.sourceSite} who already ${s.memberCount === 1 ? 'has an Atlassian account' : 'have Atlassian accounts'} on ${s.site}`;

/** "Approved by <@U…> on <date>: reason" */
export const describeDecision = (d: Decision) =>
  `${d.state === 'approved' ? ':white_check_mark: Approved' : ':no_entry_sign: Rejected'} by <@${d.by.id}> ${slackDate(d.at)}: ${escapeText(d.reason)}`;

/**
 * The card in the approvers' channel (or an approver's DM): a Review button while pending, the outcome once
 * decided. A reminder (`waitingSince`) says how long the group has waited.
 */
export function reviewCard(
  subject: ReviewSubject,
  requestedBy: Actor | null,
  decision?: Decision,
  waitingSince?: Date,
): Message {
  const blocks: Block[] = [
    section(
      `${waitingSince ? `:alarm_clock: Reminder, waiting since ${slackDate(waitingSince)}. ` : ''}:busts_in_silhouette: Imported group to review: ${describeGroup(subject)}.`,
    ),
  ];
  if (decision) {
    blocks.push(section(describeDecision(decision)));
  } else {
    blocks.push(
      section(`Until an approver approves it, its members get no Customer role on ${subject.site}.`),
      actions('review', [button('Review', ACTION.reviewGroup, subject.groupId, 'primary')]),
    );
  }
  if (requestedBy) blocks.push(context(`Copied by ${requester(requestedBy)}`));
  const outcome = decision ? `${decision.state}` : 'awaits review';
  return message(
    `${waitingSince && !decision ? 'Reminder: imported' : 'Imported'} group ${subject.group} on ${subject.site} ${outcome}.`,
    blocks,
  );
}

export interface Member {
  email: string;
  displayName: string;
}

/** The modal behind Review: the group, its members, and Approve / Reject with a reason. */
export function reviewModal(subject: ReviewSubject, members: Member[]): Modal {
  const blocks: Block[] = [section(`${describeGroup(subject)}.`), ...memberBlocks(subject, members)];
  blocks.push(
    {
      type: 'input',
      block_id: 'decision',
      label: { type: 'plain_text', text: 'Decision' },
      element: {
        type: 'radio_buttons',
        action_id: 'decision',
        options: [
          {
            text: { type: 'plain_text', text: 'Approve' },
            description: { type: 'plain_text', text: `Its members get the Customer role on ${subject.site}.` },
            value: 'approve',
          },
          {
            text: { type: 'plain_text', text: 'Reject' },
            description: { type: 'plain_text', text: 'Its members get no role from it.' },
            value: 'reject',
          },
        ],
      },
    },
    {
      type: 'input',
      block_id: 'reason',
      label: { type: 'plain_text', text: 'Reason' },
      hint: { type: 'plain_text', text: 'Recorded with your decision and shown to whoever asks later.' },
      element: { type: 'plain_text_input', action_id: 'reason', multiline: true, max_length: 500 },
    },
    context('A group is reviewed once: the first decision submitted is the one that counts.'),
  );
  return modal({
    callbackId: CALLBACK.reviewGroup,
    title: REVIEW_TITLE,
    submit: 'Submit review',
    close: 'Cancel',
    privateMetadata: subject.groupId,
    blocks,
  });
}

/** What a later clicker sees: the group, and who decided what, when and why. */
export function decidedModal(subject: ReviewSubject, members: Member[], decision: Decision): Modal {
  return modal({
    callbackId: 'notice',
    title: REVIEW_TITLE,
    blocks: [
      section(describeDecision(decision)),
      section(`${describeGroup(subject)}.`),
      ...memberBlocks(subject, members),
      context('A group is reviewed once.'),
    ],
  });
}

function memberBlocks(subject: ReviewSubject, members: Member[]): Block[] {
  if (members.length === 0) return [section('It has no members.')];
  const lines = members.map((m) => `• ${escapeText(m.email)} (${escapeText(m.displayName)})`);
  const more = subject.memberCount - members.length;
  return [
    ...linesToSections(['*Members*', ...lines]),
    ...(more > 0 ? [context(`… and ${plural(more, 'more member')}.`)] : []),
  ];
}

/** The DM to whoever ran the copy: what became of the group they created. */
export function reviewedMessage(subject: ReviewSubject, decision: Decision): Message {
  const effect =
    decision.state === 'approved'
      ? `its ${plural(subject.memberCount, 'member')} now ${subject.memberCount === 1 ? 'has' : 'have'} the Customer role on ${subject.site}`
      : `its ${plural(subject.memberCount, 'member')} ${subject.memberCount === 1 ? 'gets' : 'get'} no Customer role from it`;
  const text = `The imported group ${subject.group} on ${subject.site} (customers copied from ${subject.sourceSite}) was ${decision.state}: ${effect}.`;
  return message(text, [section(escapeText(text)), section(describeDecision(decision))]);
}
