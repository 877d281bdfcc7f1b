import { model, Schema } from 'mongoose';
import { emailKey } from '../email';

export type PortalCustomerStatus = 'active' | 'inactive';

/** A site-scoped customer who can only raise requests and read the knowledge base of that site's portals. */
export interface PortalCustomerDoc {
  _id: string; // qm:<uuid>:<uuid>
  site: string;
  email: string;
  emailKey: string;
  displayName: string;
  status: PortalCustomerStatus;
  invitedToProduct: Date | null;
  migratedTo: string | null;
  migratedAt: Date | null;
  /**
   * Invariant 1 as a plain unique index (FerretDB has no partial indexes): `<site>/<email>` while
   * active, so a second active profile for the same site and email collides; `inactive/<id>` once
   * inactive, which never collides.
   */
  activeKey: string;
}

type KeyFields = Pick<PortalCustomerDoc, '_id' | 'site' | 'email' | 'status'>;

export function portalActiveKey(doc: KeyFields): string {
  return doc.status === 'active' ? `${doc.site}/${emailKey(doc.email)}` : `inactive/${doc._id}`;
}

/** The derived fields every write path must store; the save hook and the bulk writers both use this. */
export function portalCustomerKeys(doc: KeyFields): Pick<PortalCustomerDoc, 'emailKey' | 'activeKey'> {
  return { emailKey: emailKey(doc.email), activeKey: portalActiveKey(doc) };
}

/** Invariant 5: a migrated profile is inactive and knows when it was migrated. Null when the doc is fine. */
export function migratedProfileProblem(doc: Pick<PortalCustomerDoc, 'status' | 'migratedTo' | 'migratedAt'>) {
  if (doc.migratedTo === null) return null;
  if (doc.status !== 'inactive') return 'a migrated portal-only customer must be inactive';
  if (doc.migratedAt === null) return 'a migrated portal-only customer must have migratedAt';
  return null;
}

const schema = new Schema<PortalCustomerDoc>(
  {
    _id: String,
    site: { type: String, required: true },
    email: { type: String, required: true },
    emailKey: { type: String, required: true },
    displayName: { type: String, required: true },
    status: { type: String, enum: ['active', 'inactive'], required: true },
    invitedToProduct: { type: Date, default: null },
    migratedTo: { type: String, default: null },
    migratedAt: { type: Date, default: null },
    activeKey: { type: String, required: true },
  },
  { versionKey: false },
);

schema.pre('validate', function () {
  Object.assign(this, portalCustomerKeys(this));
  const problem = migratedProfileProblem(this);
  if (problem) this.invalidate('migratedTo', problem);
});

schema.index({ activeKey: 1 }, { unique: true });
schema.index({ emailKey: 1 });
schema.index({ site: 1, status: 1 });

export const PortalCustomer = model<PortalCustomerDoc>('PortalCustomer', schema, 'portalCustomers');
