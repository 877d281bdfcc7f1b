import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { webApi } from '@slack/bolt';
import { log } from '../../log';
import { claimEvents, markDelivered, markFailed, markSent, type OutboxEventDoc } from '../../outbox';
import { onWake } from '../../wakeups';
import { SlackPoster } from './poster';

/** What a handler gets to deliver one outbox event. */
export interface Delivery {
  event: OutboxEventDoc;
  poster: SlackPoster;
  /**
   * Runs `send` for a recipient (a channel, a user) unless an earlier attempt at this event already served
   * them, then records them as served: a retry after a crash or a 429 never repeats a message.
   */
  once(recipient: string, send: () => Promise<unknown>): Promise<void>;
}

export type EventHandler = (delivery: Delivery) => Promise<void>;

/** Something besides outbox events the notifier does on each tick (e.g. updating progress messages). */
export type Ticker = (poster: SlackPoster) => Promise<void>;

export interface NotifierOptions {
  pollMs: number;
  leaseMs: number;
}

/**
 * Turns outbox events into Slack messages. Events are claimed under a lease, delivered by the handler of their
 * type, then marked delivered; a failure is retried later with backoff. Several notifiers may run (one per
 * bot process): the lease keeps them off each other's events.
 */
export class Notifier {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly poster: SlackPoster;
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
    private readonly options: NotifierOptions = { pollMs: 1000, leaseMs: 5 * 60_000 },
  ) {
    this.poster = new SlackPoster(client);
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
    const events = await claimEvents(this.id, { types: Object.keys(this.handlers), leaseMs: this.options.leaseMs });
    await Promise.all(events.map((event) => this.deliver(event)));
    for (const ticker of this.tickers) await ticker(this.poster);
  }

  private async deliver(event: OutboxEventDoc): Promise<void> {
    const handler = this.handlers[event.type];
    if (!handler) return;
    const served = new Set(event.delivery.sent);
    const once = async (recipient: string, send: () => Promise<unknown>) => {
      if (served.has(recipient)) return;
      await send();
      served.add(recipient);
      await markSent(event._id, recipient);
    };
    try {
      await handler({ event, poster: this.poster, once });
      await markDelivered(event._id, this.id);
    } catch (error) {
      log.warn({ err: error, event: event._id }, 'delivery failed; it will be retried');
      await markFailed(event._id, this.id, (error as Error).message);
    }
  }
}
