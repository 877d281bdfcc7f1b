import type { QueryFilter } from 'mongoose';
import { newCorrelationId, type OperationContext } from '../src/accounts/context';
import { ensureBotCanPost } from '../src/slack/channelAccess';
import { requireRole, type SlashCommandModule } from '../src/slack/handle';
import { grantRole, ROLES, type Role, revokeRole, SlackRole, type SlackRoleDoc } from '../src/slack/roles';
import { channelsFor, subscribe, unsubscribe } from '../src/slack/subscriptions';
import { isSiteId } from './words';

/**
 * `/accounts-admin`: who may do what with the bot (roles of Slack users) and which channels hear about a site.
 * Org-admins only; every change is audited with the Slack user who made it.
 */

const USER = /^[UW][A-Z0-9]{2,}$/;
const CHANNEL = /^[CGD][A-Z0-9]{2,}$/;
const isRole = (word: string): word is Role => (ROLES as readonly string[]).includes(word);

/** What each sub-command needs after its name; checked in the ack, so mistakes are answered at once. */
const SHAPES: Record<string, (words: string[]) => string | null> = {
  grant: roleWords,
  revoke: roleWords,
  list: ([role, site, ...rest]) => {
    if (rest.length) return 'After list, give at most a role and a site.';
    if (role !== undefined && !isRole(role)) return `"${role}" is not a role: ${ROLES.join(', ')}.`;
    return site === undefined || isSiteId(site) ? null : `"${site}" is not a site id such as acme.`;
  },
  subscribe: channelWords,
  unsubscribe: channelWords,
  approvers: channelWords,
};

function roleWords([user = '', role = '', site, ...rest]: string[]): string | null {
  if (!USER.test(user)) return `Mention the person with @, not "${user}".`;
  if (!isRole(role)) return `"${role}" is not a role: ${ROLES.join(', ')}.`;
  if (rest.length) return 'Give the person, the role and at most one site.';
  return site === undefined || isSiteId(site) ? null : `"${site}" is not a site id such as acme.`;
}

function channelWords([channel = '', site = '', ...rest]: string[]): string | null {
  if (channel !== 'here' && !CHANNEL.test(channel)) return `Name the channel with #, or say here, not "${channel}".`;
  if (rest.length || !isSiteId(site)) return 'Give the channel and then one site, such as acme.';
  return null;
}

export const accountsAdmin: SlashCommandModule = {
  name: '/accounts-admin',
  usage:
    'grant|revoke @person <role> [site] · list [role] [site] · subscribe|unsubscribe #channel <site> · approvers #channel <site>',
  description: "Grant or revoke the bot's roles, list who holds them, and choose the channels that hear about a site.",
  help: [
    `Roles: ${ROLES.join(', ')}. site-admin is per site; approver and viewer may name a site (otherwise all); org-admin never does.`,
    'Examples: `/accounts-admin grant @sam site-admin acme`, `/accounts-admin list approver`,',
    '`/accounts-admin subscribe #support-team acme` (job completions on acme), `/accounts-admin approvers #approvals acme-eu`',
    "(the one channel that gets acme-eu's imported groups to review). `here` stands for the channel you type in.",
  ].join(' '),
  check([verb = '', ...words]) {
    const shape = SHAPES[verb];
    return shape ? shape(words) : `"${verb}" is not something /accounts-admin does.`;
  },
  async run({ actor, args: [verb = '', ...words], payload, client, reply }) {
    await requireRole(actor, { role: 'org-admin' }, 'administer the bot');
    const context: OperationContext = { actor, correlationId: newCorrelationId() };
    const channel = (word = '') => (word === 'here' ? payload.channel_id : word);
    const [first = '', second = '', third] = words;
    if (verb === 'grant' || verb === 'revoke') {
      const role = second as Role;
      const site = third ?? null;
      await (verb === 'grant' ? grantRole : revokeRole)(first, role, site, context);
      const scope = site ? ` on ${site}` : '';
      await reply(
        verb === 'grant' ? `<@${first}> now has ${role}${scope}.` : `<@${first}> no longer has ${role}${scope}.`,
      );
    } else if (verb === 'list') {
      await reply(await listHolders(first || undefined, second || undefined));
    } else if (verb === 'subscribe') {
      await ensureBotCanPost(client, channel(first));
      await subscribe(channel(first), second, 'notifications', context);
      await reply(`<#${channel(first)}> now hears when jobs on ${second} end.`);
    } else if (verb === 'unsubscribe') {
      await unsubscribe(channel(first), second, 'notifications', context);
      await reply(`<#${channel(first)}> no longer hears about jobs on ${second}.`);
    } else {
      await ensureBotCanPost(client, channel(first));
      await reply(await setApproversChannel(channel(first), second, context));
    }
  },
};

/** Everyone holding a role (or one role, or one role on one site), one line per person. */
async function listHolders(role: string | undefined, site: string | undefined): Promise<string> {
  const filter: QueryFilter<SlackRoleDoc> = {
    ...(role ? { role: role as Role } : {}),
    ...(site ? { $or: [{ site }, { site: null }] } : {}),
  };
  const held = await SlackRole.find(filter).sort({ _id: 1 }).lean();
  if (held.length === 0) return `Nobody holds ${role ?? 'a role'}${site ? ` on ${site}` : ''}.`;
  return held.map((r) => `<@${r.user}>: ${r.role}${r.site ? ` on ${r.site}` : ''}`).join('\n');
}

/**
 * One approvers' channel per site: the review cards of its imported groups go there. Setting another channel
 * moves them (cards already posted stay where they are).
 */
async function setApproversChannel(channel: string, site: string, context: OperationContext): Promise<string> {
  const current = await channelsFor(site, 'approvals');
  if (!current.includes(channel)) await subscribe(channel, site, 'approvals', context);
  for (const other of current) if (other !== channel) await unsubscribe(other, site, 'approvals', context);
  return `<#${channel}> is now the approvers' channel of ${site}: imported groups to review appear there.`;
}
