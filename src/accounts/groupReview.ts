import { insertMissing, insertOnce } from '../db/insertMissing';
import { publishOnce } from '../outbox';
import { plural } from '../text';
import { recordAudit } from './audit';
import type { OperationContext } from './context';
import { conflict, invalid, notFound, refused } from './errors';
import {
  AccountSite,
  type Actor,
  AuditEvent,
  CUSTOMER_ROLE,
  Group,
  type GroupDoc,
  groupId,
  ImportedGroupReview,
  type ImportedGroupReviewDoc,
  type ReviewDecision,
} from './models';
import { requireWritableSite } from './sites';

/**
 * Imported groups (DOMAIN.md operations 9 and 10): a copy puts customers who are portal-only on the source but
 * have an Atlassian account on the destination into a group with no role, pending review; an approver's
 * approval gives the group the Customer role on its site, a rejection leaves it without.
 */

export const GROUP_REVIEW_REQUESTED = 'group.review-requested';
export const GROUP_REVIEWED = 'group.reviewed';
const GROUP_CREATED = 'copy.imported-group';

/** Outbox event: a copy filled an imported group that approvers must review. */
export interface GroupReviewRequestedEvent {
  groupId: string;
  site: string;
  group: string;
  sourceSite: string;
  memberCount: number;
  jobId: string;
  requestedBy: Actor;
  requestedAt: Date;
}

/** Outbox event: an imported group was approved or rejected; requestedBy (of the copy) can be told. */
export interface GroupReviewedEvent {
  groupId: string;
  site: string;
  group: string;
  sourceSite: string;
  decision: ReviewDecision;
  reviewedBy: Actor;
  reviewedAt: Date;
  reason: string;
  memberCount: number;
  /** The copy job that created the group, and who requested it; null for a group loaded from a snapshot. */
  jobId: string | null;
  requestedBy: Actor | null;
}

/** Creates a copy run's imported group if it is not there yet: no role, pending review. Idempotent. */
export async function createImportedGroup(
  sourceSite: string,
  site: string,
  name: string,
  context: OperationContext,
): Promise<void> {
  const group: GroupDoc = {
    _id: groupId(site, name),
    site,
    name,
    roles: [],
    origin: 'imported',
    review: { state: 'pending', sourceSite, reviewedBy: null, reviewedAt: null, reason: null },
  };
  await insertMissing(Group, [group]);
  await recordAudit(context, {
    action: GROUP_CREATED,
    target: group._id,
    site,
    summary: `Created imported group ${name} on ${site} for customers of ${sourceSite} who have an Atlassian account there; it has no Customer role until approved.`,
    changes: { site, group: name, sourceSite },
  });
}

const memberCount = (group: Pick<GroupDoc, 'site' | 'name'>) =>
  AccountSite.countDocuments({ site: group.site, groups: group.name });

/** Asks approvers to review the run's imported group, once; nothing when the run created none. */
export async function requestGroupReview(site: string, name: string, context: OperationContext): Promise<void> {
  const group = await Group.findById(groupId(site, name)).lean();
  if (!group?.review) return;
  const payload: GroupReviewRequestedEvent = {
    groupId: group._id,
    site,
    group: name,
    sourceSite: group.review.sourceSite,
    memberCount: await memberCount(group),
    jobId: context.correlationId,
    requestedBy: context.actor,
    requestedAt: new Date(),
  };
  await publishOnce(`group-review-requested:${group._id}`, GROUP_REVIEW_REQUESTED, payload);
}

export interface ReviewInput {
  group: string;
  /** Needed only when several sites have a group of that name. */
  site?: string;
  decision: 'approve' | 'reject';
  reason: string;
}

export interface ReviewResult extends GroupReviewedEvent {
  message: string;
}

/**
 * DOMAIN.md operation 10, all at once (the CLI): the decision, then its effects. The reviewer is the context's
 * actor (the Slack layer checks they are an approver).
 */
export async function reviewImportedGroup(input: ReviewInput, context: OperationContext): Promise<ReviewResult> {
  const decided = await decideImportedGroup(input, context);
  return completeReview(decided._id);
}

/**
 * The decision alone: one review per group, whoever is first, settled by the unique insert of its
 * ImportedGroupReview. This is what a Slack review waits for before its ack; its effects follow in
 * completeReview. A retry of the deciding interaction (same correlation id) finds its own review; anyone else's
 * is told who decided first.
 */
export async function decideImportedGroup(
  input: ReviewInput,
  context: OperationContext,
): Promise<ImportedGroupReviewDoc> {
  if (input.decision !== 'approve' && input.decision !== 'reject') {
    throw invalid(`"${input.decision}" is not a review decision: approve or reject.`);
  }
  const reason = input.reason.trim();
  if (!reason) {
    throw invalid(`Give a reason for the ${input.decision === 'approve' ? 'approval' : 'rejection'}; it is recorded.`);
  }
  const group = await findGroup(input.group.trim(), input.site?.trim());
  await requireWritableSite(group.site);
  const review = group.review;
  if (group.origin !== 'imported' || !review) {
    throw refused(`${group.name} on ${group.site} is not an imported group; only imported groups are reviewed.`);
  }
  const existing = await ImportedGroupReview.findById(group._id).lean<ImportedGroupReviewDoc>();
  if (!existing && review.state !== 'pending') {
    throw conflict(alreadyDecided(group.name, review.state, review.reviewedBy?.name, review.reviewedAt, review.reason));
  }
  const winner =
    existing ??
    (await firstReview({
      _id: group._id,
      site: group.site,
      group: group.name,
      decision: input.decision === 'approve' ? 'approved' : 'rejected',
      reviewedBy: context.actor,
      reviewedAt: new Date(),
      reason,
      correlationId: context.correlationId,
      completedAt: null,
    }));
  if (winner.correlationId !== context.correlationId) {
    await completeReview(winner._id);
    throw conflict(
      alreadyDecided(group.name, winner.decision, winner.reviewedBy.name, winner.reviewedAt, winner.reason),
    );
  }
  return winner;
}

