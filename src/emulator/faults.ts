import type { JsonObject } from './json';

/** A failure a test makes Slack answer: the next `times` calls of a method (whose arguments match) fail. */
export interface Fault {
  method: string;
  /** Slack's error name, such as internal_error, fatal_error or not_in_channel. */
  error: string;
  /** How many calls fail; Infinity for every one until cleared. */
  times: number;
  /** HTTP status: 200 (Slack's `{ ok: false }`, the default) or a 5xx, which WebClient itself retries. */
  status?: number;
  /** Only calls whose arguments match, e.g. `(args) => args.channel === 'C0…'`. */
  matches?: (args: JsonObject) => boolean;
}

/** Injected failures, consumed in the order they were added. */
export class Faults {
  private readonly pending: Fault[] = [];

  inject(fault: Fault): void {
    this.pending.push({ ...fault });
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** The fault this call meets, if any (and one fewer left of it). */
  take(method: string, args: JsonObject): Fault | undefined {
    const index = this.pending.findIndex((f) => f.method === method && (f.matches?.(args) ?? true));
    const fault = this.pending[index];
    if (fault === undefined) return undefined;
    fault.times -= 1;
    if (fault.times <= 0) this.pending.splice(index, 1);
    return fault;
  }
}
