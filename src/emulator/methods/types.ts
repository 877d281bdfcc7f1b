import type { EmulatorContext } from '../context';
import type { JsonObject } from '../json';

/** A Web API method: returns the success body (without `ok`), or throws a SlackApiError. */
export type ApiHandler = (args: JsonObject, ctx: EmulatorContext) => JsonObject;

export interface ApiMethod {
  handle: ApiHandler;
  /** For a method Slack rate-limits per conversation (chat.postMessage): the conversation the call counts against. */
  rateLimitKey?: (args: JsonObject, ctx: EmulatorContext) => string;
  /** The token it takes: the bot's (default), or an app-level token (apps.connections.open). */
  token?: 'bot' | 'app';
}
