import type { RecipientFailure } from '../../outbox';

/**
 * Slack's answers that retrying cannot change: the conversation or person is out of reach, or the app lacks a
 * scope or a valid token, until somebody acts. Everything else (5xx, timeouts, internal_error, ratelimited past
 * the WebClient's retries, a full queue) may pass and is retried.
 */
const PERMANENT = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'channel_is_archived',
  'user_not_found',
  'user_disabled',
  'user_not_visible',
  'account_inactive',
  'cannot_dm_bot',
  'missing_scope',
  'not_allowed_token_type',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'no_permission',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'team_access_not_granted',
  'ekm_access_denied',
]);

/** Answers to a DM that mean the person cannot be reached at all (left, deactivated, hidden). */
export const PERSON_GONE = new Set([
  'user_not_found',
  'user_disabled',
  'user_not_visible',
  'is_archived',
  'channel_not_found',
]);

/** The token cannot call Slack at all: nobody can be told through Slack, only the logs. */
export const AUTH_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
]);

/** Slack's error name from @slack/web-api's platform error (code slack_webapi_platform_error, data.error). */
export function slackErrorName(error: unknown): string | undefined {
  const e = error as { code?: unknown; data?: { error?: unknown } } | null;
  return e?.code === 'slack_webapi_platform_error' && typeof e.data?.error === 'string' ? e.data.error : undefined;
}

export function classifyFailure(error: unknown): RecipientFailure {
  const name = slackErrorName(error);
  if (name !== undefined) return { error: name, permanent: PERMANENT.has(name) };
  return { error: error instanceof Error ? error.message : String(error), permanent: false };
}
