import { type Role, rolesOf } from './roles';

/**
 * The sites where a person holds a role (null: every site). org-admin covers every site; a role granted
 * without a site covers every site too. For viewer every role counts: each role lets its holder read its site.
 */
export async function sitesWhere(user: string, role: Role): Promise<string[] | null> {
  const roles = (await rolesOf(user)).filter(
    (held) => held.role === 'org-admin' || role === 'viewer' || held.role === role,
  );
  if (roles.some((held) => held.site === null)) return null;
  return [...new Set(roles.map((held) => held.site as string))].sort();
}

/** The sites whose profiles, jobs, approvals and warnings a person may read (null: every site). */
export const readableSites = (user: string) => sitesWhere(user, 'viewer');
