import { model, Schema } from 'mongoose';
import type { Actor } from '../accounts/models';

/**
 * A directory site connected to its Atlassian Cloud site. Never holds a secret: the credentials live in the
 * environment only. `lastSync` is the last complete sync: the one whose reading the directory now matches.
 */
export interface ConnectedSiteDoc {
  _id: string; // the directory's site id
  host: string;
  connectedAt: Date;
  connectedBy: Actor;
  lastSync: {
    job: string;
    /** When its reading began: an older plan is never applied over it. */
    readAt: Date;
    at: Date;
    written: number;
    removed: number;
    unreadable: number;
  } | null;
}

const actor = { kind: String, id: String, name: String };

const schema = new Schema<ConnectedSiteDoc>(
  {
    _id: String,
    host: { type: String, required: true },
    connectedAt: { type: Date, required: true },
    connectedBy: actor,
    lastSync: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false },
);

export const ConnectedSite = model<ConnectedSiteDoc>('ConnectedSite', schema, 'connectedSites');

/** The one sentence every write to a connected site gets, in the CLI and in Slack alike. */
export const readOnlySentence = (site: string, host: string) =>
  `${site} is connected to ${host} and read-only here until write-back is released.`;
