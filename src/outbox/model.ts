import { model, Schema } from 'mongoose';

/**
 * Events for the outside world (Slack), written with a unique id per fact ("job:<id>" for a job's end), so that
 * however many times a step runs, the fact is recorded once. A consumer delivers an event in rounds: each round is
 * claimed by a unique-key insert (OutboxClaim), tries every recipient not yet served, and records each one's
 * outcome here, so that one recipient never holds back another and a retry serves only who is left.
 */
export interface OutboxEventDoc<P = Record<string, unknown>> {
  _id: string;
  type: string;
  at: Date;
  payload: P;
  delivery: {
    /** delivered: every recipient got it; undeliverable: every recipient got it or is dead (see recipients). */
    state: 'pending' | 'delivered' | 'undeliverable';
    /** Rounds finished so far; the next round's claim is keyed by it. */
    round: number;
    nextAttemptAt: Date;
    /** Why the last round failed as a whole (the handler itself failed, say the database went away). */
    lastError: string | null;
    /** When the last recipient was served or given up on. */
    deliveredAt: Date | null;
    recipients: RecipientDelivery[];
  };
}

/** One recipient of an event (a channel, a person, a file shared into one), as the last round left it. */
export interface RecipientDelivery {
  /** The handler's name for it: a conversation id, or one with what was sent there ("C0…/RequiresAttention.csv"). */
  id: string;
  /** retrying: failed in a way a later try may fix; dead: never retried again. */
  state: 'sent' | 'retrying' | 'dead';
  attempts: number;
  /** Slack's error name (not_in_channel…), or the message of another failure. */
  error: string | null;
  /** Dead because Slack's answer cannot change by retrying (as opposed to dead after the last attempt). */
  permanent: boolean;
  at: Date;
}

const recipientSchema = new Schema<RecipientDelivery>(
  {
    id: { type: String, required: true },
    state: { type: String, required: true },
    attempts: { type: Number, required: true },
    error: { type: String, default: null },
    permanent: { type: Boolean, required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

const schema = new Schema<OutboxEventDoc>(
  {
    _id: String,
    type: { type: String, required: true },
    at: { type: Date, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
    delivery: {
      state: { type: String, required: true },
      round: { type: Number, required: true },
      nextAttemptAt: { type: Date, required: true },
      lastError: { type: String, default: null },
      deliveredAt: { type: Date, default: null },
      recipients: { type: [recipientSchema], default: [] },
    },
  },
  { versionKey: false },
);
schema.index({ 'delivery.state': 1, 'delivery.nextAttemptAt': 1 });
schema.index({ type: 1, at: -1 });

export const OutboxEvent = model<OutboxEventDoc>('OutboxEvent', schema, 'outboxEvents');

/**
 * Who delivers one round of an event: `<event>/<round>/<generation>`, inserted once. A consumer that dies holding
 * a round leaves its claim to expire; the next claimant inserts the next generation, and only one insert of it
 * can win. Nothing is ever updated to take a claim, because FerretDB v1's conditional updates are not atomic.
 */
export interface OutboxClaimDoc {
  _id: string;
  event: string;
  round: number;
  generation: number;
  owner: string;
  until: Date;
}

const claimSchema = new Schema<OutboxClaimDoc>(
  {
    _id: String,
    event: { type: String, required: true },
    round: { type: Number, required: true },
    generation: { type: Number, required: true },
    owner: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { versionKey: false },
);
claimSchema.index({ event: 1, round: 1, generation: -1 });

export const OutboxClaim = model<OutboxClaimDoc>('OutboxClaim', claimSchema, 'outboxClaims');
