import type { QueryFilter } from 'mongoose';
import { isDuplicateKeyError } from '../db/errors';
import { wake } from '../wakeups';
import { OutboxEvent, type OutboxEventDoc } from './model';

export { OutboxEvent, type OutboxEventDoc } from './model';

const MAX_BACKOFF_MS = 10 * 60_000;

/** Records a fact once: a second publish of the same id returns the first event unchanged. */
export async function publishOnce<P>(id: string, type: string, payload: P): Promise<OutboxEventDoc<P>> {
  const event: OutboxEventDoc<P> = {
    _id: id,
    type,
    at: new Date(),
    payload,
    delivery: {
      state: 'pending',
      attempts: 0,
      nextAttemptAt: new Date(),
      lease: null,
      lastError: null,
      deliveredAt: null,
      sent: [],
    },
  };
  try {
    await OutboxEvent.collection.insertOne(event as never);
    wake('event-published');
    return event;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return (await OutboxEvent.findById(id).lean()) as OutboxEventDoc<P>;
  }
}

export interface ClaimOptions {
  limit?: number;
  /** How long the consumer may hold an event before another may take it. */
  leaseMs?: number;
  types?: string[];
}

/** Takes undelivered events that are due, oldest first, each under a lease held by this consumer. */
export async function claimEvents(consumer: string, options: ClaimOptions = {}): Promise<OutboxEventDoc[]> {
  const now = new Date();
  const claimable: QueryFilter<OutboxEventDoc> = {
    'delivery.state': 'pending',
    'delivery.nextAttemptAt': { $lte: now },
    $or: [{ 'delivery.lease': null }, { 'delivery.lease.until': { $lt: now } }],
    ...(options.types ? { type: { $in: options.types } } : {}),
  };
  const candidates = await OutboxEvent.find(claimable, { _id: 1 })
    .sort({ at: 1 })
    .limit(options.limit ?? 20)
    .lean();
  const lease = { owner: consumer, until: new Date(now.getTime() + (options.leaseMs ?? 60_000)) };
  const claimed: OutboxEventDoc[] = [];
  for (const { _id } of candidates) {
    const won = await OutboxEvent.findOneAndUpdate(
      { _id, ...claimable },
      { $set: { 'delivery.lease': lease } },
      { returnDocument: 'after' },
    ).lean<OutboxEventDoc>();
    if (won?.delivery.lease?.owner === consumer) claimed.push(won);
  }
  return claimed;
}

/** One recipient got the message: a retry of this event skips them. */
export async function markSent(id: string, recipient: string): Promise<void> {
  await OutboxEvent.updateOne({ _id: id }, { $addToSet: { 'delivery.sent': recipient } });
}

export async function markDelivered(id: string, consumer: string): Promise<void> {
  await OutboxEvent.updateOne(
    { _id: id, 'delivery.lease.owner': consumer },
    { $set: { 'delivery.state': 'delivered', 'delivery.deliveredAt': new Date(), 'delivery.lease': null } },
  );
}

/** Delivery failed: offered again later, with exponential backoff. */
export async function markFailed(id: string, consumer: string, error: string): Promise<void> {
  const event = await OutboxEvent.findById(id, { delivery: 1 }).lean();
  if (!event) return;
  const attempts = event.delivery.attempts + 1;
  const backoff = Math.min(5_000 * 2 ** (attempts - 1), MAX_BACKOFF_MS);
  await OutboxEvent.updateOne(
    { _id: id, 'delivery.lease.owner': consumer },
    {
      $set: {
        'delivery.attempts': attempts,
        'delivery.nextAttemptAt': new Date(Date.now() + backoff),
        'delivery.lastError': error,
        'delivery.lease': null,
      },
    },
  );
}
