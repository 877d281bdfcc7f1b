import { randomUUID } from 'node:crypto';
import { model, Schema } from 'mongoose';
import { recordAudit } from '../accounts/audit';
import type { OperationContext } from '../accounts/context';
import { conflict, invalid } from '../accounts/errors';
import { requireSite } from '../accounts/sites';
import { insertOnce } from '../db/insertMissing';

/**
 * What a Slack user may do with the bot. org-admin can do everything; site-admin administers one site's
 * customers; approver reviews imported groups (of one site, or of all); viewer reads. Every role also reads.
 */
export const ROLES = ['org-admin', 'site-admin', 'approver', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** A role held by a Slack user, on one site or (site null) on all. */
export interface SlackRoleDoc {
  _id: string; // <user>/<role>/<site or *>
  user: string;
  role: Role;
  site: string | null;
  grantedBy: string;
  grantedAt: Date;
}

const schema = new Schema<SlackRoleDoc>(
  {
    _id: String,
    user: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    site: { type: String, default: null },
    grantedBy: { type: String, required: true },
    grantedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
schema.index({ user: 1 });
schema.index({ role: 1, site: 1 });

export const SlackRole = model<SlackRoleDoc>('SlackRole', schema, 'slackRoles');

const roleId = (user: string, role: Role, site: string | null) => `${user}/${role}/${site ?? '*'}`;

/** What an action needs: a role, optionally on a site. org-admin always satisfies it. */
export interface Requirement {
  role: Role;
  site?: string;
}

export const describeRequirement = (need: Requirement) =>
  need.role === 'org-admin' ? 'org-admin' : `${need.role}${need.site ? ` on ${need.site}` : ''} (or org-admin)`;

export async function rolesOf(user: string): Promise<SlackRoleDoc[]> {
  return SlackRole.find({ user }).sort({ _id: 1 }).lean();
}

/** Whether held roles satisfy a requirement; site-admin and approver also let their holder read (viewer). */
export function satisfies(roles: readonly Pick<SlackRoleDoc, 'role' | 'site'>[], need: Requirement): boolean {
  return roles.some((held) => {
    if (held.role === 'org-admin') return true;
    const siteMatches = held.site === null || need.site === undefined || held.site === need.site;
    if (!siteMatches) return false;
    return held.role === need.role || need.role === 'viewer';
  });
}

export async function grantRole(user: string, role: Role, site: string | null, context: OperationContext) {
  if (role === 'site-admin' && !site) throw invalid('site-admin is granted per site: name the site.');
  if (role === 'org-admin' && site) throw invalid('org-admin covers every site: do not name one.');
  if (site) await requireSite(site);
  const grant = { _id: roleId(user, role, site), user, role, site, grantedBy: context.actor.id, grantedAt: new Date() };
  if (!(await insertOnce(SlackRole, grant))) {
    throw conflict(`<@${user}> already has ${role}${site ? ` on ${site}` : ''}.`);
  }
  await recordAudit(context, {
    action: 'role.grant',
    target: user,
    site,
    summary: `Granted ${role}${site ? ` on ${site}` : ''} to ${user}.`,
  });
}

export async function revokeRole(user: string, role: Role, site: string | null, context: OperationContext) {
  const result = await SlackRole.deleteOne({ _id: roleId(user, role, site) });
  if (result.deletedCount === 0) throw conflict(`<@${user}> does not have ${role}${site ? ` on ${site}` : ''}.`);
  await recordAudit(context, {
    action: 'role.revoke',
    target: user,
    site,
    summary: `Revoked ${role}${site ? ` on ${site}` : ''} from ${user}.`,
  });
}

/** Who grants the BOOTSTRAP_ADMINS, in the audit. */
export const BOOTSTRAP_ACTOR = { kind: 'system', id: 'bootstrap', name: 'BOOTSTRAP_ADMINS' } as const;

/**
 * BOOTSTRAP_ADMINS: the first org-admins, so someone can grant the rest — only while nobody is an org-admin, so
 * an org-admin revoked since stays revoked at the next start. Each grant is audited with the actor `bootstrap`.
 */
export async function bootstrapAdmins(users: readonly string[]): Promise<void> {
  if (users.length === 0 || (await SlackRole.exists({ role: 'org-admin' }))) return;
  const context: OperationContext = { actor: BOOTSTRAP_ACTOR, correlationId: `bootstrap:${randomUUID()}` };
  const grantedAt = new Date();
  for (const user of new Set(users)) {
    const grant = {
      _id: roleId(user, 'org-admin', null),
      user,
      role: 'org-admin' as const,
      site: null,
      grantedBy: BOOTSTRAP_ACTOR.id,
      grantedAt,
    };
    // Two processes starting at once on an empty directory: the one that inserts the grant audits it.
    if (!(await insertOnce(SlackRole, grant))) continue;
    await recordAudit(context, {
      action: 'role.grant',
      target: user,
      site: null,
      summary: `Granted org-admin to ${user} (BOOTSTRAP_ADMINS).`,
    });
  }
}

/** Slack users holding a role that covers a site (for approval cards and their access checks). */
export async function holdersOf(role: Role, site: string): Promise<string[]> {
  const held = await SlackRole.find({ role, $or: [{ site }, { site: null }] }, { user: 1 }).lean();
  return [...new Set(held.map((r) => r.user))];
}
