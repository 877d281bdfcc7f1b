import { model, Schema, type Types } from 'mongoose';

/** Who did something: a Slack user, the operator CLI, or the system itself (a job acting for someone). */
export interface Actor {
  kind: 'slack' | 'cli' | 'system';
  id: string;
  name: string;
}

export interface AuditEventDoc {
  _id: Types.ObjectId;
  at: Date;
  actor: Actor;
  action: string;
  target: string;
  /** The site it happened on; null for what concerns every site (a directory load, an org-wide role). */
  site: string | null;
  summary: string;
  /** The job or interaction this event belongs to; with action and target it makes a repeat a no-op. */
  correlationId: string;
  changes: Record<string, unknown> | null;
}

const schema = new Schema<AuditEventDoc>(
  {
    at: { type: Date, required: true },
    actor: {
      kind: { type: String, enum: ['slack', 'cli', 'system'], required: true },
      id: { type: String, required: true },
      name: { type: String, required: true },
    },
    action: { type: String, required: true },
    target: { type: String, required: true },
    site: { type: String, default: null },
    summary: { type: String, required: true },
    correlationId: { type: String, required: true },
    changes: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false },
);

schema.index({ correlationId: 1, action: 1, target: 1 }, { unique: true });
schema.index({ target: 1, at: -1 });
schema.index({ at: -1 });
schema.index({ site: 1, at: 1 });

export const AuditEvent = model<AuditEventDoc>('AuditEvent', schema, 'auditEvents');
