import { buffer } from 'node:stream/consumers';
import { attentionCount, copyEndedMessage, type ReviewRouting, reportComment } from '../../../views/copyEnded';
import { REPORT_FILE } from '../../accounts/copy';
import { GROUP_REVIEW_REQUESTED, type GroupReviewRequestedEvent } from '../../accounts/groupReview';
import type { JobEndedEvent } from '../../jobs/finish';
import { copyReport } from '../../jobs/kinds/copy';
import { OutboxEvent } from '../../outbox';
import { reviewDestination } from '../approvals/cards';
import { rolesOf, satisfies } from '../roles';
import { channelsFor } from '../subscriptions';
import { keepsOneMessage, showInBatchMessage } from './batchMessages';
import type { Delivery } from './index';
import type { SharedFile } from './poster';

/**
 * JOB_ENDED: the requester (while they may still read the job's site) gets a DM and every channel subscribed to
 * the job's site a message saying what
 * happened, to whom, the counts and the duration. A batch's (or a sync's) summary replaces its progress message
 * in each channel instead of adding one; a copy also shares RequiresAttention.csv. Each recipient is served once
 * (Delivery.once), so a retry after a crash or a 429 repeats nothing, and one that fails holds back nobody.
 */
export async function announceJobEnded({ event, poster, once }: Delivery): Promise<void> {
  const ended = event.payload as unknown as JobEndedEvent;
  const review = await reviewRouting(ended);
  const message = copyEndedMessage(ended, review && { ...review, canReview: false });
  const report = ended.kind === 'copy-customers' && attentionCount(ended) > 0 ? reportOf(ended) : null;

  const { requestedBy } = ended;
  // The requester's role is checked again now: someone whose role on the site was revoked since hears nothing.
  if (requestedBy.kind === 'slack' && satisfies(await rolesOf(requestedBy.id), { role: 'viewer', site: ended.site })) {
    await once(requestedBy.id, () => poster.dm(requestedBy.id, copyEndedMessage(ended, review)));
    if (report) {
      await once(`${requestedBy.id}/${REPORT_FILE}`, async () =>
        poster.upload(await poster.dmChannel(requestedBy.id), await report()),
      );
    }
  }
  // One recipient after another: each records its outcome on the event, and FerretDB v1 may lose one of two
  // concurrent updates of a document. The poster paces each channel anyway. A failed one never stops the next.
  // A stale confirmation changed nothing: only its requester, who can preview again, needs to hear of it.
  const channels = ended.outcome === 'stale' ? [] : await channelsFor(ended.site, 'notifications');
  for (const channel of channels) {
    await once(channel, () =>
      keepsOneMessage(ended) ? showSummaryInBatchMessage(ended, channel, message) : poster.post(channel, message),
    );
    if (report) await once(`${channel}/${REPORT_FILE}`, async () => poster.upload(channel, await report()));
  }

  async function showSummaryInBatchMessage(job: JobEndedEvent, channel: string, summary: typeof message) {
    const shown = await showInBatchMessage(poster, job.jobId, channel, {
      message: summary,
      shown: 'summary',
      final: true,
    });
    // Another notifier is posting the progress message right now: the outbox offers this event again shortly.
    if (!shown) throw new Error(`the message of job ${job.jobId} in ${channel} is being posted; trying again`);
  }
}

/** A copy's imported group: where its review went, and whether the requester may review it themselves. */
async function reviewRouting(ended: JobEndedEvent): Promise<ReviewRouting | undefined> {
  if (ended.kind !== 'copy-customers' || !ended.counts.importedToGroup) return undefined;
  const request = await OutboxEvent.findOne({ type: GROUP_REVIEW_REQUESTED, 'payload.jobId': ended.jobId }).lean();
  if (!request) return undefined;
  const { groupId, group } = request.payload as unknown as GroupReviewRequestedEvent;
  const { requestedBy } = ended;
  const canReview =
    requestedBy.kind === 'slack' && satisfies(await rolesOf(requestedBy.id), { role: 'approver', site: ended.site });
  return { groupId, group, where: await reviewDestination(ended.site, groupId), canReview };
}

/** The copy's report, read once from the job's items however many recipients share it. */
function reportOf(ended: JobEndedEvent): () => Promise<SharedFile> {
  let file: Promise<SharedFile> | undefined;
  return () => {
    file ??= copyReport(ended.jobId).then(async (csv) => ({
      filename: REPORT_FILE,
      content: await buffer(csv),
      title: `${REPORT_FILE} — job ${ended.jobId}`,
      comment: reportComment(ended),
    }));
    return file;
  };
}
