/**
 * How fast a key (for chat.postMessage: a channel) may go. Slack documents "1 per second per channel, short bursts
 * allowed"; a token bucket says exactly that: `burst` calls at once, then `perSecond` on average.
 */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limit: RateLimit) {}

  /** Spends one call for `key`. Returns undefined when allowed, else the whole seconds to wait (for Retry-After). */
  take(key: string, nowMs: number): number | undefined {
    const { perSecond, burst } = this.limit;
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: nowMs };
    const tokens = Math.min(burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * perSecond);
    const allowed = tokens >= 1;
    this.buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at: nowMs });
    // Retry-After is whole seconds and WebClient reads it with parseInt, so round up and never say 0.
    return allowed ? undefined : Math.max(1, Math.ceil((1 - tokens) / perSecond));
  }
}
