/** Highest resident set size and heap in use seen while sampling, in bytes. */
export interface MemoryPeak {
  rss: number;
  heapUsed: number;
}

/**
 * Samples process.memoryUsage() every few milliseconds. A sample lands only between event-loop turns, so a
 * peak inside one long synchronous stretch can be missed; at 25 ms that is rare for I/O-bound runs.
 */
export class MemorySampler {
  readonly peak: MemoryPeak = { rss: 0, heapUsed: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 25) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): MemoryPeak {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }

  private sample(): void {
    const { rss, heapUsed } = process.memoryUsage();
    this.peak.rss = Math.max(this.peak.rss, rss);
    this.peak.heapUsed = Math.max(this.peak.heapUsed, heapUsed);
  }
}

export const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
