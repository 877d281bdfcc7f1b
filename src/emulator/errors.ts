import type { JsonObject } from './json';

/**
 * A refused Web API call, named as Slack names it. Slack answers these with HTTP 200 and `{ ok: false, error }`,
 * plus `response_metadata.messages` (each prefixed `[ERROR]`) when it says more about what was wrong.
 */
export class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly messages: readonly string[] = [],
    readonly extra: JsonObject = {},
  ) {
    super(messages.length > 0 ? `${error}: ${messages.join('; ')}` : error);
    this.name = 'SlackApiError';
  }

  toBody(): JsonObject {
    const metadata =
      this.messages.length > 0 ? { response_metadata: { messages: this.messages.map((m) => `[ERROR] ${m}`) } } : {};
    return { ok: false, error: this.error, ...this.extra, ...metadata };
  }
}

/** Slack's answer to malformed or missing arguments, pointing at the argument the way its schema errors do. */
export function invalidArgument(name: string, message: string): SlackApiError {
  return new SlackApiError('invalid_arguments', [`${message} [json-pointer:/${name}]`]);
}
