import { SlackApiError } from './errors';
import type { IdSource } from './ids';

/** Slack lets an app exchange a trigger id for a modal within 3 seconds of the user's action. */
export const TRIGGER_TTL_MS = 3000;

/**
 * Trigger ids the emulator handed out (with a slash command or an interaction) and who they belong to.
 * Slack documents `exchanged_trigger_id` ("already exchanged in a previous call"), so each one opens one view.
 */
export class TriggerRegistry {
  private readonly triggers = new Map<string, { user: string; issuedAt: number; exchanged: boolean }>();

  constructor(
    private readonly ids: IdSource,
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  issue(user: string): string {
    const triggerId = this.ids.triggerId(this.now());
    this.triggers.set(triggerId, { user, issuedAt: this.now(), exchanged: false });
    return triggerId;
  }

  /** The user whose action issued the trigger; refuses unknown, used and expired triggers as Slack does. */
  exchange(triggerId: string): string {
    const trigger = this.triggers.get(triggerId);
    if (trigger === undefined) throw new SlackApiError('invalid_trigger_id');
    if (trigger.exchanged) throw new SlackApiError('exchanged_trigger_id');
    if (this.now() - trigger.issuedAt > this.ttlMs) throw new SlackApiError('expired_trigger_id');
    trigger.exchanged = true;
    return trigger.user;
  }
}
