import type { webApi } from '@slack/bolt';
import { conflict } from '../accounts/errors';
import { botUserOf } from './botUser';
import { slackErrorName } from './notifier/slackErrors';

/**
 * Before a channel is subscribed to a site or made its approvers' channel: the bot must be able to post there,
 * or every message to it would die. It joins a public channel it is not in; a private one it must be invited to,
 * and an archived one cannot take messages at all. Returns normally when the bot can post; otherwise throws
 * the one sentence that says what to do.
 */
export async function ensureBotCanPost(client: webApi.WebClient, channel: string): Promise<void> {
  const bot = async () => {
    const id = await botUserOf(client);
    return id ? `<@${id}>` : 'the bot';
  };
  let info: Awaited<ReturnType<webApi.WebClient['conversations']['info']>>['channel'];
  try {
    info = (await client.conversations.info({ channel })).channel;
  } catch (error) {
    if (slackErrorName(error) !== 'channel_not_found') throw error;
    throw conflict(
      `I cannot see <#${channel}>: it is private and I am not in it. Type \`/invite ${await bot()}\` in that channel, then try again.`,
    );
  }
  if (!info || info.is_im || info.is_member) {
    if (info?.is_archived) throw conflict(`<#${channel}> is archived: choose a channel people still read.`);
    return;
  }
  if (info.is_archived) throw conflict(`<#${channel}> is archived: choose a channel people still read.`);
  if (info.is_private) {
    throw conflict(`I am not in <#${channel}>: type \`/invite ${await bot()}\` in that channel, then try again.`);
  }
  try {
    await client.conversations.join({ channel });
  } catch (error) {
    throw conflict(
      `I could not join <#${channel}> (Slack answered ${slackErrorName(error) ?? (error as Error).message}): type \`/invite ${await bot()}\` in that channel, then try again.`,
    );
  }
}
