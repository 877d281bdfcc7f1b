import { model, Schema } from 'mongoose';
import type { Actor } from './auditEvent';

export type ReviewDecision = 'approved' | 'rejected';

/**
 * The decision on one imported group (DOMAIN.md operation 10). Its id is the group's id, so the first review
 * inserted is the only one: a unique key decides who clicked first, because FerretDB v1's conditional updates
 * are not atomic across connections. The group document is then updated from this one.
 */
export interface ImportedGroupReviewDoc {
  _id: string; // the group's id, <site>/<name>
  site: string;
  group: string;
  decision: ReviewDecision;
  reviewedBy: Actor;
  reviewedAt: Date;
  reason: string;
  /** The interaction that decided: its retry finds its own review instead of a conflict. */
  correlationId: string;
  /**
   * When the decision's effects were all written (the group, its audit event, its announcement). Until then
   * any worker completes them again, idempotently: a crash between the writes loses none of them.
   */
  completedAt?: Date | null;
}

const schema = new Schema<ImportedGroupReviewDoc>(
  {
    _id: String,
    site: { type: String, required: true },
    group: { type: String, required: true },
    decision: { type: String, enum: ['approved', 'rejected'], required: true },
    reviewedBy: {
      kind: { type: String, enum: ['slack', 'cli', 'system'], required: true },
      id: { type: String, required: true },
      name: { type: String, required: true },
    },
    reviewedAt: { type: Date, required: true },
    reason: { type: String, required: true },
    correlationId: { type: String, required: true },
    completedAt: { type: Date, default: null },
  },
  { versionKey: false },
);

schema.index({ completedAt: 1 });

export const ImportedGroupReview = model<ImportedGroupReviewDoc>('ImportedGroupReview', schema, 'importedGroupReviews');
