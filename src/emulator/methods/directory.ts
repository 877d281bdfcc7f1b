import { SlackApiError } from '../errors';
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
  if (directory.user(user) === undefined) throw new SlackApiError('user_not_found');
  const { channel, alreadyOpen } = directory.openDm(user);
  return { ...(alreadyOpen ? { no_op: true, already_open: true } : {}), channel: { id: channel.id } };
};

export const directoryMethods: Record<string, ApiMethod> = {
  'auth.test': { handle: authTest },
  'users.info': { handle: usersInfo },
  'conversations.open': { handle: conversationsOpen },
};
