import { model, Schema } from 'mongoose';

export interface ServiceProject {
  key: string;
  name: string;
}

/** A Jira site (`acme.atlassian.net`) with its service projects and customer portal. */
export interface SiteDoc {
  _id: string;
  organization: string;
  host: string;
  /** Used in group names: jira-servicemanagement-customers-<workspace>. */
  workspace: string;
  portalUrl: string;
  projects: ServiceProject[];
}

const schema = new Schema<SiteDoc>(
  {
    _id: String,
    organization: { type: String, required: true },
    host: { type: String, required: true },
    workspace: { type: String, required: true },
    portalUrl: { type: String, required: true },
    projects: [{ _id: false, key: { type: String, required: true }, name: { type: String, required: true } }],
  },
  { versionKey: false },
);

export const Site = model<SiteDoc>('Site', schema, 'sites');

/** The group every migrated customer joins: it carries the Customer role and no product access. */
export const customersGroupName = (site: Pick<SiteDoc, 'workspace'>) =>
  `jira-servicemanagement-customers-${site.workspace}`;
