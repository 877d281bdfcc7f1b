import { model, Schema } from 'mongoose';

export type ReviewState = 'pending' | 'approved' | 'rejected';

export interface Reviewer {
  id: string;
  name: string;
}

/** The review of an imported group: nobody gets its roles until an approver approves it. */
export interface GroupReview {
  state: ReviewState;
  sourceSite: string;
  reviewedBy: Reviewer | null;
  reviewedAt: Date | null;
  reason: string | null;
}

/** A site-scoped group. Memberships live on the accounts' site entries (AccountSite.groups), so any size fits. */
export interface GroupDoc {
  /** <site>/<name>: invariant 3 (names are unique per site) is the uniqueness of the id. */
  _id: string;
  site: string;
  name: string;
  roles: string[];
  origin: 'default' | 'imported';
  review: GroupReview | null;
}

const reviewSchema = new Schema<GroupReview>(
  {
    state: { type: String, enum: ['pending', 'approved', 'rejected'], required: true },
    sourceSite: { type: String, required: true },
    reviewedBy: { type: new Schema<Reviewer>({ id: String, name: String }, { _id: false }), default: null },
    reviewedAt: { type: Date, default: null },
    reason: { type: String, default: null },
  },
  { _id: false },
);

export const groupId = (site: string, name: string) => `${site}/${name}`;

const schema = new Schema<GroupDoc>(
  {
    _id: String,
    site: { type: String, required: true },
    name: { type: String, required: true },
    roles: { type: [String], default: [] },
    origin: { type: String, enum: ['default', 'imported'], required: true },
    review: { type: reviewSchema, default: null },
  },
  { versionKey: false },
);

schema.pre('validate', function () {
  this._id = groupId(this.site, this.name);
});

schema.index({ site: 1 });

export const Group = model<GroupDoc>('Group', schema, 'groups');
