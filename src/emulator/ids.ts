import { randomBytes } from 'node:crypto';

/** Hands out Slack-looking identifiers, unique within one emulator and increasing where Slack's increase. */
export class IdSource {
  private readonly counters = new Map<string, number>();
  private lastTsMicros = 0;

  /** `C…`, `D…`, `V…`, `F…`: Slack's prefix for the kind of object, then a counter, so ids sort by creation. */
  next(prefix: string): string {
    return `${prefix}${this.count(prefix).toString(36).toUpperCase().padStart(9, '0')}`;
  }

  /** A message timestamp such as "1700000000.000100": wall-clock microseconds, strictly increasing. */
  ts(nowMs: number): string {
    const micros = Math.max(Math.floor(nowMs) * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  /** In the format Slack documents for trigger ids: "12345.98765.abcd2358fdea". */
  triggerId(nowMs: number): string {
    return `${Math.floor(nowMs / 1000)}.${this.count('trigger')}.${randomHex(12)}`;
  }

  /** A view hash such as "1569362015.55b5e41b"; a new one each time a view changes. */
  viewHash(nowMs: number): string {
    return `${Math.floor(nowMs / 1000)}.${randomHex(8)}`;
  }

  /** Like the short block_id and action_id Slack generates for blocks and elements that come without one. */
  blockId(): string {
    return randomBytes(4).toString('base64url').slice(0, 5);
  }

  /** An unguessable token for the URLs the emulator hands out (response URLs). */
  secret(): string {
    return randomHex(24);
  }

  private count(kind: string): number {
    const count = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, count);
    return count;
  }
}

function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}
