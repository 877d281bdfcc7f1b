import type { QueryFilter } from 'mongoose';
import { newCorrelationId, type OperationContext } from '../src/accounts/context';
import { DomainError } from '../src/accounts/errors';
import { requireConnectedSite } from '../src/atlassian/sync';
import { requestJob } from '../src/jobs/queue';
import { MAX_AUDIT_DAYS, sendAuditFile } from '../src/slack/auditFile';
import { whyBotCannotPost } from '../src/slack/channelAccess';
import { type CommandInput, type Parsed, requireRole, type SlashCommandModule } from '../src/slack/handle';
import { grantRole, ROLES, type Role, revokeRole, SlackRole, type SlackRoleDoc } from '../src/slack/roles';
import { channelsFor, subscribe, unsubscribe } from '../src/slack/subscriptions';
import { isSiteId, shown } from './words';

/**
 * `/accounts-admin`: who may do what with the bot (roles of Slack users) and which channels hear about a site.
 * Org-admins only; every change is audited with the Slack user who made it, kept before the ack and answered in
 * it (`change`); list and audit only read, after the ack (`run`).
 */

const USER = /^[UW][A-Z0-9]{2,}$/;
const CHANNEL = /^[CGD][A-Z0-9]{2,}$/;
const isRole = (word: string): word is Role => (ROLES as readonly string[]).includes(word);

/** What an org-admin asks for; `channel` may be `here`, the channel they type in. */
export type AdminRequest =
  | { verb: 'grant' | 'revoke'; user: string; role: Role; site: string | null }
  | { verb: 'list'; role: Role | null; site: string | null }
  | { verb: 'subscribe' | 'unsubscribe' | 'approvers'; channel: string; site: string }
  | { verb: 'audit'; site: string; days: number }
  | { verb: 'sync'; site: string };

const DEFAULT_AUDIT_DAYS = 30;

const notRole = (word: string) => ({ problem: `${shown(word)} is not a role: ${ROLES.join(', ')}.` });
const notSite = (word: string) => ({ problem: `${shown(word)} is not a site id such as acme.` });

/** What each sub-command needs after its name; read in the ack, so mistakes are answered at once. */
const SHAPES: Record<string, (words: string[]) => Parsed<AdminRequest>> = {
  grant: (words) => roleWords('grant', words),
  revoke: (words) => roleWords('revoke', words),
  list: ([role, site, ...rest]) => {
    if (rest.length) return { problem: 'After list, give at most a role and a site.' };
    if (role !== undefined && !isRole(role)) return notRole(role);
    if (site !== undefined && !isSiteId(site)) return notSite(site);
    return { request: { verb: 'list', role: role ?? null, site: site ?? null } };
  },
  subscribe: (words) => channelWords('subscribe', words),
  unsubscribe: (words) => channelWords('unsubscribe', words),
  approvers: (words) => channelWords('approvers', words),
  audit: ([site = '', days, ...rest]) => {
    if (rest.length || !isSiteId(site)) {
      return { problem: 'Give the site and at most a number of days, such as acme 30.' };
    }
    const n = Number(days ?? DEFAULT_AUDIT_DAYS);
    if (!Number.isInteger(n) || n < 1 || n > MAX_AUDIT_DAYS) {
      return { problem: `${shown(days ?? '')} is not a number of days from 1 to ${MAX_AUDIT_DAYS}.` };
    }
    return { request: { verb: 'audit', site, days: n } };
  },
  sync: ([site = '', ...rest]) =>
    rest.length || !isSiteId(site)
      ? { problem: 'Give one connected site, such as acme.' }
      : { request: { verb: 'sync', site } },
};

function roleWords(verb: 'grant' | 'revoke', [user = '', role = '', site, ...rest]: string[]): Parsed<AdminRequest> {
  if (!USER.test(user)) return { problem: `Mention the person with @, not ${shown(user)}.` };
  if (!isRole(role)) return notRole(role);
  if (rest.length) return { problem: 'Give the person, the role and at most one site.' };
  if (site !== undefined && !isSiteId(site)) return notSite(site);
  return { request: { verb, user, role, site: site ?? null } };
}

function channelWords(
  verb: 'subscribe' | 'unsubscribe' | 'approvers',
  [channel = '', site = '', ...rest]: string[],
): Parsed<AdminRequest> {
  if (channel !== 'here' && !CHANNEL.test(channel)) {
    return { problem: `Name the channel with #, or say here, not ${shown(channel)}.` };
  }
  if (rest.length || !isSiteId(site)) return { problem: 'Give the channel and then one site, such as acme.' };
  return { request: { verb, channel, site } };
}

