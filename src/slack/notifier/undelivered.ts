import { undeliveredMessage } from '../../../views/deliveryViews';
import { GROUP_REVIEW_REQUESTED, GROUP_REVIEWED } from '../../accounts/groupReview';
import type { Actor } from '../../accounts/models';
import { JOB_ENDED } from '../../jobs/finish';
import { OutboxEvent, type OutboxEventDoc, publishOnce } from '../../outbox';
import { holdersOf } from '../roles';
import type { Delivery } from './index';
import { PERSON_GONE } from './slackErrors';

/**
 * Deliveries that ended dead: the person who asked for the work (or, when they cannot be reached, the
 * org-admins) gets one DM saying what did not arrive where and how to fix it; App Home and /migration-status
 * list them too.
 */

export const DELIVERY_FAILED = 'delivery.failed';
export const REVIEW_REMINDER = 'group.review-reminder';

export interface UndeliveredRecipient {
  recipient: string;
  /** The channel or user it was for, when the recipient names one. */
  conversation: string | null;
  error: string;
  permanent: boolean;
  attempts: number;
}

export interface UndeliveredNotice {
  eventId: string;
  /** The event as a person reads it: "the end of job `j…` (…)". */
  what: string;
  site: string | null;
  requestedBy: Actor | null;
  failures: UndeliveredRecipient[];
}

interface EventPayload {
  jobId?: string;
  description?: string;
  site?: string;
  group?: string;
  requestedBy?: Actor | null;
}

function describe(event: OutboxEventDoc): string {
  const p = event.payload as EventPayload;
  switch (event.type) {
    case JOB_ENDED:
      return `the end of job \`${p.jobId}\` (${p.description} on ${p.site})`;
    case GROUP_REVIEW_REQUESTED:
      return `the review request for the imported group ${p.group} on ${p.site}`;
    case REVIEW_REMINDER:
      return `the reminder to review the imported group ${p.group} on ${p.site}`;
    case GROUP_REVIEWED:
      return `the review outcome of the imported group ${p.group} on ${p.site}`;
    default:
      return `a ${event.type} notification`;
  }
}

const CONVERSATION = /\b([CGDUW][A-Z0-9]{2,})\b/;

export function noticeOf(event: OutboxEventDoc): UndeliveredNotice {
  const p = event.payload as EventPayload;
  return {
    eventId: event._id,
    what: describe(event),
    site: p.site ?? null,
    requestedBy: p.requestedBy ?? null,
    failures: event.delivery.recipients
      .filter((r) => r.state === 'dead')
      .map((r) => ({
        recipient: r.id,
        conversation: CONVERSATION.exec(r.id)?.[1] ?? null,
        error: r.error ?? 'unknown',
        permanent: r.permanent,
        attempts: r.attempts,
      })),
  };
}

/** Called once an event ends with dead recipients: its notice is an outbox event of its own, published once. */
export async function reportUndelivered(eventId: string): Promise<void> {
  const event = await OutboxEvent.findById(eventId).lean<OutboxEventDoc>();
  if (!event || event.type === DELIVERY_FAILED) return; // a notice nobody could get is in the logs and App Home
  await publishOnce(`undelivered:${event._id}`, DELIVERY_FAILED, noticeOf(event));
}

/** DELIVERY_FAILED: one DM to the requester; to every org-admin when the requester cannot be reached. */
export async function tellUndelivered({ event, poster, once }: Delivery): Promise<void> {
  const notice = event.payload as unknown as UndeliveredNotice;
  const message = undeliveredMessage(notice, await poster.botUser());
  const requester = notice.requestedBy?.kind === 'slack' ? notice.requestedBy.id : null;
  const requesterLost = notice.failures.some((f) => f.conversation === requester && PERSON_GONE.has(f.error));
  const reached =
    requester && !requesterLost ? await once(`dm ${requester}`, () => poster.dm(requester, message)) : 'dead';
  if (reached !== 'dead') return;
  for (const admin of await holdersOf('org-admin', notice.site ?? '')) {
    if (admin !== requester) await once(`dm ${admin}`, () => poster.dm(admin, message));
  }
}

/** Undeliverable events of these sites (all sites: null), newest first, for App Home and /migration-status. */
export async function undeliveredOn(sites: string[] | null, limit = 10): Promise<(UndeliveredNotice & { at: Date })[]> {
  const events = await OutboxEvent.find({
    'delivery.state': 'undeliverable',
    type: { $ne: DELIVERY_FAILED },
    ...(sites ? { 'payload.site': { $in: sites } } : {}),
  })
    .sort({ at: -1 })
    .limit(limit)
    .lean<OutboxEventDoc[]>();
  return events.map((event) => ({ ...noticeOf(event), at: event.at }));
}
