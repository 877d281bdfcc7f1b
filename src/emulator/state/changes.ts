import { EventEmitter } from 'node:events';
import type { FileSnapshot } from './files';
import type { StoredMessage } from './messages';
import type { SlackView } from './views';

/** Every change to what users would see, so tests and the sandbox page can react instead of polling. */
export type StateChange =
  | { type: 'message_posted' | 'message_updated' | 'message_deleted'; message: StoredMessage }
  | { type: 'view_opened' | 'view_updated' | 'view_closed' | 'home_published'; user: string; view: SlackView }
  | { type: 'view_errors'; user: string; view: SlackView; errors: Record<string, string> }
  | { type: 'file_shared'; file: FileSnapshot };

export type ChangeListener = (change: StateChange) => void;

/** Changes carry snapshots taken when they happened, so a listener can keep them. */
export class ChangeFeed {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Any number of tests or page connections may wait at once.
    this.emitter.setMaxListeners(0);
  }

  emit(change: StateChange): void {
    this.emitter.emit('change', change);
  }

  /** Returns the function that stops listening. */
  on(listener: ChangeListener): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  /** Resolves with the first truthy value `probe` returns, probing now and after every change. */
  waitFor<T>(probe: () => T | undefined | null | false, timeoutMs: number, description: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        stop();
        settle();
      };
      const check = () => {
        try {
          const value = probe();
          if (value) finish(() => resolve(value));
        } catch (error) {
          finish(() => reject(error));
        }
      };
      const stop = this.on(check);
      const timer = setTimeout(
        () => finish(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`))),
        timeoutMs,
      );
      check();
    });
  }
}
