import type { CallLog } from './callLog';
import type { EmulatorContext } from './context';
import { SlackApiError } from './errors';
import type { EmulatorRequest, Reply, Route } from './http';
import { isJsonObject, type JsonObject } from './json';
import { API_METHODS } from './methods';
import { RateLimiter } from './rateLimiter';

/** Arguments that carry JSON: form-encoded clients (such as @slack/web-api) send them as JSON strings. */
const JSON_FIELDS = ['blocks', 'attachments', 'view', 'files', 'metadata'];

/** `POST /api/<method>`, answered as Slack answers: always HTTP 200 with `ok`, except 429 when rate-limited. */
export function webApiRoute(ctx: EmulatorContext, calls: CallLog): Route {
  const limiter = ctx.config.rateLimit === false ? undefined : new RateLimiter(ctx.config.rateLimit);
  return {
    method: 'POST',
    path: /^\/api\/([\w.]+)$/,
    handle(request) {
      const method = request.params[0] ?? '';
      let args: JsonObject = {};
      let token: string | undefined;
      let reply: Reply;
      try {
        ({ args, token } = readArguments(request));
        reply = answer(method, args, token, ctx, limiter);
      } catch (error) {
        reply = { status: 200, body: asSlackError(error).toBody() };
      }
      calls.record({ kind: 'api', method, args, token, status: reply.status, response: reply.body, at: new Date() });
      return reply;
    },
  };
}

function answer(
  method: string,
  args: JsonObject,
  token: string | undefined,
  ctx: EmulatorContext,
  limiter: RateLimiter | undefined,
): Reply {
  const api = API_METHODS.get(method);
  if (api === undefined) throw new SlackApiError('unknown_method', [], { req_method: method });
  if (token === undefined) throw new SlackApiError('not_authed');
  // Slack tells a known token of the wrong kind (a bot token for apps.connections.open) from an unknown one.
  const [accepted, other] =
    api.token === 'app' ? [ctx.config.appTokens, ctx.config.tokens] : [ctx.config.tokens, ctx.config.appTokens];
  if (other.includes(token)) throw new SlackApiError('not_allowed_token_type');
  if (!accepted.includes(token)) throw new SlackApiError('invalid_auth');
  const fault = ctx.faults.take(method, args);
  if (fault !== undefined && (fault.status ?? 200) !== 200) {
    return { status: fault.status ?? 500, body: { ok: false, error: fault.error } };
  }
  if (fault !== undefined) throw new SlackApiError(fault.error);
  const key = api.rateLimitKey?.(args, ctx);
  const retryAfter = key === undefined ? undefined : limiter?.take(`${method} ${key}`, ctx.now());
  if (retryAfter !== undefined) {
    return { status: 429, headers: { 'Retry-After': String(retryAfter) }, body: { ok: false, error: 'ratelimited' } };
  }
  return { status: 200, body: { ok: true, ...api.handle(args, ctx) } };
}

/** Form fields or a JSON body (plus any query string), and the token from the Authorization header or a field. */
function readArguments(request: EmulatorRequest): { args: JsonObject; token: string | undefined } {
  const isJson = request.headers['content-type']?.startsWith('application/json') ?? false;
  const fields = isJson ? parseJson(request.body) : Object.fromEntries(new URLSearchParams(request.body.toString()));
  const { token: field, ...args } = { ...Object.fromEntries(request.url.searchParams), ...fields };
  for (const name of JSON_FIELDS) {
    if (typeof args[name] === 'string') args[name] = parseJsonOr(args[name]);
  }
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  return { args, token: bearer ?? (typeof field === 'string' && field !== '' ? field : undefined) };
}

function parseJson(body: Buffer): JsonObject {
  const parsed = parseJsonOr(body.toString());
  if (!isJsonObject(parsed)) throw new SlackApiError('invalid_json');
  return parsed;
}

/** The parsed value, or the text itself when it is not JSON, for the method to refuse with its own error name. */
function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A bug in the emulator still answers in Slack's shape, so the app fails fast instead of retrying a 500. */
function asSlackError(error: unknown): SlackApiError {
  return error instanceof SlackApiError ? error : new SlackApiError('internal_error', [`emulator: ${String(error)}`]);
}
