import type { webApi } from '@slack/bolt';
import { botUserOf } from './botUser';
import { slackErrorName } from './notifier/slackErrors';

/**
 * After a channel is subscribed to a site or made its approvers' channel: whether the bot can post there, or
 * every message to it would die. It joins a public channel it is not in; a private one it must be invited to, and
 * an archived one takes no messages. Returns null when the bot can post, otherwise the sentence that says what to
 * do (`archivedFix` finishes the one for an archived channel: what to type instead).
 *
 * This runs after the ack, once the subscription is kept, and not before the write: it is up to three Slack
 * calls (auth.test, conversations.info, conversations.join), each retried by the WebClient for up to about a
 * minute on 429s and 5xx, and the ack has 3 seconds, two of them KEEP_MS's. Nothing is lost by checking later:
 * the check is only true when made (the bot can be removed from a channel any time after), and a channel the bot
 * cannot post in is handled where messages are sent — a dead delivery whose requester is told the fix, and review
 * cards that go by DM to whoever may approve.
 */
export async function whyBotCannotPost(
  client: webApi.WebClient,
  channel: string,
  archivedFix: string,
): Promise<string | null> {
  const invite = async () => {
    const id = await botUserOf(client);
    return `type \`/invite ${id ? `<@${id}>` : 'the bot'}\` in that channel`;
  };
  const archived = `<#${channel}> is archived, so nobody reads what I post there: ${archivedFix}.`;
  let info: Awaited<ReturnType<webApi.WebClient['conversations']['info']>>['channel'];
  try {
    info = (await client.conversations.info({ channel })).channel;
  } catch (error) {
    const slack = slackErrorName(error);
    if (slack === 'channel_not_found') {
      return `I cannot see <#${channel}>: it is private and I am not in it, so nothing I post there arrives. To fix it, ${await invite()}.`;
    }
    return `I could not check that I can post in <#${channel}> (Slack answered ${slack ?? (error as Error).message}); if I am not in it, ${await invite()}.`;
  }
  if (info?.is_archived) return archived;
  if (!info || info.is_im || info.is_member) return null;
  if (info.is_private) return `I am not in <#${channel}>, so nothing I post there arrives: ${await invite()}.`;
  try {
    await client.conversations.join({ channel });
    return null;
  } catch (error) {
    return `I could not join <#${channel}> (Slack answered ${slackErrorName(error) ?? (error as Error).message}), so nothing I post there arrives: ${await invite()}.`;
  }
}
