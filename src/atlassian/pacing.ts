import { setTimeout as sleep } from 'node:timers/promises';
import Bottleneck from 'bottleneck';
import { DomainError } from '../accounts/errors';
import { log } from '../log';
import { explainFailure, httpFailure, retryDelayMs } from './http';

export interface PacingOptions {
  /** Calls in flight per site. */
  maxConcurrent: number;
  /** Least time between two calls to one site. */
  minTimeMs: number;
  /** Tries again after a 429 or a 503 with Retry-After this many times, then fails with a sentence. */
  maxRetries: number;
  /** The longest one wait may be, whatever Retry-After says. */
  maxWaitMs: number;
}

export const defaultPacing: PacingOptions = { maxConcurrent: 4, minTimeMs: 50, maxRetries: 6, maxWaitMs: 60_000 };

/**
 * Paces calls per site (a Bottleneck.Group keyed by host) and waits out rate limits: a 429 or 503 pauses every
 * call to that site until Retry-After (or X-RateLimit-Reset) has passed, not just the one that got it.
 */
export class SitePacer {
  private readonly limiters: Bottleneck.Group;
  private readonly pausedUntil = new Map<string, number>();
  readonly options: PacingOptions;

  constructor(options: Partial<PacingOptions> = {}) {
    this.options = { ...defaultPacing, ...options };
    this.limiters = new Bottleneck.Group({
      maxConcurrent: this.options.maxConcurrent,
      minTime: this.options.minTimeMs,
    });
  }

  async call<T>(host: string, what: string, request: () => Promise<T>): Promise<T> {
    const limiter = this.limiters.key(host);
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await limiter.schedule(async () => {
          const wait = (this.pausedUntil.get(host) ?? 0) - Date.now();
          if (wait > 0) await sleep(wait);
          return request();
        });
      } catch (error) {
        const failure = httpFailure(error);
        const delay = failure ? retryDelayMs(failure) : null;
        if (!failure || delay === null) throw explainFailure(error, host, what);
        if (attempt >= this.options.maxRetries) {
          throw new DomainError(
            'unavailable',
            `${host} still answered ${failure.status} (${failure.status === 429 ? 'rate limited' : 'unavailable'}) after ${attempt + 1} tries to read ${what}; try again later.`,
          );
        }
        const waitMs = Math.min(delay, this.options.maxWaitMs);
        log.info({ host, status: failure.status, waitMs, attempt: attempt + 1 }, 'Atlassian asked to wait; waiting');
        this.pausedUntil.set(host, Math.max(this.pausedUntil.get(host) ?? 0, Date.now() + waitMs));
      }
    }
  }
}
