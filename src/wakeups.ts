import { EventEmitter } from 'node:events';

/**
 * In-process wake-ups: a job was queued, an outbox event was published. The worker and the notifier of this
 * process then look at once instead of at their next poll; their polls stay, for what other processes write.
 */
export type Wakeup = 'job-queued' | 'event-published';

const signals = new EventEmitter();
signals.setMaxListeners(0); // one listener per worker or notifier, and tests start many

export function wake(what: Wakeup): void {
  signals.emit(what);
}

/** Calls `listener` on each wake-up of that kind; returns the function that stops it. */
export function onWake(what: Wakeup, listener: () => void): () => void {
  signals.on(what, listener);
  return () => signals.off(what, listener);
}
