import type { EmulatorContext } from '../context';
import { SlackApiError } from '../errors';
import type { JsonObject } from '../json';
import type { EmulatedChannel } from '../state/directory';
import { slackUser } from '../wire';
import { requireString, stringArg } from './args';
import type { ApiHandler, ApiMethod } from './types';

/** What Bolt asks for at start-up to learn its bot user and bot ids. */
const authTest: ApiHandler = (_args, ctx) => {
  const { team, bot } = ctx.config;
  return {
    url: `https://${team.domain}.slack.com/`,
    team: team.name,
    user: bot.name,
    team_id: team.id,
    user_id: bot.userId,
    bot_id: bot.botId,
    is_enterprise_install: false,
  };
};

const usersInfo: ApiHandler = (args, ctx) => {
  const user = ctx.workspace.directory.user(requireString(args, 'user', 'user_not_found'));
  if (user === undefined) throw new SlackApiError('user_not_found');
  return { user: slackUser(user, ctx.config, new Date(ctx.now())) };
};

/** Opens (or finds) the DM with one user. Group DMs are left out: the bot only writes to people one to one. */
const conversationsOpen: ApiHandler = (args, ctx) => {
  const { directory } = ctx.workspace;
  const channelId = stringArg(args, 'channel');
  if (channelId !== undefined) {
    if (directory.channel(channelId) === undefined) throw new SlackApiError('channel_not_found');
    return { no_op: true, already_open: true, channel: { id: channelId } };
  }
  const users = (stringArg(args, 'users') ?? '').split(',').filter((id) => id.trim() !== '');
  const [user, ...others] = users.map((id) => id.trim());
  if (user === undefined) throw new SlackApiError('users_list_not_supplied');
  if (others.length > 0) throw new SlackApiError('not_supported', ['the emulator opens DMs with one user only']);
  const person = directory.user(user);
  if (person === undefined) throw new SlackApiError('user_not_found');
  if (person.deleted) throw new SlackApiError('user_disabled');
  if (person.is_bot) throw new SlackApiError('cannot_dm_bot');
  const { channel, alreadyOpen } = directory.openDm(user);
  return { ...(alreadyOpen ? { no_op: true, already_open: true } : {}), channel: { id: channel.id } };
};

/** A conversation as conversations.info describes it; a private one the bot is not in does not exist for it. */
function visibleChannel(args: JsonObject, ctx: EmulatorContext): EmulatedChannel {
  const channel = ctx.workspace.directory.channel(requireString(args, 'channel', 'channel_not_found'));
  if (channel === undefined || (channel.is_private && !channel.is_member)) throw new SlackApiError('channel_not_found');
  return channel;
}

const conversationInfo = (channel: EmulatedChannel, ctx: EmulatorContext): JsonObject => ({
  id: channel.id,
  ...(channel.is_im
    ? { is_im: true, user: channel.user ?? '', is_open: true }
    : {
        name: channel.name,
        is_channel: !channel.is_private,
        is_group: false,
        is_im: false,
        is_mpim: false,
        is_private: channel.is_private,
        is_archived: channel.is_archived,
        is_general: channel.name === 'general',
        is_member: channel.is_member,
        context_team_id: ctx.config.team.id,
      }),
  created: 1_700_000_000,
});

const conversationsInfo: ApiHandler = (args, ctx) => ({ channel: conversationInfo(visibleChannel(args, ctx), ctx) });

/** The bot joins a public channel; Slack refuses archived and private ones (the bot must be invited there). */
const conversationsJoin: ApiHandler = (args, ctx) => {
  const channel = visibleChannel(args, ctx);
  if (channel.is_im || channel.is_private) throw new SlackApiError('method_not_supported_for_channel_type');
  if (channel.is_archived) throw new SlackApiError('is_archived');
  const already = channel.is_member;
  ctx.workspace.directory.join(channel.id);
  return {
    channel: conversationInfo({ ...channel, is_member: true }, ctx),
    ...(already ? { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } } : {}),
  };
};

export const directoryMethods: Record<string, ApiMethod> = {
  'conversations.info': { handle: conversationsInfo },
  'conversations.join': { handle: conversationsJoin },
  'auth.test': { handle: authTest },
  'users.info': { handle: usersInfo },
  'conversations.open': { handle: conversationsOpen },
};
