import { randomBytes } from 'node:crypto';
import { model, Schema } from 'mongoose';
import { conflict } from '../accounts/errors';
import type { MigrationPreview, MigrationRequest } from '../accounts/migration';

/**
 * Migration previews waiting in a modal for Submit. A request with a long list of emails does not fit in a
 * modal's private_metadata (3000 characters), so the modal keeps only the id of its pending confirmation.
 */

/** What a preview said, to tell the person what changed when it goes stale. */
export type PreviewSummary = Pick<MigrationPreview, 'targets' | 'planned' | 'refused' | 'counts'>;

export interface PendingConfirmationDoc {
  _id: string;
  /**
   * The request as JSON: the preview's fingerprint hashes the request's JSON, so it must come back exactly as
   * it was previewed (key order included).
   */
  request: string;
  fingerprint: string;
  summary: PreviewSummary;
  createdAt: Date;
}

export interface PendingConfirmation {
  id: string;
  request: MigrationRequest;
  fingerprint: string;
  summary: PreviewSummary;
}

const schema = new Schema<PendingConfirmationDoc>(
  {
    _id: String,
    request: { type: String, required: true },
    fingerprint: { type: String, required: true },
    summary: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
schema.index({ createdAt: 1 });

const PendingConfirmation = model<PendingConfirmationDoc>('PendingConfirmation', schema, 'slackConfirmations');

// A modal left open longer than a day is answered with "run the command again".
const KEPT_MS = 24 * 60 * 60_000;

const fields = (preview: MigrationPreview) => ({
  request: JSON.stringify(preview.request),
  fingerprint: preview.fingerprint,
  summary: { targets: preview.targets, planned: preview.planned, refused: preview.refused, counts: preview.counts },
});

/** Keeps a preview for its modal; returns the id the modal carries. Forgets confirmations nobody submitted. */
export async function rememberPreview(preview: MigrationPreview): Promise<string> {
  const now = new Date();
  await PendingConfirmation.deleteMany({ createdAt: { $lt: new Date(now.getTime() - KEPT_MS) } });
  const id = randomBytes(12).toString('hex');
  await PendingConfirmation.collection.insertOne({ _id: id, ...fields(preview), createdAt: now } as never);
  return id;
}

/** The modal now shows another preview (a licence choice, a stale one replaced). */
export async function replacePreview(id: string, preview: MigrationPreview): Promise<void> {
  await PendingConfirmation.updateOne({ _id: id }, { $set: fields(preview) });
}

export async function recallPreview(id: string): Promise<PendingConfirmation> {
  const doc = await PendingConfirmation.findById(id).lean();
  if (!doc) throw conflict('This confirmation has expired; run the command again to see a new preview.');
  const request = JSON.parse(doc.request) as MigrationRequest;
  return { id: doc._id, request, fingerprint: doc.fingerprint, summary: doc.summary };
}