/**
 * A decision's effects, derived from it, each idempotent: the group's state (and role), the audit event (unique
 * per correlation id), the announcement (one outbox event per group). Run after the decision, and again by
 * completeDecidedReviews for a decision whose process died in between.
 */
export async function completeReview(groupId: string): Promise<ReviewResult> {
  const winner = await ImportedGroupReview.findById(groupId).lean<ImportedGroupReviewDoc>();
  const group = await Group.findById(groupId).lean();
  if (!winner || !group?.review) throw notFound(`The imported group ${groupId} no longer exists.`);
  const review = group.review;
  await Group.updateOne(
    { _id: group._id },
    {
      $set: {
        review: {
          state: winner.decision,
          sourceSite: review.sourceSite,
          reviewedBy: { id: winner.reviewedBy.id, name: winner.reviewedBy.name },
          reviewedAt: winner.reviewedAt,
          reason: winner.reason,
        },
      },
      ...(winner.decision === 'approved' ? { $addToSet: { roles: CUSTOMER_ROLE } } : {}),
    },
  );
  const created = await AuditEvent.findOne({ action: GROUP_CREATED, target: group._id }).lean();
  const event: GroupReviewedEvent = {
    groupId: group._id,
    site: group.site,
    group: group.name,
    sourceSite: review.sourceSite,
    decision: winner.decision,
    reviewedBy: winner.reviewedBy,
    reviewedAt: winner.reviewedAt,
    reason: winner.reason,
    memberCount: await memberCount(group),
    jobId: created?.correlationId ?? null,
    requestedBy: created?.actor ?? null,
  };
  const members = plural(event.memberCount, 'member');
  const one = event.memberCount === 1;
  const message =
    event.decision === 'approved'
      ? `Approved imported group ${group.name} on ${group.site}: its ${members} now ${one ? 'has' : 'have'} the Customer role.`
      : `Rejected imported group ${group.name} on ${group.site}: its ${members} ${one ? 'gets' : 'get'} no Customer role from it.`;
  await recordAudit(
    { actor: winner.reviewedBy, correlationId: winner.correlationId },
    {
      action: 'group.review',
      target: group._id,
      site: group.site,
      summary: `${message} Reason: ${event.reason}`,
      changes: { decision: event.decision, reason: event.reason, memberCount: event.memberCount },
    },
  );
  await publishOnce(`group-reviewed:${group._id}`, GROUP_REVIEWED, event);
  await ImportedGroupReview.updateOne({ _id: groupId, completedAt: null }, { $set: { completedAt: new Date() } });
  return { ...event, message };
}

/** Completes the decisions whose effects were cut short (the process died between the writes). */
export async function completeDecidedReviews(olderThanMs: number): Promise<number> {
  const before = new Date(Date.now() - olderThanMs);
  const unfinished = await ImportedGroupReview.find({ completedAt: null }, { reviewedAt: 1 }).lean();
  const due = unfinished.filter((review) => review.reviewedAt < before);
  for (const review of due) await completeReview(review._id);
  return due.length;
}

/** Inserts the review unless another one is there already; returns the one that decided. */
async function firstReview(review: ImportedGroupReviewDoc): Promise<ImportedGroupReviewDoc> {
  if (await insertOnce(ImportedGroupReview, review)) return review;
  return (await ImportedGroupReview.findById(review._id).lean<ImportedGroupReviewDoc>()) as ImportedGroupReviewDoc;
}

async function findGroup(name: string, site: string | undefined): Promise<GroupDoc> {
  const groups = await Group.find(site ? { site, name } : { name }).lean();
  const [group, ...others] = groups;
  if (!group) throw notFound(`There is no group "${name}"${site ? ` on ${site}` : ''}.`);
  if (others.length) {
    const sites = groups.map((g) => g.site).sort();
    throw invalid(`Several sites have a group "${name}" (${sites.join(', ')}); name the site.`);
  }
  return group;
}

/** "imported-from-acme-j2 was already approved by ada on 2026-11-22 at 14:03 UTC: checked with the EU team." */
function alreadyDecided(
  name: string,
  state: string,
  by: string | undefined,
  at: Date | null,
  reason: string | null,
): string {
  const who = by ? ` by ${by}` : '';
  const when = at ? ` on ${at.toISOString().slice(0, 10)} at ${at.toISOString().slice(11, 16)} UTC` : '';
  return `${name} was already ${state}${who}${when}${reason ? `: ${reason}` : ''}. A group is reviewed once.`;
}
