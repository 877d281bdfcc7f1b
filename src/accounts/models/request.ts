import { model, Schema } from 'mongoose';
import { AtlassianAccount } from './atlassianAccount';
import { PortalCustomer } from './portalCustomer';

/** A customer request (`HELP-12`). Reporter and participants are portal-only customer ids or account ids. */
export interface RequestDoc {
  /** <site>/<key>: request keys are unique per site. */
  _id: string;
  site: string;
  key: string;
  project: string;
  reporter: string;
  participants: string[];
  createdAt: Date;
}

async function reporterExists(id: string): Promise<boolean> {
  const [account, customer] = await Promise.all([
    AtlassianAccount.exists({ _id: id }),
    PortalCustomer.exists({ _id: id }),
  ]);
  return Boolean(account || customer);
}

export const requestId = (site: string, key: string) => `${site}/${key}`;

const schema = new Schema<RequestDoc>(
  {
    _id: String,
    site: { type: String, required: true },
    key: { type: String, required: true },
    project: { type: String, required: true },
    reporter: {
      type: String,
      required: true,
      // Invariant 4. MongoDB has no foreign keys; reporters are never deleted (accounts close, profiles go
      // inactive), so checking on write is enough for the invariant to hold.
      validate: {
        validator: reporterExists,
        message: (props: { value: string }) =>
          `reporter ${props.value} is neither an account nor a portal-only customer`,
      },
    },
    participants: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

schema.pre('validate', function () {
  this._id = requestId(this.site, this.key);
});

schema.index({ site: 1, key: 1 });
schema.index({ reporter: 1 });
schema.index({ participants: 1 });

export const CustomerRequest = model<RequestDoc>('Request', schema, 'requests');
