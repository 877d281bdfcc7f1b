import Bottleneck from 'bottleneck';

export interface ConcurrencyLimits {
  /** Migrations running at once in this process, across all sites. */
  total: number;
  /** Migrations running at once on one site. */
  perSite: number;
}

/**
 * Caps how many migrations run at once, per site and in total. A chunk of n migrations takes n slots
 * (bottleneck's weight), so the caps count customers, not chunks.
 */
export class MigrationLimiter {
  private readonly total: Bottleneck;
  private readonly sites: Bottleneck.Group;

  constructor(readonly limits: ConcurrencyLimits) {
    this.total = new Bottleneck({ maxConcurrent: limits.total });
    this.sites = new Bottleneck.Group({ maxConcurrent: limits.perSite });
  }

  /** The largest chunk that can ever get its slots. */
  get maxChunk(): number {
    return Math.min(this.limits.total, this.limits.perSite);
  }

  run<T>(site: string, weight: number, work: () => Promise<T>): Promise<T> {
    return this.sites.key(site).schedule({ weight }, () => this.total.schedule({ weight }, work));
  }

  async stop(): Promise<void> {
    await this.total.stop({ dropWaitingJobs: false });
    await Promise.all(this.sites.limiters().map(({ limiter }) => limiter.stop({ dropWaitingJobs: false })));
  }
}
