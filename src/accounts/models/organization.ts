import { model, Schema } from 'mongoose';

/** The organization whose directory this database holds (one per database). */
export interface OrganizationDoc {
  _id: string;
  name: string;
}

const schema = new Schema<OrganizationDoc>(
  { _id: String, name: { type: String, required: true } },
  { versionKey: false },
);

export const Organization = model<OrganizationDoc>('Organization', schema, 'organizations');
