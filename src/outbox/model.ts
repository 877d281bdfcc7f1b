import { model, Schema } from 'mongoose';

/**
 * Events for the outside world (Slack), written with a unique id per fact ("job:<id>" for a job's end), so that
 * however many times a step runs, the fact is recorded once. Consumers claim events with a lease and mark them
 * delivered; an event a consumer failed to deliver, or held when it died, is offered again.
 */
export interface OutboxEventDoc<P = Record<string, unknown>> {
  _id: string;
  type: string;
  at: Date;
  payload: P;
  delivery: {
    state: 'pending' | 'delivered';
    attempts: number;
    nextAttemptAt: Date;
    lease: { owner: string; until: Date } | null;
    lastError: string | null;
    deliveredAt: Date | null;
    /** Recipients already served, so a retry after a crash does not send them the message again. */
    sent: string[];
  };
}

const schema = new Schema<OutboxEventDoc>(
  {
    _id: String,
    type: { type: String, required: true },
    at: { type: Date, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
    delivery: {
      state: { type: String, required: true },
      attempts: { type: Number, required: true },
      nextAttemptAt: { type: Date, required: true },
      lease: { type: new Schema({ owner: String, until: Date }, { _id: false }), default: null },
      lastError: { type: String, default: null },
      deliveredAt: { type: Date, default: null },
      sent: { type: [String], default: [] },
    },
  },
  { versionKey: false },
);
schema.index({ 'delivery.state': 1, 'delivery.nextAttemptAt': 1 });
schema.index({ type: 1, at: -1 });

export const OutboxEvent = model<OutboxEventDoc>('OutboxEvent', schema, 'outboxEvents');
