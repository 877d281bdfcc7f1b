import type { EmulatorContext } from '../context';
import { SlackApiError } from '../errors';
import type { JsonObject } from '../json';
import type { EmulatedChannel } from '../state/directory';
import type { StoredMessage } from '../state/messages';
import { readMessageContent } from '../validation';
import { slackMessage } from '../wire';
import { requireString, stringArg } from './args';
import type { ApiHandler, ApiMethod } from './types';

const postMessage: ApiHandler = (args, ctx) => {
  const channel = postable(conversation(args, ctx), ctx);
  const content = readMessageContent(args);
  const message = ctx.workspace.messages.post(channel.id, ctx.config.bot.userId, content, {
    thread_ts: stringArg(args, 'thread_ts'),
  });
  return { channel: channel.id, ts: message.ts, message: slackMessage(message, ctx.config) };
};

const postEphemeral: ApiHandler = (args, ctx) => {
  const channel = conversation(args, ctx);
  const user = requireString(args, 'user', 'user_not_found');
  if (ctx.workspace.directory.user(user) === undefined) throw new SlackApiError('user_not_found');
  const content = readMessageContent(args);
  const message = ctx.workspace.messages.post(channel.id, ctx.config.bot.userId, content, {
    visibleTo: user,
    thread_ts: stringArg(args, 'thread_ts'),
  });
  return { message_ts: message.ts };
};

const update: ApiHandler = (args, ctx) => {
  const message = appMessage(args, ctx, 'cant_update_message');
  const channel = ctx.workspace.directory.channel(message.channel);
  if (channel?.is_archived) throw new SlackApiError('is_archived');
  const edited = ctx.workspace.messages.edit(message, readMessageContent(args));
  return { channel: edited.channel, ts: edited.ts, text: edited.text, message: slackMessage(edited, ctx.config) };
};

const remove: ApiHandler = (args, ctx) => {
  const message = appMessage(args, ctx, 'cant_delete_message');
  ctx.workspace.messages.remove(message);
  return { channel: message.channel, ts: message.ts };
};

export const chatMethods: Record<string, ApiMethod> = {
  'chat.postMessage': { handle: postMessage, rateLimitKey: postingChannel },
  'chat.postEphemeral': { handle: postEphemeral },
  'chat.update': { handle: update },
  'chat.delete': { handle: remove },
};

/** A channel id, a `#name`, or a user id, which chat.postMessage takes to mean the DM with that user. */
function conversation(args: JsonObject, ctx: EmulatorContext): EmulatedChannel {
  const reference = requireString(args, 'channel', 'channel_not_found');
  const { directory } = ctx.workspace;
  const channel = directory.user(reference) ? directory.openDm(reference).channel : directory.find(reference);
  if (channel === undefined) throw new SlackApiError('channel_not_found');
  return channel;
}

/**
 * Where the bot may post, as Slack decides for a bot token without chat:write.public: an archived conversation
 * (a DM with a deactivated person too) answers is_archived; a public channel the bot is not in, not_in_channel;
 * a private one it is not in does not exist for it, channel_not_found.
 */
export function postable(channel: EmulatedChannel, ctx: EmulatorContext): EmulatedChannel {
  const person = channel.user === undefined ? undefined : ctx.workspace.directory.user(channel.user);
  if (channel.is_archived || person?.deleted) throw new SlackApiError('is_archived');
  if (!channel.is_member) throw new SlackApiError(channel.is_private ? 'channel_not_found' : 'not_in_channel');
  return channel;
}

/** A conversation counts once however it is named: a DM by its user, whether the post names the user or the DM. */
function postingChannel(args: JsonObject, ctx: EmulatorContext): string {
  const reference = stringArg(args, 'channel') ?? '';
  const channel = ctx.workspace.directory.find(reference);
  return channel?.user ?? channel?.id ?? reference;
}

/** The message chat.update and chat.delete act on; an app may only change its own messages. */
function appMessage(args: JsonObject, ctx: EmulatorContext, notOwnError: string): StoredMessage {
  const channel = requireString(args, 'channel', 'channel_not_found');
  if (ctx.workspace.directory.channel(channel) === undefined) throw new SlackApiError('channel_not_found');
  const message = ctx.workspace.messages.find(channel, requireString(args, 'ts', 'message_not_found'));
  if (message === undefined) throw new SlackApiError('message_not_found');
  if (message.user !== ctx.config.bot.userId) throw new SlackApiError(notOwnError);
  return message;
}
