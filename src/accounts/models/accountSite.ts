import { model, Schema } from 'mongoose';

/**
 * What one Atlassian account has on one site. A collection of its own rather than an array inside the account:
 * every change is then a single-document upsert, which any MongoDB-compatible server does atomically (FerretDB
 * v1 has no positional or arrayFilters updates), and a site's customers are found with a plain index.
 */
export interface AccountSiteDoc {
  _id: string; // <account id>/<site id>
  account: string;
  site: string;
  siteAccess: boolean;
  products: string[];
  /** Roles granted directly; groups may grant more (see effectiveRoles). */
  roles: string[];
  /** Names of the site's groups this account belongs to. */
  groups: string[];
  admin: boolean;
}

export const accountSiteId = (account: string, site: string) => `${account}/${site}`;

const schema = new Schema<AccountSiteDoc>(
  {
    _id: String,
    account: { type: String, required: true },
    site: { type: String, required: true },
    siteAccess: { type: Boolean, required: true },
    products: { type: [String], default: [] },
    roles: { type: [String], default: [] },
    groups: { type: [String], default: [] },
    admin: { type: Boolean, default: false },
  },
  { versionKey: false },
);

schema.index({ account: 1 });
schema.index({ site: 1, siteAccess: 1 });
schema.index({ site: 1, groups: 1 });

export const AccountSite = model<AccountSiteDoc>('AccountSite', schema, 'accountSites');
