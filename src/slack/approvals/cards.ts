import { model, Schema } from 'mongoose';
import { decisionOf, reviewCard, reviewedMessage } from '../../../views/approvalViews';
import type { GroupReviewedEvent, GroupReviewRequestedEvent } from '../../accounts/groupReview';
import { Group } from '../../accounts/models';
import type { Delivery } from '../notifier';
import type { Posted } from '../notifier/poster';
import { channelsFor } from '../subscriptions';

/**
 * The review cards of imported groups: posted to the site's approvers' channel when a copy asks for a review,
 * updated with the outcome when the group is reviewed (from Slack or the CLI), whose requester is then told.
 */

interface ApprovalCardDoc {
  _id: string; // <group id> <channel>
  groupId: string;
  channel: string;
  ts: string;
}

const schema = new Schema<ApprovalCardDoc>(
  { _id: String, groupId: { type: String, required: true }, channel: String, ts: String },
  { versionKey: false },
);
schema.index({ groupId: 1 });

/** Where each group's cards were posted, so the outcome can replace the Review button. */
const ApprovalCard = model<ApprovalCardDoc>('ApprovalCard', schema, 'slackApprovalCards');

export async function postReviewCards({ event, poster, once }: Delivery): Promise<void> {
  const request = event.payload as unknown as GroupReviewRequestedEvent;
  const channels = await channelsFor(request.site, 'approvals');
  // Left undelivered, the event is offered again (with backoff) until an org-admin names the channel.
  if (channels.length === 0) {
    throw new Error(`no approvers' channel for ${request.site}; set one with /accounts-admin approvers`);
  }
  // A group reviewed meanwhile (say, from the CLI) gets a card that already shows the outcome.
  const group = await Group.findById(request.groupId, { review: 1 }).lean();
  const card = reviewCard(request, request.requestedBy, decisionOf(group?.review ?? null));
  for (const channel of channels) {
    await once(channel, async () => {
      const posted = await poster.post(channel, card);
      await ApprovalCard.updateOne(
        { _id: `${request.groupId} ${posted.channel}` },
        { $set: { groupId: request.groupId, channel: posted.channel, ts: posted.ts } },
        { upsert: true },
      );
    });
  }
}

export async function announceReview({ event, poster, once }: Delivery): Promise<void> {
  const review = event.payload as unknown as GroupReviewedEvent;
  const decision = {
    state: review.decision,
    by: review.reviewedBy,
    at: new Date(review.reviewedAt),
    reason: review.reason,
  };
  const cards = await ApprovalCard.find({ groupId: review.groupId }).lean<Posted[]>();
  for (const card of cards) {
    await once(`card ${card.channel}`, () =>
      poster.update({ channel: card.channel, ts: card.ts }, reviewCard(review, review.requestedBy, decision)),
    );
  }
  const requester = review.requestedBy;
  if (requester?.kind === 'slack') {
    await once(`dm ${requester.id}`, () => poster.dm(requester.id, reviewedMessage(review, decision)));
  }
}