export const accountsAdmin: SlashCommandModule<AdminRequest> = {
  name: '/accounts-admin',
  usage:
    'grant|revoke @person <role> [site] · list [role] [site] · subscribe|unsubscribe #channel <site> · approvers #channel <site> · audit <site> [days] · sync <site>',
  description:
    "Grant or revoke the bot's roles, list who holds them, choose the channels that hear about a site, export a site's audit, and sync a site connected to Atlassian.",
  help: [
    `Roles: ${ROLES.join(', ')}. site-admin is per site; approver and viewer may name a site (otherwise all); org-admin never does.`,
    'Examples: `/accounts-admin grant @sam site-admin acme`, `/accounts-admin list approver`,',
    '`/accounts-admin subscribe #support-team acme` (job completions on acme), `/accounts-admin approvers #approvals acme-eu`',
    "(the one channel that gets acme-eu's imported groups to review). `here` stands for the channel you type in.",
    '`/accounts-admin audit acme 7` sends you the audit events of acme of the last 7 days (30 unless you say) as a CSV file.',
    '`/accounts-admin sync acme` reads a site connected to Atlassian (`accounts connect`) into the directory.',
  ].join(' '),
  parse([verb = '', ...words]) {
    const shape = Object.hasOwn(SHAPES, verb) ? SHAPES[verb] : undefined;
    return shape ? shape(words) : { problem: `${shown(verb)} is not something /accounts-admin does.` };
  },
  // Reads (list, audit's file) answer after the ack; everything else changes something and is kept before it.
  changes: (request) => request.verb !== 'list' && request.verb !== 'audit',
  async run({ actor, request, client, reply }) {
    await requireRole(actor, { role: 'org-admin' }, 'administer the bot');
    if (request.verb === 'audit') {
      await reply(await sendAuditFile(client, actor.id, request.site, request.days));
    } else if (request.verb === 'list') {
      await reply(await listHolders(request.role, request.site));
    } else {
      throw new Error(`/accounts-admin ${request.verb} is a change, made before the ack`);
    }
  },
  async change({ actor, request, payload }) {
    await requireRole(actor, { role: 'org-admin' }, 'administer the bot');
    const context: OperationContext = { actor, correlationId: newCorrelationId() };
    if ('user' in request) {
      const { verb, user, role, site } = request;
      await (verb === 'grant' ? grantRole : revokeRole)(user, role, site, context);
      const scope = site ? ` on ${site}` : '';
      return verb === 'grant' ? `<@${user}> now has ${role}${scope}.` : `<@${user}> no longer has ${role}${scope}.`;
    }
    if (request.verb === 'sync') {
      await requireConnectedSite(request.site);
      // Kept as a confirmation is: one insert of the job, in its 'creating' state, keyed by the command's
      // trigger, so a Slack retry of the same command finds the same job; the worker completes and runs it.
      const { job } = await requestJob(
        { kind: 'sync', site: request.site },
        { requestedBy: actor, key: `sync:${payload.trigger_id}` },
      );
      return `Syncing ${request.site} from Atlassian (job ${job._id}); subscribed channels hear when it ends.`;
    }
    if (!('channel' in request)) throw new Error(`/accounts-admin ${request.verb} only reads`);
    const { verb, site } = request;
    const channel = request.channel === 'here' ? payload.channel_id : request.channel;
    // Whether the bot can post there is asked of Slack after the ack, not before the write (whyBotCannotPost
    // says why): the ack says what was kept, and a second reply what to fix.
    const checkAfter = (text: string, archivedFix: string) => ({
      text,
      after: async ({ client, reply }: CommandInput) => {
        const problem = await whyBotCannotPost(client, channel, archivedFix);
        if (problem) await reply(problem);
      },
    });
    if (verb === 'subscribe') {
      await subscribe(channel, site, 'notifications', context);
      return checkAfter(
        `<#${channel}> now hears when jobs on ${site} end.`,
        `subscribe a channel people still read, and \`/accounts-admin unsubscribe <#${channel}> ${site}\` this one`,
      );
    }
    if (verb === 'unsubscribe') {
      await unsubscribe(channel, site, 'notifications', context);
      return `<#${channel}> no longer hears about jobs on ${site}.`;
    }
    return checkAfter(
      await setApproversChannel(channel, site, context),
      `make a channel people still read the approvers' channel with \`/accounts-admin approvers #channel ${site}\``,
    );
  },
};

/** Everyone holding a role (or one role, or one role on one site), one line per person. */
async function listHolders(role: Role | null, site: string | null): Promise<string> {
  const filter: QueryFilter<SlackRoleDoc> = {
    ...(role ? { role } : {}),
    ...(site ? { $or: [{ site }, { site: null }] } : {}),
  };
  const held = await SlackRole.find(filter).sort({ _id: 1 }).lean();
  if (held.length === 0) return `Nobody holds ${role ?? 'a role'}${site ? ` on ${site}` : ''}.`;
  return held.map((r) => `<@${r.user}>: ${r.role}${r.site ? ` on ${r.site}` : ''}`).join('\n');
}

/**
 * One approvers' channel per site: the review cards of its imported groups go there. Setting another channel
 * moves them (cards already posted stay where they are). Typed again, it finishes what an earlier one left
 * undone; run while an earlier one is still finishing (typed again after NOT_SAVED), either may find a
 * subscription already made or removed by the other, which is the state asked for, not a refusal.
 */
async function setApproversChannel(channel: string, site: string, context: OperationContext): Promise<string> {
  const current = await channelsFor(site, 'approvals');
  if (!current.includes(channel)) await subscribe(channel, site, 'approvals', context).catch(alreadyDone);
  for (const other of current) {
    if (other !== channel) await unsubscribe(other, site, 'approvals', context).catch(alreadyDone);
  }
  return `<#${channel}> is now the approvers' channel of ${site}: imported groups to review appear there.`;
}

const alreadyDone = (error: unknown) => {
  if (!(error instanceof DomainError && error.kind === 'conflict')) throw error;
};
