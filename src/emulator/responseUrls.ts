import type { CallLog } from './callLog';
import type { EmulatorContext } from './context';
import { SlackApiError } from './errors';
import type { Route } from './http';
import type { IdSource } from './ids';
import { isJsonObject, type JsonObject } from './json';
import { flagArg, stringArg } from './methods/args';
import { readMessageContent } from './validation';

/** Where a response URL's messages go: the channel and user of the interaction, and the message acted on, if any. */
export interface ResponseTarget {
  channel: string;
  user: string;
  original?: { ts: string; ephemeral: boolean };
}

/** Slack allows five responses within 30 minutes of the interaction. */
const MAX_USES = 5;
const LIFETIME_MS = 30 * 60 * 1000;

/** The response URLs handed out with slash commands and message interactions. */
export class ResponseUrls {
  private readonly urls = new Map<string, { target: ResponseTarget; issuedAt: number; uses: number }>();

  constructor(
    private readonly ids: IdSource,
    private readonly now: () => number,
    private readonly baseUrl: string,
  ) {}

  issue(target: ResponseTarget): string {
    const token = this.ids.secret();
    this.urls.set(token, { target, issuedAt: this.now(), uses: 0 });
    return `${this.baseUrl}/response/${token}`;
  }

  redeem(token: string): ResponseTarget {
    const url = this.urls.get(token);
    if (url === undefined) throw new SlackApiError('invalid_url');
    if (this.now() - url.issuedAt > LIFETIME_MS) throw new SlackApiError('expired_url');
    if (url.uses >= MAX_USES) throw new SlackApiError('used_url');
    url.uses += 1;
    return url.target;
  }
}

/**
 * Shows a response the way Slack does: ephemeral to the user unless `response_type: 'in_channel'`;
 * `replace_original` and `delete_original` act on the message the user interacted with.
 * Also used for a slash command's ack body, which Slack treats as a response to the command.
 */
export function applyResponse(ctx: EmulatorContext, target: ResponseTarget, body: JsonObject): void {
  const { messages } = ctx.workspace;
  const { original } = target;
  const message =
    original === undefined
      ? undefined
      : original.ephemeral
        ? messages.findEphemeral(original.ts)
        : messages.find(target.channel, original.ts);
  if (flagArg(body, 'delete_original')) {
    if (message === undefined) throw new SlackApiError('message_not_found');
    messages.remove(message);
    return;
  }
  const content = readMessageContent(body);
  if (flagArg(body, 'replace_original') && message !== undefined) {
    messages.edit(message, content);
    return;
  }
  messages.post(target.channel, ctx.config.bot.userId, content, {
    visibleTo: body.response_type === 'in_channel' ? undefined : target.user,
    thread_ts: stringArg(body, 'thread_ts'),
  });
}

/** `POST /response/<token>` with a JSON message, as Bolt's `respond()` sends it. */
export function responseUrlRoute(ctx: EmulatorContext, calls: CallLog): Route {
  return {
    method: 'POST',
    path: /^\/response\/(\w+)$/,
    handle(request) {
      const body = jsonBody(request.body);
      let reply: { status: number; body: JsonObject };
      try {
        if (body === undefined) throw new SlackApiError('invalid_payload');
        applyResponse(ctx, ctx.responseUrls.redeem(request.params[0] ?? ''), body);
        reply = { status: 200, body: { ok: true } };
      } catch (error) {
        if (!(error instanceof SlackApiError)) throw error;
        const spent = ['invalid_url', 'expired_url', 'used_url'].includes(error.error);
        reply = { status: spent ? 404 : 400, body: error.toBody() };
      }
      const args = body ?? {};
      calls.record({
        kind: 'response_url',
        method: 'response_url',
        args,
        status: reply.status,
        response: reply.body,
        at: new Date(),
      });
      return reply;
    },
  };
}

function jsonBody(body: Buffer): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString());
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
