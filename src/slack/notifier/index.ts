import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { webApi } from '@slack/bolt';
import { log } from '../../log';
import {
  claimEvents,
  DEFAULT_RETRY,
  type DeliveryRound,
  LostRound,
  type OutboxEventDoc,
  type RecipientDelivery,
  type RetryPolicy,
} from '../../outbox';
import { onWake } from '../../wakeups';
import { SlackPoster } from './poster';
import { classifyFailure } from './slackErrors';
import { reportUndelivered } from './undelivered';

/** What a handler gets to deliver one outbox event. */
export interface Delivery {
  event: OutboxEventDoc;
  poster: SlackPoster;
  /**
   * Runs `send` for a recipient (a channel, a user) unless an earlier round already served them or gave up on
   * them, and records the outcome. A failure is recorded and returned, never thrown, so one recipient never
   * holds back the next; the outbox retries only the recipients left ('retrying').
   */
  once(recipient: string, send: () => Promise<unknown>): Promise<RecipientDelivery['state']>;
}

export type EventHandler = (delivery: Delivery) => Promise<void>;

/** Something besides outbox events the notifier does on each tick (e.g. updating progress messages). */
export type Ticker = (poster: SlackPoster, options: NotifierOptions) => Promise<void>;

export interface NotifierOptions {
  pollMs: number;
  leaseMs: number;
  retry: RetryPolicy;
  /** How long a pending review waits between reminders. */
  reviewReminderMs: number;
}

export const defaultNotifierOptions: NotifierOptions = {
  pollMs: 1000,
  leaseMs: 5 * 60_000,
  retry: DEFAULT_RETRY,
  reviewReminderMs: 24 * 3_600_000,
};

/**
 * Turns outbox events into Slack messages. Each round of an event is claimed by a unique-key insert and renewed
 * while it runs; the handler of the event's type serves each recipient once. Several notifiers may run (one per
 * bot process): the claims keep them off each other's rounds, and a notifier checks it still holds the round
 * before every send and every record.
 */
export class Notifier {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly poster: SlackPoster;
  private readonly options: NotifierOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private stopped: Promise<void> | undefined;
  private again = false;
  private unwake = () => {};

  constructor(
    client: webApi.WebClient,
    private readonly handlers: Record<string, EventHandler>,
    private readonly tickers: Ticker[] = [],
    options: Partial<NotifierOptions> = {},
  ) {
    this.poster = new SlackPoster(client);
    this.options = { ...defaultNotifierOptions, ...options };
  }

  start(): void {
    this.stopping = false;
    this.unwake = onWake('event-published', () => this.wake());
    this.loop();
  }

  /** Delivers what is due now rather than at the next poll (after the round in progress, if one runs). */
  wake(): void {
    if (this.stopping || this.timer === undefined) {
      this.again = this.running !== undefined;
      return;
    }
    this.loop();
  }

  private loop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.tick()
      .catch((error) => log.error({ err: error }, 'notifier tick failed'))
      .finally(() => {
        if (this.stopping) return;
        this.timer = setTimeout(() => this.loop(), this.again ? 0 : this.options.pollMs);
        this.again = false;
      });
  }

  /** Waits for the round in progress, then drops queued sends (their events are offered again). Idempotent. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.unwake();
      clearTimeout(this.timer);
      await this.running;
      await this.poster.stop();
    })();
    return this.stopped;
  }

  /** One round: every due event, then every ticker. */
  async tick(): Promise<void> {
    const rounds = await claimEvents(this.id, { types: Object.keys(this.handlers), leaseMs: this.options.leaseMs });
    await Promise.all(rounds.map((round) => this.deliver(round)));
    for (const ticker of this.tickers) await ticker(this.poster, this.options);
  }

  private async deliver(round: DeliveryRound): Promise<void> {
    const { event } = round;
    const handler = this.handlers[event.type];
    if (!handler) return;
    let lost = false;
    const renewal = setInterval(() => {
      round.renew().then(
        (held) => {
          lost ||= !held;
        },
        (error: unknown) => log.warn({ err: error, event: event._id }, 'could not renew a delivery lease'),
      );
    }, this.options.leaseMs / 3);
    const once = async (recipient: string, send: () => Promise<unknown>) => {
      const before = round.recipient(recipient);
      if (before && before.state !== 'retrying') return before.state;
      if (lost || !(await round.holds())) throw new LostRound(event._id);
      let failure = null;
      try {
        await send();
      } catch (error) {
        failure = classifyFailure(error);
        log.warn({ err: error, event: event._id, recipient, ...failure }, 'could not deliver to a recipient');
      }
      return (await round.record(recipient, failure, this.options.retry)).state;
    };
    try {
      let failed: string | undefined;
      try {
        await handler({ event, poster: this.poster, once });
      } catch (error) {
        if (error instanceof LostRound) throw error;
        failed = (error as Error).message;
        log.warn({ err: error, event: event._id }, 'delivery failed; it will be retried');
      }
      const state = await round.finish(this.options.retry, failed);
      if (state === 'undeliverable') await reportUndelivered(event._id);
    } catch (error) {
      if (!(error instanceof LostRound)) throw error;
      log.warn({ event: event._id }, error.message);
    } finally {
      clearInterval(renewal);
    }
  }
}
