import { model, Schema } from 'mongoose';
import { insertOnce } from '../../db/insertMissing';
import { REPORTING_KINDS } from '../../jobs/activity';
import type { JobKind } from '../../jobs/kinds';
import type { Message, SlackPoster } from './poster';

/**
 * The one message a batch keeps in each subscribed channel: its progress while it runs, its summary when it
 * ends. Where it is (its ts) lives here, in the database, so a restarted notifier — or another bot process —
 * updates the same message instead of posting a second one. A sync keeps one too: its single item reads for
 * minutes, and the message shows what it has read so far (activity.ts).
 */
export interface BatchMessageDoc {
  _id: string; // <job>/<channel>
  job: string;
  channel: string;
  /** Null while the notifier that claimed the message is posting it. */
  ts: string | null;
  /** What the message shows now ("3/10", "summary"), so an unchanged progress is not sent again. */
  shown: string;
  /** It shows the summary: progress never replaces it. */
  final: boolean;
  claimedAt: Date;
}

const schema = new Schema<BatchMessageDoc>(
  {
    _id: String,
    job: { type: String, required: true },
    channel: { type: String, required: true },
    ts: { type: String, default: null },
    shown: { type: String, required: true },
    final: { type: Boolean, required: true },
    claimedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const BatchMessage = model<BatchMessageDoc>('BatchMessage', schema, 'batchMessages');

/** Whether a job keeps one message per channel (progress, then summary) rather than posting its end alone. */
export const keepsOneMessage = (job: { kind: JobKind; total: number }) =>
  job.total > 1 || REPORTING_KINDS.includes(job.kind);

/** A claim older than this belongs to a notifier that died between claiming and posting: it may be taken over. */
const CLAIM_MS = 60_000;

/** What the message should show: `shown` names it (equal names are not sent twice). */
export interface BatchView {
  message: Message;
  shown: string;
  final: boolean;
}

/**
 * Shows `view` in the job's message in the channel: posts it the first time, updates it in place after. The first
 * poster is decided by a unique insert (FerretDB v1's conditional updates are not atomic). Returns false, doing
 * nothing, while another notifier is posting the message: its ts is not known yet.
 */
export async function showInBatchMessage(
  poster: SlackPoster,
  job: string,
  channel: string,
  view: BatchView,
): Promise<boolean> {
  const _id = `${job}/${channel}`;
  let record = await BatchMessage.findById(_id).lean();
  if (record && record.ts === null && record.claimedAt.getTime() < Date.now() - CLAIM_MS) {
    // Deleting exactly the stale claim lets one of the notifiers that find it claim the message anew.
    await BatchMessage.deleteOne({ _id, ts: null, claimedAt: record.claimedAt });
    record = null;
  }
  if (!record) {
    const claim = { _id, job, channel, ts: null, shown: view.shown, final: view.final, claimedAt: new Date() };
    if (await insertOnce(BatchMessage, claim)) {
      try {
        const posted = await poster.post(channel, view.message);
        await BatchMessage.updateOne({ _id }, { $set: { ts: posted.ts } });
      } catch (error) {
        await BatchMessage.deleteOne({ _id, ts: null }); // nothing was posted: the next attempt posts
        throw error;
      }
      return true;
    }
    record = await BatchMessage.findById(_id).lean();
  }
  if (!record?.ts) return false;
  if (record.final && !view.final) return true;
  if (record.shown === view.shown && record.final === view.final) return true;
  await poster.update({ channel: record.channel, ts: record.ts }, view.message);
  await BatchMessage.updateOne({ _id }, { $set: { shown: view.shown, final: view.final } });
  return true;
}
