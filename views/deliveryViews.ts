import type { Message } from '../src/slack/notifier/poster';
import { AUTH_ERRORS } from '../src/slack/notifier/slackErrors';
import type { UndeliveredNotice, UndeliveredRecipient } from '../src/slack/notifier/undelivered';
import { plural } from '../src/text';
import { escapeText, section, slackDate } from './blocks';

/** What could not be delivered, and what a person can do about it. */

const where = (r: UndeliveredRecipient) =>
  r.conversation === null
    ? escapeText(r.recipient)
    : /^[UW]/.test(r.conversation)
      ? `<@${r.conversation}>`
      : `<#${r.conversation}>`;

/** One sentence per recipient: where, Slack's answer, and the fix. */
export function failureLine(r: UndeliveredRecipient, botUser: string | null): string {
  const bot = botUser ? `<@${botUser}>` : 'the bot';
  const answer = r.permanent
    ? `Slack answered \`${r.error}\``
    : `Slack kept failing (\`${escapeText(r.error)}\`) for ${plural(r.attempts, 'attempt')}`;
  return `${where(r)}: ${answer}. ${fixFor(r, bot)}`;
}

function fixFor(r: UndeliveredRecipient, bot: string): string {
  switch (r.error) {
    case 'not_in_channel':
      return `Invite the bot: type \`/invite ${bot}\` in ${where(r)}.`;
    case 'channel_not_found':
      return `The channel is gone or private without the bot: invite it with \`/invite ${bot}\`, or unsubscribe the channel with \`/accounts-admin unsubscribe\`.`;
    case 'is_archived':
    case 'channel_is_archived':
      return 'The channel is archived: unarchive it, or choose another channel with `/accounts-admin`.';
    case 'user_not_found':
    case 'user_disabled':
    case 'user_not_visible':
      return 'The person has left the workspace or cannot be messaged: nothing more will be sent to them.';
    case 'missing_scope':
      return 'The app lacks a permission: reinstall it from manifest.yml so it gets every scope listed there.';
    default:
      if (AUTH_ERRORS.has(r.error)) return 'The bot token no longer works: set a valid SLACK_BOT_TOKEN.';
      return r.permanent
        ? 'Check the channel or person in Slack.'
        : 'Slack or the network was failing: it was not sent, so check what happened in `/migration-status`.';
  }
}

/** The one DM about an event some of whose recipients never got it. */
export function undeliveredMessage(notice: UndeliveredNotice, botUser: string | null): Message {
  const lines = notice.failures.map((r) => `• ${failureLine(r, botUser)}`);
  const text = `I could not deliver ${notice.what} to ${plural(notice.failures.length, 'recipient')}.`;
  return { text, blocks: [section(escapeText(text)), section(lines.join('\n').slice(0, 2900))] };
}

/** Lines for App Home and /migration-status: each undeliverable event, when, and to whom it did not go. */
export function undeliveredLines(notices: (UndeliveredNotice & { at: Date })[], botUser: string | null): string[] {
  return notices.map((n) =>
    `:warning: ${escapeText(n.what)} ${slackDate(n.at)} did not reach ${n.failures.map((r) => failureLine(r, botUser)).join(' ')}`.slice(
      0,
      2900,
    ),
  );
}
