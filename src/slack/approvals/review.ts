import type { App } from '@slack/bolt';
import {
  decidedModal,
  decisionOf,
  type Member,
  REVIEW_TITLE,
  type ReviewSubject,
  reviewModal,
} from '../../../views/approvalViews';
import { noticeModal } from '../../../views/notice';
import { notFound } from '../../accounts/errors';
import { completeReview, decideImportedGroup } from '../../accounts/groupReview';
import { AccountSite, type Actor, AtlassianAccount, Group, type GroupDoc } from '../../accounts/models';
import { ACTION, CALLBACK } from '../actionIds';
import { registerAction, registerSubmission, requireRole } from '../handle';
import { groupIdSchema, parsePayload, siteOfGroup } from '../payloads';

/**
 * Review (DOMAIN.md operation 10) from Slack: the card's Review button opens the group's modal; submitting it
 * records the decision. One decision per group whoever clicks: decideImportedGroup settles it with a unique key,
 * and the interaction's view id is its correlation id, so a double submit or a retry finds its own decision.
 */

const MEMBERS_SHOWN = 20;

const requireApprover = (actor: Actor, site: string) =>
  requireRole(actor, { role: 'approver', site }, `review imported groups on ${site}`);

/**
 * The group a button or modal names, read only for an approver of the site its id names (an approver of some
 * site is asked first, so nobody without the role learns which sites exist).
 */
async function requireImportedGroup(
  actor: Actor,
  value: string | undefined,
): Promise<GroupDoc & { review: NonNullable<GroupDoc['review']> }> {
  await requireRole(actor, { role: 'approver' }, 'review imported groups');
  const groupId = parsePayload(groupIdSchema, value);
  await requireApprover(actor, siteOfGroup(groupId));
  const group = await Group.findById(groupId).lean();
  if (!group?.review) throw notFound(`The imported group ${groupId} no longer exists.`);
  return group as GroupDoc & { review: NonNullable<GroupDoc['review']> };
}

/** The group as the modal shows it, with its first members. */
async function subjectOf(group: GroupDoc & { review: NonNullable<GroupDoc['review']> }) {
  const filter = { site: group.site, groups: group.name };
  const [memberCount, entries] = await Promise.all([
    AccountSite.countDocuments(filter),
    AccountSite.find(filter, { account: 1 }).sort({ account: 1 }).limit(MEMBERS_SHOWN).lean(),
  ]);
  const accounts = await AtlassianAccount.find(
    { _id: { $in: entries.map((e) => e.account) } },
    { email: 1, displayName: 1 },
  ).lean();
  const members: Member[] = accounts
    .map((a) => ({ email: a.email, displayName: a.displayName }))
    .sort((a, b) => a.email.localeCompare(b.email));
  const subject: ReviewSubject = {
    groupId: group._id,
    site: group.site,
    group: group.name,
    sourceSite: group.review.sourceSite,
    memberCount,
  };
  return { subject, members };
}

export function registerApprovals(app: App): void {
  registerAction(app, ACTION.reviewGroup, async ({ actor, action, body, client }) => {
    const group = await requireImportedGroup(actor, action.type === 'button' ? action.value : undefined);
    const { subject, members } = await subjectOf(group);
    const decision = decisionOf(group.review);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: decision ? decidedModal(subject, members, decision) : reviewModal(subject, members),
    });
  });

  /**
   * The decision is kept before the ack (one insert, keyed by the group); its effects follow, and a worker
   * completes them if this process dies first.
   */
  registerSubmission(app, CALLBACK.reviewGroup, {
    async keep({ actor, view }) {
      const group = await requireImportedGroup(actor, view.private_metadata);
      const values = view.state.values;
      const decided = await decideImportedGroup(
        {
          group: group.name,
          site: group.site,
          // Whatever came is passed on: the service names anything but approve or reject.
          decision: (values.decision?.decision?.selected_option?.value ?? '') as 'approve' | 'reject',
          reason: values.reason?.reason?.value ?? '',
        },
        { actor, correlationId: `view:${view.id}` },
      );
      return noticeModal(REVIEW_TITLE, `Your decision (${decided.decision}) is recorded; applying it…`);
    },
    async after({ view, show }) {
      await show(noticeModal(REVIEW_TITLE, (await completeReview(view.private_metadata)).message));
    },
  });
}
