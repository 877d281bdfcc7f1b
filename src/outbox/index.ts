import { isDuplicateKeyError } from '../db/errors';
import { insertOnce } from '../db/insertMissing';
import { wake } from '../wakeups';
import { OutboxClaim, OutboxEvent, type OutboxEventDoc, type RecipientDelivery } from './model';

export { OutboxClaim, OutboxEvent, type OutboxEventDoc, type RecipientDelivery } from './model';

/** Records a fact once: a second publish of the same id returns the first event unchanged. */
export async function publishOnce<P>(id: string, type: string, payload: P): Promise<OutboxEventDoc<P>> {
  const event: OutboxEventDoc<P> = {
    _id: id,
    type,
    at: new Date(),
    payload,
    delivery: {
      state: 'pending',
      round: 0,
      nextAttemptAt: new Date(),
      lastError: null,
      deliveredAt: null,
      recipients: [],
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

/** How often a recipient is tried: attempt n waits baseMs × 2^(n-1) after the one before, maxAttempts in all. */
export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
}

/** Eight attempts over about an hour: 30 s, 1, 2, 4, 8, 16 and 32 minutes apart. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseMs: 30_000 };

const MAX_DELAY_MS = 60 * 60_000;
export const retryDelay = (policy: RetryPolicy, attempts: number) =>
  Math.min(policy.baseMs * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);

export interface ClaimOptions {
  limit?: number;
  /** How long the consumer may hold a round without renewing it before another may take it. */
  leaseMs?: number;
  types?: string[];
}

/** A failure of one recipient: Slack's error name, and whether retrying can change Slack's answer. */
export interface RecipientFailure {
  error: string;
  permanent: boolean;
}

/**
 * One round of deliveries of one event, held by one consumer. Every write checks first that the consumer still
 * holds the round, so a consumer that stalled past its lease (and was replaced) changes nothing.
 */
export class DeliveryRound {
  private readonly recipients: Map<string, RecipientDelivery>;

  constructor(
    readonly event: OutboxEventDoc,
    private readonly claimId: string,
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {
    this.recipients = new Map(event.delivery.recipients.map((r) => [r.id, r]));
  }

  /** What earlier rounds left of this recipient (sent, dead, or retrying after some attempts). */
  recipient(id: string): RecipientDelivery | undefined {
    return this.recipients.get(id);
  }

  /** Whether this consumer still holds the round: its claim is the latest and has not expired. */
  async holds(): Promise<boolean> {
    const latest = await latestClaim(this.event._id, this.event.delivery.round);
    return latest?._id === this.claimId && latest.until.getTime() > Date.now();
  }

  /** Extends the lease during a long delivery; false when the round was lost meanwhile. */
  async renew(): Promise<boolean> {
    if (!(await this.holds())) return false;
    await OutboxClaim.updateOne(
      { _id: this.claimId, owner: this.owner },
      { $set: { until: new Date(Date.now() + this.leaseMs) } },
    );
    return this.holds();
  }

  /** Records a recipient's outcome on the event at once, so a crash after it does not repeat it. */
  async record(id: string, failure: RecipientFailure | null, policy: RetryPolicy): Promise<RecipientDelivery> {
    const before = this.recipients.get(id);
    const attempts = (before?.attempts ?? 0) + 1;
    const entry: RecipientDelivery = failure
      ? {
          id,
          state: failure.permanent || attempts >= policy.maxAttempts ? 'dead' : 'retrying',
          attempts,
          error: failure.error,
          permanent: failure.permanent,
          at: new Date(),
        }
      : { id, state: 'sent', attempts, error: null, permanent: false, at: new Date() };
    if (!(await this.holds())) throw new LostRound(this.event._id);
    this.recipients.set(id, entry);
    await OutboxEvent.updateOne(
      { _id: this.event._id, 'delivery.round': this.event.delivery.round },
      { $set: { 'delivery.recipients': [...this.recipients.values()] } },
    );
    return entry;
  }

  /**
   * Ends the round: delivered (or undeliverable) once no recipient is left to retry, otherwise due again after
   * the backoff of its least-tried recipient. `failed`: the round failed as a whole, tried again with backoff.
   */
  async finish(policy: RetryPolicy, failed?: string): Promise<OutboxEventDoc['delivery']['state']> {
    if (!(await this.holds())) throw new LostRound(this.event._id);
    const round = this.event.delivery.round;
    const all = [...this.recipients.values()];
    const retrying = all.filter((r) => r.state === 'retrying');
    const state =
      failed || retrying.length > 0 ? 'pending' : all.some((r) => r.state === 'dead') ? 'undeliverable' : 'delivered';
    const attempts = failed ? round + 1 : Math.min(...retrying.map((r) => r.attempts));
    await OutboxEvent.updateOne(
      { _id: this.event._id, 'delivery.round': round },
      {
        $set: {
          'delivery.state': state,
          'delivery.round': round + 1,
          'delivery.nextAttemptAt': new Date(Date.now() + (state === 'pending' ? retryDelay(policy, attempts) : 0)),
          'delivery.lastError': failed ?? null,
          'delivery.deliveredAt': state === 'pending' ? null : new Date(),
        },
      },
    );
    return state;
  }
}

/** The consumer no longer holds the round (it stalled past its lease): another consumer carries on. */
export class LostRound extends Error {
  constructor(event: string) {
    super(`the delivery of ${event} was taken over by another notifier`);
    this.name = 'LostRound';
  }
}

const latestClaim = (event: string, round: number) =>
  OutboxClaim.findOne({ event, round }).sort({ generation: -1 }).lean();

/**
 * Takes events that are due, oldest first, each for one round under a lease held by this consumer. The claim is
 * a unique-key insert; the event is read again after it, so a round finished meanwhile by another is left alone.
 */
export async function claimEvents(consumer: string, options: ClaimOptions = {}): Promise<DeliveryRound[]> {
  const leaseMs = options.leaseMs ?? 60_000;
  const candidates = await OutboxEvent.find(
    {
      'delivery.state': 'pending',
      'delivery.nextAttemptAt': { $lte: new Date() },
      ...(options.types ? { type: { $in: options.types } } : {}),
    },
    { _id: 1, 'delivery.round': 1 },
  )
    .sort({ at: 1 })
    .limit(options.limit ?? 20)
    .lean<Pick<OutboxEventDoc, '_id' | 'delivery'>[]>();
  const rounds: DeliveryRound[] = [];
  for (const candidate of candidates) {
    const { round } = candidate.delivery;
    const latest = await latestClaim(candidate._id, round);
    if (latest && latest.until.getTime() > Date.now()) continue;
    const generation = latest ? latest.generation + 1 : 0;
    const claim = {
      _id: `${candidate._id}/${round}/${generation}`,
      event: candidate._id,
      round,
      generation,
      owner: consumer,
      until: new Date(Date.now() + leaseMs),
    };
    if (!(await insertOnce(OutboxClaim, claim))) continue;
    const event = await OutboxEvent.findById(candidate._id).lean<OutboxEventDoc>();
    if (event?.delivery.state !== 'pending' || event.delivery.round !== round) continue;
    rounds.push(new DeliveryRound(event, claim._id, consumer, leaseMs));
  }
  return rounds;
}
