import { model, Schema } from 'mongoose';
import { emailKey } from '../email';

export type AccountStatus = 'active' | 'inactive' | 'closed';

/** Products that can be granted on a site. Any of them is a licence; `jira-servicemanagement` is agent access. */
export const PRODUCTS = ['jira-software', 'jira-servicemanagement', 'jira-work-management', 'confluence', 'bitbucket'];
export const AGENT_PRODUCT = 'jira-servicemanagement';
export const CUSTOMER_ROLE = 'customer';

/** A global Atlassian account. What it has on each site lives in AccountSite documents. */
export interface AtlassianAccountDoc {
  _id: string; // 24 lowercase hex
  email: string;
  emailKey: string;
  displayName: string;
  emailVerified: boolean;
  status: AccountStatus;
  /**
   * Invariant 2 as a plain unique index (FerretDB has no partial indexes): the email key while the account is
   * not closed, `closed/<id>` after, which never collides.
   */
  openEmailKey: string;
}

type KeyFields = Pick<AtlassianAccountDoc, '_id' | 'email' | 'status'>;

/** The derived fields every write path must store; the save hook and the bulk writers both use this. */
export function accountKeys(doc: KeyFields): Pick<AtlassianAccountDoc, 'emailKey' | 'openEmailKey'> {
  const key = emailKey(doc.email);
  return { emailKey: key, openEmailKey: doc.status === 'closed' ? `closed/${doc._id}` : key };
}

const schema = new Schema<AtlassianAccountDoc>(
  {
    _id: String,
    email: { type: String, required: true },
    emailKey: { type: String, required: true },
    displayName: { type: String, required: true },
    emailVerified: { type: Boolean, required: true },
    status: { type: String, enum: ['active', 'inactive', 'closed'], required: true },
    openEmailKey: { type: String, required: true },
  },
  { versionKey: false },
);

schema.pre('validate', function () {
  Object.assign(this, accountKeys(this));
});

schema.index({ openEmailKey: 1 }, { unique: true });
schema.index({ emailKey: 1 });

export const AtlassianAccount = model<AtlassianAccountDoc>('AtlassianAccount', schema, 'atlassianAccounts');
