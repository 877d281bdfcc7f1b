import { SlackApiError } from '../errors';
import type { JsonObject } from '../json';

/** A string argument. Form fields are strings already; JSON bodies may carry numbers (a `ts`, a `length`). */
export function stringArg(args: JsonObject, name: string): string | undefined {
  const value = args[name];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A required string argument; Slack names the error after what is missing (`channel_not_found`, `user_not_found`). */
export function requireString(args: JsonObject, name: string, error: string): string {
  const value = stringArg(args, name);
  if (value === undefined) throw new SlackApiError(error);
  return value;
}

/** A boolean argument: `true` in JSON, "true" or "1" in a form. */
export function flagArg(args: JsonObject, name: string): boolean {
  const value = args[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}
