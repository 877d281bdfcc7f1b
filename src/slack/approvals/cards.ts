import { model, Schema } from 'mongoose';
import { decisionOf, reviewCard, reviewedMessage } from '../../../views/approvalViews';
import {
  GROUP_REVIEW_REQUESTED,
  type GroupReviewedEvent,
  type GroupReviewRequestedEvent,
} from '../../accounts/groupReview';
import { Group } from '../../accounts/models';
import { OutboxEvent, publishOnce } from '../../outbox';
import type { Delivery, NotifierOptions } from '../notifier';
import type { Message, SlackPoster } from '../notifier/poster';
import { REVIEW_REMINDER } from '../notifier/undelivered';
import { holdersOf } from '../roles';
import { channelsFor } from '../subscriptions';

/**
 * The review cards of imported groups: posted to the site's approvers' channel when a copy asks for a review —
 * or, when the site has none (or the bot cannot post there), sent by DM to everyone who may approve there —
 * reminded once a period while pending, and all updated with the outcome once the group is decided (from Slack
 * or the CLI), whose requester is then told.
 */

interface ApprovalCardDoc {
  _id: string; // <group id> <channel> <ts>
  groupId: string;
  channel: string;
  ts: string;
}

const schema = new Schema<ApprovalCardDoc>(
  { _id: String, groupId: { type: String, required: true }, channel: String, ts: String },
  { versionKey: false },
);
schema.index({ groupId: 1 });

/** Where each group's cards (and reminders) were posted, so the outcome can replace every Review button. */
const ApprovalCard = model<ApprovalCardDoc>('ApprovalCard', schema, 'slackApprovalCards');

/** The people who may approve imported groups on a site: its approvers, its site-admins and the org-admins. */
export async function reviewersOf(site: string): Promise<string[]> {
  const holders = await Promise.all(
    (['approver', 'site-admin', 'org-admin'] as const).map((role) => holdersOf(role, site)),
  );
  return [...new Set(holders.flat())].sort();
}

/** Where a group's review went (or goes), in words: the end of a copy says it. */
export async function reviewDestination(site: string, groupId: string): Promise<string> {
  const request = await OutboxEvent.findById(`group-review-requested:${groupId}`, { delivery: 1 }).lean();
  const dead = new Set(request?.delivery.recipients.filter((r) => r.state === 'dead').map((r) => r.id));
  const channel = (await channelsFor(site, 'approvals')).find((c) => !dead.has(c));
  if (channel) return `in <#${channel}>`;
  const people = await reviewersOf(site);
  return `by DM to ${people.length === 1 ? 'the one person' : `the ${people.length} people`} who may approve on ${site}`;
}

/**
 * Sends a card to the approvers' channel; if there is none, or Slack refused it for good (the bot is not in it,
 * the channel is archived), to each reviewer by DM. Every card sent is recorded for the outcome to update.
 * `gone`: channels already known dead for this group, not tried again (their people were told once).
 */
async function sendCards(
  { once, poster }: Delivery,
  request: { groupId: string; site: string },
  card: Message,
  tag: string,
  gone: ReadonlySet<string> = new Set(),
) {
  const send = (recipient: string, to: () => Promise<{ channel: string; ts: string }>) =>
    once(`${recipient}${tag}`, async () => {
      const posted = await to();
      await ApprovalCard.updateOne(
        { _id: `${request.groupId} ${posted.channel} ${posted.ts}` },
        { $set: { groupId: request.groupId, channel: posted.channel, ts: posted.ts } },
        { upsert: true },
      );
    });
  const states = [];
  for (const channel of await channelsFor(request.site, 'approvals')) {
    states.push(gone.has(channel) ? 'dead' : await send(channel, () => poster.post(channel, card)));
  }
  if (states.length > 0 && states.some((state) => state !== 'dead')) return;
  const reviewers = await reviewersOf(request.site);
  // Nobody holds a role there yet: offered again (with backoff) until an org-admin grants one.
  if (reviewers.length === 0) throw new Error(`nobody may approve imported groups on ${request.site} yet`);
  for (const user of reviewers) await send(`dm ${user}`, () => poster.dm(user, card));
}

export async function postReviewCards(delivery: Delivery): Promise<void> {
  const request = delivery.event.payload as unknown as GroupReviewRequestedEvent;
  // A group reviewed meanwhile (say, from the CLI) gets a card that already shows the outcome.
  const group = await Group.findById(request.groupId, { review: 1 }).lean();
  const card = reviewCard(request, request.requestedBy, decisionOf(group?.review ?? null));
  await sendCards(delivery, request, card, '');
}

/** REVIEW_REMINDER: the card again, where the request went, while the group is still pending. */
export async function remindReview(delivery: Delivery): Promise<void> {
  const reminder = delivery.event.payload as unknown as GroupReviewRequestedEvent & { period: number };
  const group = await Group.findById(reminder.groupId, { review: 1 }).lean();
  if (group?.review?.state !== 'pending') return;
  const card = reviewCard(reminder, reminder.requestedBy, undefined, new Date(reminder.requestedAt));
  const request = await OutboxEvent.findById(`group-review-requested:${reminder.groupId}`).lean();
  const gone = new Set(request?.delivery.recipients.filter((r) => r.state === 'dead').map((r) => r.id));
  await sendCards(delivery, reminder, card, ` reminder ${reminder.period}`, gone);
}

/**
 * The ticker of pending reviews: once a period after the request (REVIEW_REMINDER_HOURS), a reminder. Its
 * outbox id names the group and the period, so however many notifiers tick, each period reminds once.
 */
export function reviewReminders(): (poster: SlackPoster, options: NotifierOptions) => Promise<void> {
  const checkedAt = new WeakMap<SlackPoster, number>(); // per notifier (one poster each): a look a minute at most
  return async (poster, { reviewReminderMs }) => {
    const now = Date.now();
    if (now - (checkedAt.get(poster) ?? 0) < Math.min(reviewReminderMs / 4, 60_000)) return;
    checkedAt.set(poster, now);
    const pending = await Group.find({ origin: 'imported', 'review.state': 'pending' }, { _id: 1 }).lean();
    for (const { _id } of pending) {
      const request = await OutboxEvent.findById(`group-review-requested:${_id}`).lean();
      if (request?.type !== GROUP_REVIEW_REQUESTED || request.delivery.state === 'pending') continue;
      const payload = request.payload as unknown as GroupReviewRequestedEvent;
      const period = Math.floor((now - new Date(payload.requestedAt).getTime()) / reviewReminderMs);
      if (period < 1) continue;
      await publishOnce(`group-review-reminder:${_id}/${period}`, REVIEW_REMINDER, { ...payload, period });
    }
  };
}

export async function announceReview({ event, poster, once }: Delivery): Promise<void> {
  const review = event.payload as unknown as GroupReviewedEvent;
  const decision = {
    state: review.decision,
    by: review.reviewedBy,
    at: new Date(review.reviewedAt),
    reason: review.reason,
  };
  const cards = await ApprovalCard.find({ groupId: review.groupId }).lean();
  for (const card of cards) {
    await once(`card ${card.channel} ${card.ts}`, () =>
      poster.update({ channel: card.channel, ts: card.ts }, reviewCard(review, review.requestedBy, decision)),
    );
  }
  const requester = review.requestedBy;
  if (requester?.kind === 'slack') {
    await once(`dm ${requester.id}`, () => poster.dm(requester.id, reviewedMessage(review, decision)));
  }
}
